package io.sparkpoint.it

import io.sparkpoint.tensor.DType

/**
 * The reduce kernels (io.sparkpoint.kernels.reduce) against TensorFlow 2.18, on the shared [[ConformanceSuite]]
 * machinery: Sum, Mean, Max, Min, Prod, ArgMax and ArgMin.
 *
 * Tolerances ([[KernelConformanceSuite]]'s table): Sum, Mean and Prod are Accumulating (the summation order
 * differs from Eigen's: max(1e-6·M, 1e-6) in float32, max(1e-12·M, 1e-12) in float64, M the largest |value| of the
 * output); Max, Min, ArgMax and ArgMin are Exact. Integer results are exact, wrapping as TensorFlow's do.
 *
 * Dtypes: float32, float64, int32 and int64 (ArgMax and ArgMin also bool); NaN and infinity cases in float only.
 * Axes are fixed int32 Consts (`ints`, `int`), int64 in the cases labelled "int64". Reductions over empty tensors
 * give each op's identity (0, 1, NaN for Mean, -inf and +inf for float Max and Min, the integer limits for ints).
 *
 * Error cases (label "error", float32 only) feed the axes through a Placeholder of unknown shape, so that
 * TensorFlow's kernel (not its shape inference) refuses them; ours must carry the same wording.
 *
 * What TensorFlow 2.18 does here that a reader might not guess (each was a difference, now fixed in our kernels):
 * float Max and Min return NaN for a row holding NaN; int32 Mean sums in 64 bits (Sum and Prod wrap, int64 Mean
 * wraps); ArgMax and ArgMin never pick NaN, and start from index 0 holding the lowest (highest) finite value, so
 * ArgMax of [NaN, -inf, -inf] is 0.
 */
class ReduceConformanceSuite extends ConformanceSuite(ReduceConformanceSuite.cases)

object ReduceConformanceSuite {
  import KernelConformance._

  private val FIB: Seq[DType] = FI :+ DType.BOOL
  private def family(op: String): Family = if (op == "Max" || op == "Min") Exact else Accumulating

  /** A reduction of `x` over `axes`. */
  private def red(op: String, x: In, axes: In, label: String = "", keep: Boolean = false, dts: Seq[DType] = FI) =
    KCase(op, Seq(x, axes), dts, family(op), Seq("T" -> Dt, "keep_dims" -> keep), label = (if (keep) s"keep_dims $label" else label).trim)
  private def arg(op: String, x: In, dim: In, label: String = "", dts: Seq[DType] = FIB, attrs: Seq[(String, Any)] = Nil) =
    KCase(op, Seq(x, dim), dts, Exact, Seq("T" -> Dt) ++ attrs, label = label)
  private def err(op: String, ins: Seq[In], gist: String) =
    KCase(op, ins, Seq(DType.FLOAT), Exact, label = "error", error = gist)

  /**
   * Rows of NaN and infinities: NaN first, in the middle, last, all NaN, ties of -inf and of +inf, NaN before
   * infinities (ArgMax of [NaN, -inf, -inf] is 0 in TensorFlow: -inf never beats its starting value, the lowest float).
   */
  private val nanRows = In(Seq(9, 3), edges = Seq(NaN, 1, 2, 1, NaN, 0, 1, 3, NaN, NaN, NaN, NaN, -Inf, -Inf, -Inf,
    Inf, NaN, Inf, NaN, -Inf, -Inf, NaN, Inf, Inf, -Inf, NaN, 5))
  /** Sums and products that overflow int32 (and Mean's sum with them). */
  private val overflow = In(Seq(2, 3), edges = Seq(2e9, 2e9, 2e9, -2e9, -2e9, 7))
  /** Ties: every row holds its extreme value twice or more. */
  private val ties = In(Seq(3, 4), edges = Seq(3, 1, 3, 3, 2, 2, 2, 2, -1, 5, 5, -1))

  val cases: Seq[KCase] = Seq("Sum", "Mean", "Max", "Min", "Prod").flatMap(op => Seq(
    red(op, m(2, 3), int(1)),
    red(op, m(2, 3), ints(0), keep = true),
    red(op, m(2, 3, 4), ints(0, 2), "two axes"),
    red(op, m(2, 3, 4), ints(2, 0), "two axes", keep = true),
    red(op, m(2, 3, 4), ints(-1), "negative axis"),
    red(op, m(2, 3, 4), ints(-1, 0), "negative and positive"),
    red(op, m(2, 3), ints(0, 1), "all axes"),
    red(op, m(2, 3), ints(1, 0), "all axes", keep = true),
    red(op, m(2, 3), ints(), "no axes: no reduction"),
    red(op, m(2, 3), ints(), "no axes: no reduction", keep = true),
    red(op, m(), ints(), "scalar"),
    red(op, m(4, 5), int(1).i64, "int64").copy(attrs = Seq("T" -> Dt, "Tidx" -> DType.INT64)),
    red(op, m(0, 3), int(0), "empty: identity"),
    red(op, m(3, 0), int(1), "empty: identity", keep = true),
    red(op, m(0, 3), int(1), "empty output"),
    red(op, m(0), int(0), "empty to a scalar"),
    red(op, m(2, 0, 3), ints(0, 1), "empty: identity"),
    red(op, e(2, 5), int(1), "int32 edges"),
    red(op, overflow, int(1), "int32 overflow wraps"),
    red(op, In(Seq(3), edges = Seq(9e18, 9e18, -5)), int(0), "int64 overflow wraps", dts = Seq(DType.INT64)),
    red(op, specials, int(0), "NaN inf", dts = F),
    red(op, nanRows, int(1), "NaN anywhere in a row", dts = F),
    red(op, nanRows, int(0), "NaN anywhere in a column", dts = F),
    red(op, specials2.copy(shape = Seq(2, 4)), int(1), "NaN inf rows", dts = F),
    red(op, In(Seq(2, 4), edges = Seq(Inf, -Inf, 1, 2, 1e30, 1e30, 1e30, 1e10)), int(1), "infinities, float32 overflow", dts = F),
    red(op, In(Seq(64, 33), -3, 3), int(0), "long columns"),
    red(op, In(Seq(5, 300), -2, 2), int(1), "long rows"),
  )) ++ Seq(
    err("Sum", Seq(m(2, 3), ints(2).fed), "Invalid reduction dimension (2 for input with 2 dimension(s)"),
    err("Max", Seq(m(2, 3), ints(-3).fed), "Invalid reduction dimension (-3 for input with 2 dimension(s)"),
    err("Mean", Seq(m(2, 3), ints(1, -1).fed), "Axes contains duplicate dimension: 1"),
  ) ++ Seq("ArgMax", "ArgMin").flatMap(op => Seq(
    arg(op, v(2, 3), int(1)),
    arg(op, v(2, 3), int(0), "dimension 0"),
    arg(op, v(2, 3, 4), int(-2), "negative dimension"),
    arg(op, v(7), int(0), "to a scalar"),
    arg(op, v(2, 3), int(1), "output_type int32", attrs = Seq("output_type" -> DType.INT32)),
    arg(op, v(2, 3), int(1).i64, "int64", attrs = Seq("Tidx" -> DType.INT64)),
    arg(op, ties, int(1), "ties take the first index", FI),
    arg(op, nanRows, int(1), "NaN inf", F),
    arg(op, nanRows, int(0), "NaN inf columns", F),
    arg(op, In(Seq(4), edges = Seq(-2147483648.0, -2147483648.0, 2147483647, 2147483647)), int(0), "int32 limits", FI),
    arg(op, v(0, 3), int(1), "empty output"),
    arg(op, In(Seq(40, 37), -5, 5, whole = true), int(1), "long rows"),
    err(op, Seq(v(2, 3), int(2).fed), "Expected dimension in the range [-2, 2), but got 2"),
    err(op, Seq(v(0, 3), int(0)), "Reduction axis 0 is empty in shape [0,3]"),
  ))
}
