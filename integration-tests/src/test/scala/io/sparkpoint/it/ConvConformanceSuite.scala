package io.sparkpoint.it

import io.sparkpoint.proto.AttrValue
import io.sparkpoint.tensor.DType

/**
 * Conv2D, MaxPool and AvgPool (io.sparkpoint.kernels.conv) against TensorFlow 2.18, NHWC; see [[ConformanceSuite]].
 *
 * Tolerances (the families of [[KernelConformanceSuite]]):
 * {{{
 *   op        family        int32/int64  float32                 float64
 *   Conv2D    Accumulating  exact        max(1e-6·M, 1e-6)       max(1e-12·M, 1e-12)   M = max(|tf|, largest |output|)
 *   AvgPool   Accumulating  -            max(1e-6·M, 1e-6)       max(1e-12·M, 1e-12)
 *   MaxPool   Exact         exact        exact                   exact
 * }}}
 * Conv2D sums products in another order than TF's Eigen contraction (im2col + BLAS gemm), hence Accumulating;
 * MaxPool picks one input element, so it must be bit-identical. Dtypes: float32 and float64 everywhere, int32 for
 * Conv2D (TF's CPU kernel wraps), int32 and int64 for MaxPool.
 *
 * The cases cover SAME's split (the odd padding element after: bottom and right), VALID, EXPLICIT (asymmetric, and
 * windows lying wholly in the padding), strides larger than the kernel, dilations, 1x1 kernels, batches, grouped
 * convolutions, a kernel larger than the input (SAME pools), padding never counted by AvgPool nor taken by MaxPool
 * (all-negative inputs), the benchmark CNN's layer shapes, NaN and infinities. Error cases check that we refuse what
 * TF refuses (TF reports many of them from its shape functions, in other words than its kernels, whose wording we use).
 */
class ConvConformanceSuite extends ConformanceSuite(ConvConformanceSuite.cases)

object ConvConformanceSuite {
  import KernelConformance._

  private val FI32: Seq[DType] = F :+ DType.INT32

  def ilist(values: Long*): AttrValue = {
    val list = AttrValue.ListValue.newBuilder()
    values.foreach(v => list.addI(v))
    AttrValue.newBuilder().setList(list).build()
  }

  def s4(h: Long, w: Long): AttrValue = ilist(1, h, w, 1)

  /** Large inputs become Const nodes: fed values travel on the oracle's command line, which has a length limit. */
  def sized(in: In): In = if (in.shape.product > 2000) in.copy(const = true) else in

  /** Conv2D of an input and a filter (values in [-3, 3)); `attrs` after T, strides and padding. */
  def conv(x: Seq[Long], w: Seq[Long], padding: String, strides: (Long, Long) = (1, 1), attrs: Seq[(String, Any)] = Nil,
      label: String = "", dts: Seq[DType] = FI32, ins: Option[(In, In)] = None, error: String = "", tfError: String = ""): KCase = {
    val (xi, wi) = ins.getOrElse((In(x, -3, 3), In(w, -3, 3)))
    KCase("Conv2D", Seq(sized(xi), sized(wi)), dts, Accumulating,
      Seq("T" -> Dt, "strides" -> s4(strides._1, strides._2), "padding" -> padding) ++ attrs,
      label = (s"$padding s${strides._1}x${strides._2} " + label).trim, error = error, tfError = tfError)
  }

  /** MaxPool or AvgPool with ksize (kh, kw) and strides (sh, sw). */
  def pool(op: String, x: In, k: (Long, Long), s: (Long, Long), padding: String, label: String = "",
      error: String = "", tfError: String = ""): KCase = {
    val (dts, family) = if (op == "MaxPool") (FI, Exact) else (F, Accumulating)
    KCase(op, Seq(sized(x)), dts, family, Seq("T" -> Dt, "ksize" -> s4(k._1, k._2), "strides" -> s4(s._1, s._2), "padding" -> padding),
      label = (s"$padding k${k._1}x${k._2} s${s._1}x${s._2} " + label).trim, error = error, tfError = tfError)
  }

  private val negative = (shape: Seq[Long]) => In(shape, -10, -1)
  private val specials4x4 = In(Seq(1, 4, 4, 1), edges = Seq(NaN, 1, 2, Inf, 0, -Inf, 3, 4, 5, 6, 7, 8, -1, -2, Inf, 0))

  val cases: Seq[KCase] = Seq(
    // ---------------------------------------------------------------- Conv2D
    conv(Seq(1, 5, 5, 1), Seq(3, 3, 1, 1), "VALID"),
    conv(Seq(1, 5, 5, 2), Seq(3, 3, 2, 3), "SAME", label = "even split"),
    conv(Seq(2, 4, 4, 1), Seq(2, 2, 1, 2), "SAME", label = "odd padding after"),
    conv(Seq(1, 6, 6, 2), Seq(4, 4, 2, 2), "SAME", label = "1 before 2 after"),
    conv(Seq(1, 7, 7, 3), Seq(3, 3, 3, 4), "SAME", (2, 2)),
    conv(Seq(1, 8, 8, 2), Seq(3, 3, 2, 2), "SAME", (2, 2), label = "0 before 1 after"),
    conv(Seq(2, 7, 9, 2), Seq(3, 2, 2, 3), "VALID", (2, 3)),
    conv(Seq(1, 9, 9, 2), Seq(2, 2, 2, 2), "SAME", (3, 3), label = "stride > kernel"),
    conv(Seq(1, 9, 10, 2), Seq(2, 2, 2, 2), "VALID", (3, 4), label = "stride > kernel"),
    conv(Seq(1, 9, 9, 2), Seq(3, 3, 2, 2), "VALID", attrs = Seq("dilations" -> s4(2, 2)), label = "dilated"),
    conv(Seq(2, 8, 9, 2), Seq(3, 2, 2, 3), "SAME", attrs = Seq("dilations" -> s4(2, 3)), label = "dilated"),
    conv(Seq(1, 4, 5, 2), Seq(3, 3, 2, 2), "EXPLICIT", attrs = Seq("explicit_paddings" -> ilist(0, 0, 1, 2, 0, 3, 0, 0)),
      label = "asymmetric"),
    conv(Seq(1, 3, 3, 1), Seq(2, 2, 1, 2), "EXPLICIT", (2, 2), attrs = Seq("explicit_paddings" -> ilist(0, 0, 4, 0, 0, 5, 0, 0)),
      label = "windows wholly in the padding"),
    conv(Seq(3, 4, 4, 5), Seq(1, 1, 5, 3), "VALID", label = "1x1"),
    conv(Seq(2, 5, 5, 4), Seq(1, 1, 4, 2), "SAME", (2, 2), label = "1x1"),
    conv(Seq(2, 3, 3, 2), Seq(3, 3, 2, 4), "VALID", label = "filter = input"),
    conv(Seq(4, 6, 6, 3), Seq(3, 3, 3, 8), "SAME", label = "batch 4"),
    conv(Seq(2, 5, 5, 4), Seq(3, 3, 2, 6), "SAME", label = "2 groups"),
    conv(Seq(1, 4, 4, 6), Seq(2, 2, 2, 3), "VALID", label = "3 groups"),
    conv(Seq(2, 28, 28, 1), Seq(5, 5, 1, 32), "SAME", label = "CNN layer 1"),
    conv(Seq(2, 14, 14, 32), Seq(5, 5, 32, 64), "SAME", label = "CNN layer 2", dts = F),
    conv(Seq(2, 3, 3, 1), Seq(2, 2, 1, 1), "VALID", label = "int32 wraps", dts = Seq(DType.INT32),
      ins = Some((In(Seq(2, 3, 3, 1), edges = Seq(2e9, 2e9, 2e9, 2e9, -2e9)), In(Seq(2, 2, 1, 1), edges = Seq(3, 1, 1, 1))))),
    conv(Seq(1, 4, 4, 1), Seq(2, 2, 1, 1), "VALID", label = "NaN inf", dts = F,
      ins = Some((specials4x4, In(Seq(2, 2, 1, 1), 1, 2)))),
    conv(Seq(1, 3, 3, 3), Seq(2, 2, 2, 1), "SAME", label = "depth not divisible",
      error = "input depth must be evenly divisible by filter depth: 3 vs 2",
      tfError = "Depth of input (3) is not a multiple of input depth of filter (2)"),
    conv(Seq(1, 3, 3, 4), Seq(2, 2, 2, 3), "SAME", label = "groups do not divide the output",
      error = "output depth must be evenly divisible by number of groups: 3 vs 2",
      tfError = "Depth of output (3) is not a multiple of the number of groups (2)"),
    conv(Seq(1, 2, 2, 1), Seq(4, 4, 1, 1), "VALID", label = "filter larger than input",
      error = "Computed output size would be negative: -1 [input_size: 2, effective_filter_size: 4, stride: 1]",
      tfError = "Negative dimension size caused by subtracting 4 from 2"),
    // ---------------------------------------------------------------- MaxPool
    pool("MaxPool", In(Seq(2, 4, 4, 3)), (2, 2), (2, 2), "VALID"),
    pool("MaxPool", negative(Seq(1, 5, 5, 2)), (2, 2), (2, 2), "SAME", "negative, odd size"),
    pool("MaxPool", negative(Seq(1, 4, 4, 2)), (3, 3), (1, 1), "SAME", "negative"),
    pool("MaxPool", negative(Seq(2, 6, 6, 3)), (3, 3), (2, 2), "SAME", "negative, 0 before 1 after"),
    pool("MaxPool", negative(Seq(1, 5, 6, 2)), (2, 3), (1, 2), "SAME", "negative"),
    pool("MaxPool", In(Seq(1, 8, 8, 1)), (2, 2), (3, 3), "SAME", "stride > kernel"),
    pool("MaxPool", In(Seq(1, 8, 8, 1)), (2, 2), (3, 3), "VALID", "stride > kernel"),
    pool("MaxPool", negative(Seq(1, 3, 3, 2)), (5, 5), (1, 1), "SAME", "kernel > input"),
    pool("MaxPool", In(Seq(1, 2, 2, 2)), (1, 1), (1, 1), "VALID", "1x1"),
    pool("MaxPool", In(Seq(4, 28, 28, 32)), (2, 2), (2, 2), "SAME", "CNN layer 1"),
    pool("MaxPool", intLimits.copy(shape = Seq(1, 2, 2, 1)), (2, 2), (1, 1), "SAME", "int32 limits"),
    pool("MaxPool", In(Seq(1, 2, 2, 1), edges = Seq(-2147483648.0, -2147483648.0, -2147483648.0, -2147483648.0)), (2, 2),
      (1, 1), "VALID", "all lowest int32"),
    pool("MaxPool", In(Seq(1, 4, 4, 1), edges = Seq(Inf, 1, 2, 3, 0, -Inf, 3, 4, 5, 6, -Inf, -Inf, -1, -2, -Inf, -Inf)),
      (2, 2), (2, 2), "VALID", "inf").copy(dtypes = F),
    pool("MaxPool", In(Seq(1, 4, 4, 1), edges = Seq(NaN, 1, 2, NaN, 0, -1, 3, 4, 5, 6, NaN, NaN, -1, -2, NaN, NaN)),
      (2, 2), (2, 2), "VALID", "NaN").copy(dtypes = F),
    pool("MaxPool", In(Seq(1, 3, 3, 1)), (5, 5), (1, 1), "VALID", "kernel larger than input",
      error = "Computed output size would be negative: -1 [input_size: 3, effective_filter_size: 5, stride: 1]",
      tfError = "Negative dimension size caused by subtracting 5 from 3"),
    // ---------------------------------------------------------------- AvgPool
    pool("AvgPool", In(Seq(2, 4, 4, 3)), (2, 2), (2, 2), "VALID"),
    pool("AvgPool", In(Seq(1, 5, 5, 2)), (2, 2), (2, 2), "SAME", "odd size"),
    pool("AvgPool", In(Seq(1, 4, 4, 2)), (3, 3), (1, 1), "SAME", "counts 4, 6 and 9"),
    pool("AvgPool", In(Seq(2, 6, 6, 3)), (3, 3), (2, 2), "SAME", "0 before 1 after"),
    pool("AvgPool", In(Seq(1, 5, 6, 2)), (3, 2), (2, 1), "SAME"),
    pool("AvgPool", In(Seq(1, 8, 8, 1)), (2, 2), (3, 3), "SAME", "stride > kernel"),
    pool("AvgPool", In(Seq(1, 3, 3, 2)), (5, 5), (1, 1), "SAME", "kernel > input"),
    pool("AvgPool", In(Seq(4, 14, 14, 8)), (2, 2), (2, 2), "SAME", "batch 4"),
    pool("AvgPool", specials4x4, (2, 2), (1, 1), "SAME", "NaN inf"),
  )
}
