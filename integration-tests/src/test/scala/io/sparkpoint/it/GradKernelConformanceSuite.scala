package io.sparkpoint.it

import io.sparkpoint.tensor.DType

/**
 * The kernels of TensorFlow's gradient vocabulary against TensorFlow 2.18, on [[ConformanceSuite]]: ReluGrad,
 * Relu6Grad, EluGrad, SigmoidGrad, TanhGrad and BiasAddGrad (io.sparkpoint.kernels.nn); AddN, Reciprocal, SqrtGrad,
 * RsqrtGrad and ReciprocalGrad (io.sparkpoint.kernels.math); BroadcastGradientArgs (both outputs, r0 and r1) and
 * PreventGradient.
 *
 * Tolerances (the families of [[KernelConformanceSuite]]'s table, with two rows added for the half-precision floats):
 * {{{
 *   family        ops                                        ints    float32                 float64                  float16 / bfloat16
 *   Exact         BroadcastGradientArgs PreventGradient      exact   exact                   exact                    exact
 *   Arith         ReluGrad Relu6Grad EluGrad SigmoidGrad     exact   max(1e-6·|tf|, 1e-6)    max(1e-12·|tf|, 1e-12)   max(s·|tf|, s)
 *                 TanhGrad SqrtGrad RsqrtGrad ReciprocalGrad
 *                 Reciprocal
 *   Accumulating  BiasAddGrad AddN (M = max(|tf|, the        exact   max(1e-6·M, 1e-6)       max(1e-12·M, 1e-12)      max(s·M, s)
 *                 largest finite |value| of the output)
 * }}}
 * s is about 4 units in the last place at 1: 2^-8 for float16, 2^-5 for bfloat16. TF computes half-precision floats
 * one operation at a time, rounding each result; we compute a whole formula in float32 and round once (BiasAddGrad:
 * TF accumulates float16 in float32 and bfloat16 in bfloat16, we accumulate both in double).
 *
 * Where float32 and float64 results are not bit-identical, and why (the summary counts them):
 *  - SigmoidGrad and SqrtGrad: TF's vectorized loop computes dy * (y * (1 - y)) and dy * (0.5 / y), as we do, but the
 *    last n mod 8 float32 (n mod 4 float64) elements go through its scalar formulas (dy * y) * (1 - y) and
 *    (0.5 * dy) / y, one rounding apart;
 *  - Reciprocal: TF's float32 kernel is not correctly rounded (1 / -1 gives -0.99999994), ours is;
 *  - BiasAddGrad: TF sums float32 in float32, in an order that depends on its thread count;
 *  - AddN: our order is TF's kernel's, bit-identical up to 10 inputs here, but TF's graph optimizer (Grappler's
 *    memory optimizer, its constant folding) may rewrite a sum of many inputs, or of Consts, in another order.
 *
 * Dtypes: float32, float64, float16 and bfloat16 for every op; ReluGrad, Relu6Grad, AddN and BiasAddGrad also on
 * int32, int64, uint8 and uint16 (the unsigned ones as Const inputs, as the oracle cannot feed them, and with values
 * that wrap: uint8 sums above 255). BroadcastGradientArgs on int32 and int64. The other integer dtypes the OpDefs allow
 * (int8, int16, uint32, uint64) have unit tests only: the oracle cannot fetch them. Reciprocal on integers has no TF
 * CPU kernel to compare with (TF 2.18 registers float types only); ours divides as C++ does (unit tests).
 *
 * Cases with `error` run on float32 and must fail in both with that gist; their inputs have `unknownShape` where TF's
 * shape inference would refuse the graph before the kernel runs.
 */
class GradKernelConformanceSuite extends ConformanceSuite(GradKernelConformanceSuite.cases)

object GradKernelConformanceSuite {
  import KernelConformance._

  private val H: Seq[DType] = Seq(DType.HALF, DType.BFLOAT16)
  private val FH: Seq[DType] = F ++ H
  private val SignedReal: Seq[DType] = FH ++ Seq(DType.INT32, DType.INT64)
  private val Unsigned: Seq[DType] = Seq(DType.UINT8, DType.UINT16)
  private val F32: Seq[DType] = Seq(DType.FLOAT)
  private val Ints: Seq[DType] = Seq(DType.INT32, DType.INT64)

  private def pair(op: String, a: In, b: In, dts: Seq[DType] = FH, label: String = "") =
    KCase(op, Seq(a, b), dts, Arith, label = label)
  private def err(op: String, ins: Seq[In], gist: String, attrs: Seq[(String, Any)] = Seq("T" -> Dt)) =
    KCase(op, ins, F32, Exact, attrs, label = "error", error = gist)

  /** Whole numbers in [0, hi), for the unsigned dtypes. */
  private def nat(shape: Long*)(hi: Double, edges: Double*) = In(shape, 0, hi, edges, whole = true)
  /** Values in [lo, hi). */
  private def r(lo: Double, hi: Double, edges: Double*)(shape: Long*) = In(shape, lo, hi, edges)

  // ------------------------------------------------------------------ activation gradients

  /** Features around the gates: exact zeros, both signs of tiny values, 6 and its neighbours. */
  private val gates = In(Seq(2, 6), -8, 8, Seq(0, -0.0, 1e-30, -1e-30, 6, 5.999, 6.001, -6, 1, -1))
  private val intGates = In(Seq(2, 5), -8, 8, Seq(0, 6, 5, 7, -1, 1, 2e9, -2e9), whole = true)

  private val reluGrads = Seq("ReluGrad", "Relu6Grad").flatMap(op => Seq(
    pair(op, v(3, 4), v(3, 4), SignedReal),
    pair(op, e(2, 5), intGates, Ints, "int32 limits"),
    pair(op, v(2, 6), gates, FH, "at 0 and 6"),
    pair(op, nat(3, 4)(200), nat(3, 4)(9, 0, 6, 5, 7, 255), Unsigned, "unsigned"),
    pair(op, specials, specials2, FH, "NaN inf"),
    pair(op, specials2, specials, FH, "NaN inf features"),
    pair(op, v(), v(), FH, "scalar"),
    pair(op, v(0, 3), v(0, 3), FH, "empty"),
  )) ++ Seq("ReluGrad", "Relu6Grad", "EluGrad").map(op =>
    err(op, Seq(v(2, 3).fed, v(6).fed), "must have the same size and shape.  Input 0: [2,3] != input 1: [6]"))

  private val smoothGrads = Seq(
    // EluGrad(gradients, outputs): Elu's outputs are > -1
    pair("EluGrad", v(3, 4), r(-1, 6, 0, -0.0, -1, -0.5, -1e-8, 1e-8)(3, 4)),
    pair("EluGrad", specials, specials2, FH, "NaN inf"),
    pair("EluGrad", specials2, specials, FH, "NaN inf outputs"),
    // SigmoidGrad(y, dy): y in (0, 1); TanhGrad(y, dy): y in (-1, 1)
    pair("SigmoidGrad", r(0, 1, 0, 1, 0.5, 1e-7)(3, 4), v(3, 4)),
    pair("SigmoidGrad", specials, specials2, FH, "NaN inf"),
    pair("TanhGrad", r(-1, 1, 0, 1, -1, 0.999)(3, 4), v(3, 4)),
    pair("TanhGrad", specials, specials2, FH, "NaN inf"),
    pair("SigmoidGrad", v(2, 3).fed, v(6).fed, FH, "same count, other shapes"),
  )

  // ------------------------------------------------------------------ Sqrt, Rsqrt and Reciprocal

  /** y where dy is 0 (0 * inf and 0 * NaN must give 0) and where it is not. */
  private val zeroDyY = In(Seq(10), edges = Seq(0, Inf, NaN, -0.0, 0, 2, Inf, NaN, -Inf, 1e-30))
  private val zeroDy = In(Seq(10), edges = Seq(0, 0, 0, 0, 1, -0.0, 1, -1, 0, 1e-30))

  private val powerGrads = Seq("SqrtGrad", "RsqrtGrad", "ReciprocalGrad").flatMap(op => Seq(
    pair(op, pos(3, 4), v(3, 4)),
    pair(op, r(-5, 5)(3, 4), v(3, 4), FH, "negative y"),
    pair(op, zeroDyY, zeroDy, FH, "zero dy"),
    pair(op, specials, specials2, FH, "NaN inf"),
  ))

  private val reciprocal = Seq(
    KCase("Reciprocal", Seq(v(3, 4)), FH, Arith),
    KCase("Reciprocal", Seq(In(Seq(6), edges = Seq(1e-30, -1e-30, 1e30, 3, 7, 1e-300))), F, Arith, label = "tiny and huge"),
    KCase("Reciprocal", Seq(specials), FH, Arith, label = "NaN inf, 1/0"),
  )

  // ------------------------------------------------------------------ AddN

  private def addN(ins: Seq[In], dts: Seq[DType], label: String = "") =
    KCase("AddN", ins, dts, Accumulating, Seq("N" -> ins.size, "T" -> Dt), label = s"N=${ins.size} $label".trim)

  private val addNCases = Seq(1, 2, 3, 8, 9, 10, 17).map(n => addN(Seq.tabulate(n)(_ => v(2, 3)), SignedReal)) ++ Seq(
    addN(Seq.fill(3)(nat(2, 3)(200)), Unsigned, "wrapping"),
    addN(Seq.fill(2)(e(5)), Ints, "int32 limits"),
    addN(Seq(specials, specials2, v(8)), FH, "NaN inf"),
    // 1e8 + 0 + eight 1s: TF sums the group of eight first (1e8 + 8); one at a time, each 1 would be rounded away
    addN(In(Seq(1), edges = Seq(1e8)) +: In(Seq(1), edges = Seq(0)) +: Seq.fill(8)(In(Seq(1), edges = Seq(1))), F,
      "summation order"),
    addN(Seq(v(), v()), FH, "scalars"),
    addN(Seq(v(0, 2), v(0, 2)), FH, "empty"),
    err("AddN", Seq(v(2).fed, v(3).fed), "must have the same size and shape.  Input 0: [2] != input 1: [3]",
      Seq("N" -> 2, "T" -> Dt)),
  )

  // ------------------------------------------------------------------ BiasAddGrad

  private def biasGrad(in: In, dts: Seq[DType] = FH ++ Ints, label: String = "") =
    KCase("BiasAddGrad", Seq(in), dts, Accumulating, label = label)

  private val biasAddGrad = Seq(
    biasGrad(v(4, 3)),
    biasGrad(v(2, 3, 2, 5), label = "NHWC"),
    biasGrad(v(1, 5), label = "one row"),
    biasGrad(v(6, 1), label = "one channel"),
    biasGrad(m(256, 64).copy(const = true), F, "256 rows"), // a Const: too many values for a command line
    biasGrad(nat(5, 3)(200), Unsigned, "unsigned, wrapping"),
    biasGrad(e(5, 2), Ints, "int32 limits"),
    biasGrad(specials.copy(shape = Seq(4, 2)), FH, "NaN inf"),
    biasGrad(v(0, 3), label = "no rows"),
    biasGrad(v(2, 0), label = "no channels"),
    err("BiasAddGrad", Seq(v(3).fed), "Input tensor must be at least 2D: [3]"),
  )

  // ------------------------------------------------------------------ BroadcastGradientArgs and PreventGradient

  /** A shape vector of the tested integer dtype. */
  private def sh(dims: Long*) = In(Seq(dims.size.toLong), edges = dims.map(_.toDouble), whole = true)
  private def bcast(s0: In, s1: In, label: String, dts: Seq[DType] = Ints) =
    KCase("BroadcastGradientArgs", Seq(s0, s1), dts, Exact, outputs = 2, label = label)

  private val broadcastGradientArgs = Seq(
    bcast(sh(2, 3), sh(2, 3), "equal"),
    bcast(sh(1, 1), sh(1, 1), "equal ones"),
    bcast(sh(), sh(), "scalars"),
    bcast(sh(), sh(2, 3), "scalar and matrix"),
    bcast(sh(4), sh(), "vector and scalar"),
    bcast(sh(2, 3, 4), sh(3, 1), "leading axis missing"),
    bcast(sh(2, 1, 4), sh(1, 3, 1), "both broadcast"),
    bcast(sh(1), sh(1, 1), "only ones"),
    bcast(sh(1, 3), sh(1, 1, 3), "leading ones"),
    bcast(sh(5, 0), sh(1), "zero dimension"),
    bcast(sh(256, 10), sh(10), "bias"),
    bcast(sh(1, 1L << 33), sh(1L << 33), "int64 dimension", Seq(DType.INT64)),
    err("BroadcastGradientArgs", Seq(sh(2, 3), sh(4)), "Incompatible shapes: [2,3] vs. [4]").copy(dtypes = Ints),
    err("BroadcastGradientArgs", Seq(sh(2, 3), sh(3, 2)), "Incompatible shapes: [2,3] vs. [3,2]").copy(dtypes = Ints),
    err("BroadcastGradientArgs", Seq(In(Seq(2, 2), edges = Seq(1, 2, 3, 4), whole = true).fed, sh(2)),
      "In[0] must be a vector.[2,2]").copy(dtypes = Ints),
  )

  private val preventGradient = Seq(
    KCase("PreventGradient", Seq(e(2, 3)), FIBS, Exact, Seq("T" -> Dt, "message" -> "no second derivative here")),
    KCase("PreventGradient", Seq(specials), FH, Exact, label = "NaN inf"),
  )

  /** The simple cwise gradient kernels check element counts only. */
  private val countErrors = Seq("SigmoidGrad", "TanhGrad", "SqrtGrad", "RsqrtGrad", "ReciprocalGrad").map(op =>
    err(op, Seq(v(2).fed, v(3).fed), "The two arguments to a cwise op must have same number of elements, got 2 and 3"))

  val cases: Seq[KCase] = countErrors ++ reluGrads ++ smoothGrads ++ powerGrads ++ reciprocal ++ addNCases ++ biasAddGrad ++
    broadcastGradientArgs ++ preventGradient
}
