package io.sparkpoint.it

import io.sparkpoint.tensor.DType

/**
 * Conv2DBackpropInput, Conv2DBackpropFilter, MaxPoolGrad and AvgPoolGrad (io.sparkpoint.kernels.conv) against
 * TensorFlow 2.18, NHWC, float32 and float64; see [[ConformanceSuite]].
 *
 * Tolerances (the families of [[KernelConformanceSuite]]):
 * {{{
 *   op                    family                  float32                 float64
 *   Conv2DBackpropInput   Accumulating, or        max(1e-6·M, 1e-6)       max(1e-12·M, 1e-12)   M = max(|tf|, largest |output|)
 *   Conv2DBackpropFilter  LongSums(n) for n > 400 × sqrt(n / 400)         × sqrt(n / 400)
 *   MaxPoolGrad           Exact                   exact                   exact
 *   AvgPoolGrad           Exact                   exact                   exact
 * }}}
 * The convolution gradients are sums of products in another order than TF's (im2col / col2im around a BLAS gemm,
 * or oneDNN), hence Accumulating; each element of the input gradient sums n = h·w·o products, of the filter gradient
 * n = batch·out_h·out_w, and where n > 400 the float32 rounding differences, which grow with sqrt(n), get the
 * LongSums family (the CNN's 5x5x32x64 input gradient sums 1600). MaxPoolGrad picks the element TF picks (the first
 * largest of each window in row-major order: ties keep the earlier, NaN never takes over) and adds gradients in
 * TF's order; AvgPoolGrad adds `grad * (T) (1 / count)` in TF's order over TF's ranges: both must be bit-identical.
 *
 * The cases cover SAME's split (the odd padding element after), VALID, EXPLICIT (asymmetric, and windows wholly in
 * the padding), strides larger than the kernel, 1x1 and large kernels, odd sizes, batches, channels, the benchmark
 * CNN's layer shapes, 2-element input_sizes, empty batches, ties in max pooling (inputs of a few repeated values),
 * NaN and infinities, AvgPoolGrad's range for windows over both ends of the input (TF's GetBroadcastSize), and TF's
 * error cases (TF reports some of them from its shape functions, in other words than its kernels, whose wording we
 * use).
 *
 * Where we differ from TF 2.18 on purpose:
 *  - dilations > 1: TF's CPU kernels refuse them ("Current CPU implementations do not yet support dilation rates
 *    larger than 1."), ours compute them (checked as the exact adjoints of our Conv2D in the engine's unit tests);
 *    the `tfRefuses` cases pin that down.
 *  - AvgPoolGrad with a `grad` of the wrong shape: TF 2.18 reads it without complaint, we refuse it ("Expected grad
 *    shape to be [..], but got [..]", the wording of TF's MaxPoolGrad); no case here.
 *  - Dtypes: float32 and float64 only (TF also has half and bfloat16, int32 for Conv2DBackpropInput and the integer
 *    types for MaxPoolGrad).
 */
class ConvGradConformanceSuite extends ConformanceSuite(ConvGradConformanceSuite.cases)

object ConvGradConformanceSuite {
  import KernelConformance._
  import ConvConformanceSuite.{ilist, s4, sized}

  private val dilationRefused = "Current CPU implementations do not yet support dilation rates larger than 1."

  /** Output size of one spatial dimension, as TF's GetWindowedOutputSizeVerboseV2 computes it. */
  private def outSize(in: Long, k: Long, s: Long, d: Long, padding: String, before: Long, after: Long): Long = {
    val effective = (k - 1) * d + 1
    padding match {
      case "VALID" => (in - effective + s) / s
      case "SAME" => (in + s - 1) / s
      case _ => (in + before + after - effective + s) / s
    }
  }

  /** A convolution's sizes: input NHWC, filter HWIO, strides, dilations and explicit paddings (8 values). */
  final case class Conv(x: Seq[Long], w: Seq[Long], padding: String, strides: (Long, Long) = (1, 1),
      dilations: (Long, Long) = (1, 1), explicit: Seq[Long] = Nil) {
    private def pad(i: Int) = if (explicit.isEmpty) 0L else explicit(i)
    def out: Seq[Long] = Seq(x(0), outSize(x(1), w(0), strides._1, dilations._1, padding, pad(2), pad(3)),
      outSize(x(2), w(1), strides._2, dilations._2, padding, pad(4), pad(5)), w(3))
    def attrs: Seq[(String, Any)] = Seq("T" -> Dt, "strides" -> s4(strides._1, strides._2), "padding" -> padding) ++
      (if (dilations != ((1L, 1L))) Seq("dilations" -> s4(dilations._1, dilations._2)) else Nil) ++
      (if (explicit.nonEmpty) Seq("explicit_paddings" -> ilist(explicit: _*)) else Nil)
    def label: String = s"$padding s${strides._1}x${strides._2}" +
      (if (dilations != ((1L, 1L))) s" d${dilations._1}x${dilations._2}" else "")
  }

  /**
   * Both gradients of `conv`: inputs in [-3, 3) (`grad` replaces out_backprop), sizes as int32 Consts (`inputSizes` /
   * `filterSizes` replace them).
   */
  def grads(conv: Conv, label: String = "", grad: Option[In] = None, inputSizes: Option[In] = None,
      filterSizes: Option[In] = None, error: String = "", tfError: String = "", tfRefuses: String = ""): Seq[KCase] = {
    val g = sized(grad.getOrElse(In(conv.out, -3, 3)))
    val name = (conv.label + " " + label).trim
    Seq(
      KCase("Conv2DBackpropInput", Seq(inputSizes.getOrElse(ints(conv.x: _*)), sized(In(conv.w, -3, 3)), g), F,
        sums(conv.w(0) * conv.w(1) * conv.w(3)), conv.attrs, label = name, error = error, tfError = tfError,
        tfRefuses = tfRefuses),
      KCase("Conv2DBackpropFilter", Seq(sized(In(conv.x, -3, 3)), filterSizes.getOrElse(ints(conv.w: _*)), g), F,
        sums(conv.out(0) * conv.out(1) * conv.out(2)), conv.attrs, label = name, error = error, tfError = tfError,
        tfRefuses = tfRefuses))
  }

  /** The family for sums of `terms` products. */
  private def sums(terms: Long): Family = if (terms > 400) LongSums(terms.toInt) else Accumulating

  /** One gradient with its own inputs, for the error cases of one op. */
  def grad(op: String, ins: Seq[In], conv: Conv, label: String, error: String, tfError: String = ""): KCase =
    KCase(op, ins, F, Accumulating, conv.attrs, label = (conv.label + " " + label).trim, error = error, tfError = tfError)

  private def poolOut(x: Seq[Long], k: (Long, Long), s: (Long, Long), padding: String, explicit: Seq[Long]): Seq[Long] = {
    def pad(i: Int) = if (explicit.isEmpty) 0L else explicit(i)
    Seq(x(0), outSize(x(1), k._1, s._1, 1, padding, pad(2), pad(3)), outSize(x(2), k._2, s._2, 1, padding, pad(4), pad(5)), x(3))
  }

  private def poolAttrs(k: (Long, Long), s: (Long, Long), padding: String, explicit: Seq[Long]): Seq[(String, Any)] =
    Seq("T" -> Dt, "ksize" -> s4(k._1, k._2), "strides" -> s4(s._1, s._2), "padding" -> padding) ++
      (if (explicit.nonEmpty) Seq("explicit_paddings" -> ilist(explicit: _*)) else Nil)

  private def poolLabel(k: (Long, Long), s: (Long, Long), padding: String, label: String) =
    s"$padding k${k._1}x${k._2} s${s._1}x${s._2} $label".trim

  /** MaxPoolGrad of `x` (orig_output of the right shape, values unused as in TF; grad in [-3, 3)). */
  def maxGrad(x: In, k: (Long, Long), s: (Long, Long), padding: String, label: String = "", explicit: Seq[Long] = Nil,
      out: Option[In] = None, grad: Option[In] = None, error: String = "", tfError: String = ""): KCase = {
    val o = poolOut(x.shape, k, s, padding, explicit)
    KCase("MaxPoolGrad", Seq(sized(x), sized(out.getOrElse(In(o))), sized(grad.getOrElse(In(o, -3, 3)))), F, Exact,
      poolAttrs(k, s, padding, explicit), label = poolLabel(k, s, padding, label), error = error, tfError = tfError)
  }

  /** AvgPoolGrad for an input of shape `x` (grad in [-3, 3)). */
  def avgGrad(x: Seq[Long], k: (Long, Long), s: (Long, Long), padding: String, label: String = "",
      grad: Option[In] = None, shape: Option[In] = None, error: String = "", tfError: String = ""): KCase =
    KCase("AvgPoolGrad", Seq(shape.getOrElse(ints(x: _*)), sized(grad.getOrElse(In(poolOut(x, k, s, padding, Nil), -3, 3)))),
      F, Exact, poolAttrs(k, s, padding, Nil), label = poolLabel(k, s, padding, label), error = error, tfError = tfError)

  private val negative = (shape: Seq[Long]) => In(shape, -10, -1)
  /** A few repeated values: most windows hold ties. */
  private val ties = (shape: Seq[Long]) => In(shape, 0, 3, whole = true)

  val cases: Seq[KCase] = Seq(
    // ---------------------------------------------------------------- Conv2DBackpropInput and Conv2DBackpropFilter
    grads(Conv(Seq(1, 5, 5, 1), Seq(3, 3, 1, 1), "VALID")),
    grads(Conv(Seq(1, 5, 5, 2), Seq(3, 3, 2, 3), "SAME"), "even split"),
    grads(Conv(Seq(2, 4, 4, 1), Seq(2, 2, 1, 2), "SAME"), "odd padding after"),
    grads(Conv(Seq(1, 6, 6, 2), Seq(4, 4, 2, 2), "SAME"), "1 before 2 after"),
    grads(Conv(Seq(1, 7, 7, 3), Seq(3, 3, 3, 4), "SAME", (2, 2))),
    grads(Conv(Seq(1, 8, 8, 2), Seq(3, 3, 2, 2), "SAME", (2, 2)), "0 before 1 after"),
    grads(Conv(Seq(2, 7, 9, 2), Seq(3, 2, 2, 3), "VALID", (2, 3)), "odd sizes"),
    grads(Conv(Seq(1, 9, 9, 2), Seq(2, 2, 2, 2), "SAME", (3, 3)), "stride > kernel"),
    grads(Conv(Seq(1, 9, 10, 2), Seq(2, 2, 2, 2), "VALID", (3, 4)), "stride > kernel"),
    grads(Conv(Seq(1, 4, 5, 2), Seq(3, 3, 2, 2), "EXPLICIT", explicit = Seq(0, 0, 1, 2, 0, 3, 0, 0)), "asymmetric"),
    grads(Conv(Seq(1, 3, 3, 1), Seq(2, 2, 1, 2), "EXPLICIT", (2, 2), explicit = Seq(0, 0, 4, 0, 0, 5, 0, 0)),
      "windows wholly in the padding"),
    grads(Conv(Seq(2, 5, 6, 2), Seq(3, 3, 2, 3), "EXPLICIT", explicit = Seq(0, 0, 1, 1, 2, 2, 0, 0)), "symmetric"),
    grads(Conv(Seq(3, 4, 4, 5), Seq(1, 1, 5, 3), "VALID"), "1x1"),
    grads(Conv(Seq(2, 5, 5, 4), Seq(1, 1, 4, 2), "SAME", (2, 2)), "1x1"),
    grads(Conv(Seq(2, 3, 3, 2), Seq(3, 3, 2, 4), "VALID"), "filter = input"),
    grads(Conv(Seq(4, 6, 6, 3), Seq(3, 3, 3, 8), "SAME"), "batch 4"),
    grads(Conv(Seq(1, 3, 4, 2), Seq(7, 7, 2, 3), "SAME"), "kernel larger than the input"),
    grads(Conv(Seq(1, 9, 9, 3), Seq(7, 5, 3, 2), "VALID"), "large kernel"),
    grads(Conv(Seq(2, 28, 28, 1), Seq(5, 5, 1, 32), "SAME"), "CNN layer 1"),
    grads(Conv(Seq(2, 14, 14, 32), Seq(5, 5, 32, 64), "SAME"), "CNN layer 2"),
    grads(Conv(Seq(1, 4, 4, 1), Seq(2, 2, 1, 1), "VALID"), "NaN inf",
      grad = Some(In(Seq(1, 3, 3, 1), edges = Seq(NaN, 1, 2, Inf, 0, -Inf, 3, 4, 5)))),
    grads(Conv(Seq(0, 5, 5, 2), Seq(3, 3, 2, 3), "SAME"), "empty batch"),
    grads(Conv(Seq(1, 9, 9, 2), Seq(3, 3, 2, 2), "VALID", dilations = (2, 2)), tfRefuses = dilationRefused),
    grads(Conv(Seq(2, 8, 9, 2), Seq(3, 2, 2, 3), "SAME", dilations = (2, 3)), tfRefuses = dilationRefused),
  ).flatten ++ Seq(
    KCase("Conv2DBackpropInput", Seq(ints(5, 6), In(Seq(3, 3, 2, 3), -3, 3), In(Seq(2, 3, 4, 3), -3, 3)), F, Accumulating,
      Conv(Seq(2, 5, 6, 2), Seq(3, 3, 2, 3), "VALID").attrs, label = "VALID input_sizes (height, width)"),
  ) ++ {
    val c = Conv(Seq(1, 5, 5, 2), Seq(3, 3, 2, 3), "VALID")
    val (x, w, g) = (In(Seq(1, 5, 5, 2)), In(Seq(3, 3, 2, 3)), In(Seq(1, 3, 3, 3)))
    val in = "Conv2DBackpropInput"
    val fi = "Conv2DBackpropFilter"
    Seq(
      grad(in, Seq(ints(1, 5, 5, 2).fed, w, In(Seq(1, 4, 3, 3)).fed), c, "out_backprop too tall",
        "Conv2DCustomBackpropInput: Size of out_backprop doesn't match computed: actual = 4, computed = 3 spatial_dim: 1 " +
          "input: 5 filter: 3 output: 4 stride: 1 dilation: 1"),
      grad(fi, Seq(x, ints(3, 3, 2, 3).fed, In(Seq(1, 3, 4, 3)).fed), c, "out_backprop too wide",
        "Conv2DCustomBackpropFilter: Size of out_backprop doesn't match computed: actual = 4, computed = 3 spatial_dim: 2 " +
          "input: 5 filter: 3 output: 4 stride: 1 dilation: 1"),
      grad(in, Seq(ints(1, 5, 5, 2).fed, w, In(Seq(1, 3, 3, 2)).fed), c, "out depths differ",
        "Conv2DCustomBackpropInput: filter and out_backprop must have the same out_depth"),
      grad(fi, Seq(x, ints(3, 3, 2, 4).fed, g.fed), c, "out depths differ",
        "Conv2DCustomBackpropFilter: filter and out_backprop must have the same out_depth"),
      grad(in, Seq(ints(2, 5, 5, 2).fed, w, g.fed), c, "batches differ",
        "Conv2DCustomBackpropInput: input and out_backprop must have the same batch size. Input batch: 2, " +
          "outbackprop batch: 1, batch_dim: 0"),
      grad(fi, Seq(In(Seq(1, 5, 5, 3)).fed, ints(3, 3, 2, 3).fed, g.fed), c, "depth not divisible",
        "Conv2DCustomBackpropFilter: input depth must be evenly divisible by filter depth"),
      grad(in, Seq(ints(1, 5, 5, 4).fed, w, g.fed), c, "grouped",
        "Gradients for grouped convolutions are not supported on CPU"),
      grad(fi, Seq(In(Seq(1, 5, 5, 4)).fed, ints(3, 3, 2, 3).fed, g.fed), c, "grouped",
        "Gradients for grouped convolutions are not supported on CPU", tfError = "filter_size does not have enough elements"),
      grad(in, Seq(ints(1, 5, 5).fed, w, g.fed), c, "3 input sizes",
        "Conv2DBackpropInput requires input_sizes to contain 4 values or 2 values, but got: 3"),
      grad(in, Seq(ints(1, -5, 5, 2).fed, w, g.fed), c, "negative input size", "Dimension -5 must be >= 0"),
      grad(fi, Seq(x, ints(3, 3, 2).fed, g.fed), c, "3 filter sizes", "Conv2DCustomBackpropFilter: filter must be 4-dimensional"),
      grad(in, Seq(ints(1, 1, 1, 2).fed, w, In(Seq(1, 1, 1, 3)).fed), c, "filter larger than the input",
        "Computed output size would be negative: -1 [input_size: 1, effective_filter_size: 3, stride: 1]"),
      KCase(in, Seq(ints(1, 5, 5, 2), w, g), F, Accumulating, c.attrs :+ ("data_format" -> "NCHW"), label = "NCHW",
        error = "Conv2DCustomBackpropInputOp only supports NHWC."),
      KCase(fi, Seq(x, ints(3, 3, 2, 3), g), F, Accumulating,
        Seq("T" -> Dt, "strides" -> ilist(1, 1, 1, 2), "padding" -> "VALID"), label = "depth stride",
        error = "Current implementation does not yet support strides in the batch and depth dimensions."),
    )
  } ++ Seq(
    // ---------------------------------------------------------------- MaxPoolGrad
    maxGrad(In(Seq(2, 4, 4, 3)), (2, 2), (2, 2), "VALID"),
    maxGrad(negative(Seq(1, 5, 5, 2)), (2, 2), (2, 2), "SAME", "negative, odd size"),
    maxGrad(negative(Seq(1, 4, 4, 2)), (3, 3), (1, 1), "SAME", "negative, overlapping"),
    maxGrad(negative(Seq(2, 6, 6, 3)), (3, 3), (2, 2), "SAME", "negative, 0 before 1 after"),
    maxGrad(negative(Seq(1, 5, 6, 2)), (2, 3), (1, 2), "SAME", "negative"),
    maxGrad(In(Seq(1, 8, 8, 1)), (2, 2), (3, 3), "SAME", "stride > kernel"),
    maxGrad(In(Seq(1, 8, 8, 1)), (2, 2), (3, 3), "VALID", "stride > kernel"),
    maxGrad(negative(Seq(1, 3, 3, 2)), (5, 5), (1, 1), "SAME", "kernel > input"),
    maxGrad(In(Seq(1, 2, 2, 2)), (1, 1), (1, 1), "VALID", "1x1"),
    maxGrad(ties(Seq(2, 6, 6, 3)), (2, 2), (2, 2), "VALID", "ties"),
    maxGrad(ties(Seq(2, 6, 7, 3)), (3, 3), (1, 1), "SAME", "ties, overlapping"),
    maxGrad(ties(Seq(1, 7, 7, 2)), (3, 3), (2, 2), "SAME", "ties"),
    maxGrad(In(Seq(1, 4, 4, 2), 5, 5.4, whole = true), (2, 2), (1, 1), "SAME", "all equal"),
    maxGrad(In(Seq(2, 5, 5, 2)), (2, 2), (1, 1), "EXPLICIT", "asymmetric", explicit = Seq(0, 0, 1, 0, 0, 1, 0, 0)),
    maxGrad(ties(Seq(1, 6, 7, 2)), (3, 3), (2, 2), "EXPLICIT", "ties", explicit = Seq(0, 0, 1, 2, 2, 1, 0, 0)),
    maxGrad(In(Seq(4, 28, 28, 32)), (2, 2), (2, 2), "SAME", "CNN layer 1"),
    maxGrad(In(Seq(4, 14, 14, 64)), (2, 2), (2, 2), "SAME", "CNN layer 2"),
    maxGrad(In(Seq(1, 4, 4, 1), edges = Seq(Inf, 1, 2, 3, 0, -Inf, 3, 4, 5, 6, -Inf, -Inf, -1, -2, -Inf, -Inf)),
      (2, 2), (2, 2), "VALID", "inf"),
    maxGrad(In(Seq(1, 4, 4, 1), edges = Seq(NaN, 1, 2, NaN, 0, -1, 3, 4, 5, 6, NaN, NaN, -1, -2, NaN, NaN)),
      (2, 2), (2, 2), "VALID", "NaN"),
    maxGrad(In(Seq(1, 4, 4, 1)), (2, 2), (2, 2), "VALID", "NaN in grad", grad = Some(In(Seq(1, 2, 2, 1), edges = Seq(NaN, Inf, 1, -Inf)))),
    maxGrad(In(Seq(0, 4, 4, 2)), (2, 2), (2, 2), "SAME", "empty batch"),
    maxGrad(In(Seq(1, 4, 4, 1)), (2, 2), (2, 2), "VALID", "orig_output shape", out = Some(In(Seq(1, 2, 1, 1)).fed),
      error = "Expected orig_output shape to be [1,2,2,1], but got [1,2,1,1]"),
    maxGrad(In(Seq(1, 4, 4, 1)), (2, 2), (2, 2), "VALID", "grad shape", grad = Some(In(Seq(1, 2, 3, 1)).fed),
      error = "Expected grad shape to be [1,2,2,1], but got [1,2,3,1]"),
    maxGrad(In(Seq(1, 4, 4, 1)), (2, 2), (1, 1), "EXPLICIT", "padding >= window", explicit = Seq(0, 0, 2, 0, 0, 0, 0, 0),
      out = Some(In(Seq(1, 4, 3, 1)).fed), grad = Some(In(Seq(1, 4, 3, 1)).fed),
      error = "Top padding 2 needs to be smaller than the window size 2"),
    maxGrad(In(Seq(1, 3, 3, 1)), (5, 5), (1, 1), "VALID", "kernel larger than input", out = Some(In(Seq(1, 1, 1, 1)).fed),
      grad = Some(In(Seq(1, 1, 1, 1)).fed),
      error = "Computed output size would be negative: -1 [input_size: 3, effective_filter_size: 5, stride: 1]"),
    // ---------------------------------------------------------------- AvgPoolGrad
    avgGrad(Seq(2, 4, 4, 3), (2, 2), (2, 2), "VALID"),
    avgGrad(Seq(1, 5, 5, 2), (2, 2), (2, 2), "SAME", "odd size"),
    avgGrad(Seq(1, 4, 4, 2), (3, 3), (1, 1), "SAME", "counts 4, 6 and 9"),
    avgGrad(Seq(2, 6, 6, 3), (3, 3), (2, 2), "SAME", "0 before 1 after"),
    avgGrad(Seq(1, 5, 6, 2), (3, 2), (2, 1), "SAME"),
    avgGrad(Seq(1, 8, 8, 1), (2, 2), (3, 3), "SAME", "stride > kernel"),
    avgGrad(Seq(1, 9, 10, 1), (2, 3), (3, 4), "VALID", "stride > kernel"),
    avgGrad(Seq(1, 3, 3, 2), (5, 5), (1, 1), "SAME", "kernel > input"),
    avgGrad(Seq(1, 4, 5, 1), (5, 5), (1, 1), "SAME", "TF's range for windows over both ends"),
    avgGrad(Seq(2, 3, 3, 2), (1, 1), (1, 1), "VALID", "1x1"),
    avgGrad(Seq(4, 14, 14, 8), (2, 2), (2, 2), "SAME", "batch 4"),
    avgGrad(Seq(4, 28, 28, 32), (2, 2), (2, 2), "SAME", "CNN layer 1 shape"),
    avgGrad(Seq(1, 4, 4, 1), (2, 2), (1, 1), "SAME", "NaN inf",
      grad = Some(In(Seq(1, 4, 4, 1), edges = Seq(NaN, 1, 2, Inf, 0, -Inf, 3, 4, 5, 6, 7, 8, -1, -2, Inf, 0)))),
    avgGrad(Seq(0, 4, 4, 2), (2, 2), (2, 2), "SAME", "empty batch"),
    avgGrad(Seq(1, 4, 4, 1), (2, 2), (2, 2), "VALID", "3 shape values", shape = Some(ints(1, 4, 4).fed),
      grad = Some(In(Seq(1, 2, 2, 1)).fed), error = "out_backprop must be 1-dimensional and 4 elements"),
    avgGrad(Seq(1, 4, 4, 1), (2, 2), (2, 2), "VALID", "grad of rank 3", shape = Some(ints(1, 4, 4, 1).fed),
      grad = Some(In(Seq(2, 2, 1)).fed), error = "out_backprop must be 4-dimensional"),
    KCase("AvgPoolGrad", Seq(ints(1, 4, 4, 2), In(Seq(1, 2, 2, 1))), F, Exact,
      Seq("T" -> Dt, "ksize" -> ilist(1, 2, 2, 2), "strides" -> ilist(1, 2, 2, 1), "padding" -> "VALID"),
      label = "depth window", error = "Non-spatial pooling is not yet supported. Volunteers? :)"),
  )
}
