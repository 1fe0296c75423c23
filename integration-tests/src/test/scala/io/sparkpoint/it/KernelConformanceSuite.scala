package io.sparkpoint.it

import io.sparkpoint.tensor.Shape

/**
 * Every kernel against TensorFlow 2.18 (the tf-oracle's `run`): for each case and dtype, the same single-op
 * GraphDef (Placeholders + the op, built with Graph / OperationBuilder, so OpDef defaults are filled and attrs
 * checked) and the same inputs, in our Session and in TensorFlow. All (case, dtype) subgraphs sit in ONE GraphDef
 * under distinct prefixes (`k012_float32/x0`, `k012_float32/op`), and TensorFlow runs all their fetches in one
 * oracle launch (a failing launch is bisected to name the failing subgraphs). See [[KernelConformance]].
 *
 * Tolerances: |ours - tf| <= tol, where tf is TensorFlow's value (NaN must meet NaN, ±inf the same inf):
 * {{{
 *   family          ops                                           int32/int64  float32                            float64
 *   Exact           Const Placeholder PlaceholderWithDefault      exact        exact                              exact
 *                   Identity IdentityN NoOp StopGradient
 *   Arith           Add AddV2 Sub Mul RealDiv Div Maximum         exact        max(1e-6·|tf|, 1e-6)               max(1e-12·|tf|, 1e-12)
 *                   Minimum Neg Square Abs Sign Relu Relu6 BiasAdd
 *   Transcendental  Sqrt Rsqrt Exp Log Pow Elu Sigmoid Tanh       exact        max(1e-6·|tf|, 1e-6, 4 ulp(tf))   max(1e-12·|tf|, 1e-12)
 *                   Softmax LogSoftmax
 *   Accumulating    MatMul BatchMatMulV2 (sums of products,       exact        max(1e-6·M, 1e-6)                  max(1e-12·M, 1e-12)
 *                   summation order differs: M = max(|tf|, the
 *                   largest finite |value| of the output))
 * }}}
 * Integer results are compared exactly, wrapping on overflow as in C++ (TF's Eigen kernels).
 *
 * Placeholder has no case of its own: every case feeds its inputs through Placeholders (TF cannot fetch a fed tensor).
 *
 * Dtypes: float32 and float64 for every op, int32 and int64 too where the OpDef allows ints (not for Sqrt, Rsqrt,
 * Log, Exp, Elu, Sigmoid, Tanh, Softmax, LogSoftmax). Skipped (cancelled), not failed: a dtype the OpDef refuses, and
 * one our kernel refuses on purpose ("Unsupported dtype": int32/int64 RealDiv, which has no TF CPU kernel either).
 *
 * To add a case, add one line to `cases` (an op, its inputs, its dtypes, its tolerance family, attrs if any).
 * Other kernel families have suites of their own on [[ConformanceSuite]], with their tolerances in their headers;
 * each suite launches the oracle once. The families and tolerances above hold for all of them.
 */
class KernelConformanceSuite extends ConformanceSuite(KernelConformanceSuite.cases)

object KernelConformanceSuite {
  import KernelConformance._

  // ---------------------------------------------------------------- cases (one line each)

  private val binary = Seq("Add", "AddV2", "Sub", "Mul", "Maximum", "Minimum")
  val cases: Seq[KCase] = Seq(
    KCase("Const", Nil, FI, Exact, Seq("dtype" -> Dt, "value" -> ValueOf(e(2, 3)))),
    KCase("PlaceholderWithDefault", Seq(In(Seq(2, 2), const = true)), FI, Exact, Seq("dtype" -> Dt, "shape" -> Shape.of(2, 2)), label = "default"),
    KCase("PlaceholderWithDefault", Seq(e(2, 2)), FI, Exact, Seq("dtype" -> Dt, "shape" -> Shape.of(2, 2)), label = "fed"),
    u("Identity", e(2, 3), FI, Exact),
    u("Identity", specials, F, Exact, "NaN inf"),
    u("StopGradient", e(3), FI, Exact),
    KCase("IdentityN", Seq(v(2), e(3, 1), v()), FI, Exact, Seq("T" -> DtList(3)), outputs = 3),
    KCase("NoOp", Seq(In(Seq(2), const = true)), FI, Exact, Nil, outputs = 0, label = "target with a control input"),
  ) ++ binary.flatMap(op => Seq(
    b(op, e(2, 5), e(2, 5)),
    b(op, v(2, 3), v(3), label = "broadcast"),
    b(op, v(2, 1, 3), v(4, 1), label = "broadcast both"),
    b(op, v(), e(2, 2), label = "scalar"),
    b(op, specials, specials2, F, label = "NaN inf"),
  )) ++ Seq(
    b("RealDiv", v(2, 3), In(Seq(2, 3), nz = true)),
    b("RealDiv", v(2, 3), In(Seq(3), nz = true), label = "broadcast"),
    b("RealDiv", specials, specials2, F, label = "NaN inf, x/0"),
    b("Div", In(Seq(2, 4), -20, 20), In(Seq(2, 4), -5, 5, nz = true), label = "ints truncate toward 0"),
    b("Div", v(2, 3), In(Seq(1, 3), nz = true), label = "broadcast"),
    b("Div", specials, specials2, F, label = "NaN inf, x/0"),
    b("Pow", In(Seq(2, 3), 0.1, 5), In(Seq(2, 3), -3, 3), F, Transcendental),
    b("Pow", In(Seq(2, 4), -5, 5, whole = true), In(Seq(2, 4), 0, 6, whole = true), FI, Transcendental, "integer powers"),
    b("Pow", In(Seq(2, 3), 0.1, 5), In(Seq(3), -2, 2), F, Transcendental, "broadcast"),
    b("Pow", In(Seq(6), edges = Seq(0, NaN, 1, -8, Inf, 0)), In(Seq(6), edges = Seq(-1, 0, NaN, 1.0 / 3, 0.5, 0)), F, Transcendental, "specials"),
  ) ++ Seq("Neg", "Square", "Abs", "Sign").flatMap(op => Seq(
    u(op, e(2, 5)),
    u(op, intLimits, FI, Arith, "int32 limits"),
    u(op, specials, F, Arith, "NaN inf"),
  )) ++ Seq("Sqrt", "Rsqrt", "Log").flatMap(op => Seq(
    u(op, pos(2, 5), F, Transcendental),
    u(op, specials, F, Transcendental, "NaN inf, negative"),
  )) ++ Seq(
    u("Exp", In(Seq(2, 5), -10, 10, edges = Seq(0, 80, -80, 100, -110, 1e-8)), F, Transcendental),
    u("Exp", specials, F, Transcendental, "NaN inf"),
    // matrix ops
    mm("MatMul", m(3, 4), m(4, 5)),
    mm("MatMul", m(4, 3), m(4, 5), "transpose_a" -> true),
    mm("MatMul", m(3, 4), m(5, 4), "transpose_b" -> true),
    mm("MatMul", m(4, 3), m(5, 4), "transpose_a" -> true, "transpose_b" -> true),
    mm("MatMul", m(16, 32), m(32, 8)),
    mm("MatMul", m(1, 1), m(1, 7)),
    KCase("MatMul", Seq(In(Seq(2, 2), edges = Seq(NaN, 1, Inf, 2)), In(Seq(2, 2), edges = Seq(1, 0, 0, 1))), F, Accumulating, label = "NaN inf"),
    mm("BatchMatMulV2", m(2, 3, 4), m(2, 4, 5)),
    mm("BatchMatMulV2", m(2, 1, 3, 4), m(3, 4, 2)),
    mm("BatchMatMulV2", m(4, 2, 3), m(3, 2)),
    mm("BatchMatMulV2", m(3, 4), m(4, 2)),
    mm("BatchMatMulV2", m(2, 4, 3), m(2, 4, 5), "adj_x" -> true),
    mm("BatchMatMulV2", m(2, 3, 4), m(2, 5, 4), "adj_y" -> true),
    mm("BatchMatMulV2", m(2, 4, 3), m(1, 5, 4), "adj_x" -> true, "adj_y" -> true),
    b("BiasAdd", e(2, 3), v(3)),
    b("BiasAdd", v(2, 2, 2, 3), e(3), label = "NHWC"),
    b("BiasAdd", specials.copy(shape = Seq(2, 4)), In(Seq(4), edges = Seq(Inf, NaN, 1, -Inf)), F, label = "NaN inf"),
    // activations
    u("Relu", e(2, 5)),
    u("Relu", specials, F, label = "NaN inf"),
    u("Relu6", In(Seq(2, 5), -3, 9, edges = Seq(6, 0, -0.0, 7, 2e9))),
    u("Relu6", specials, F, label = "NaN inf"),
    u("Elu", In(Seq(2, 5), -5, 5, edges = Seq(0, -20, 50, -1e-8, -1)), F, Transcendental),
    u("Elu", specials, F, Transcendental, "NaN inf"),
    u("Sigmoid", In(Seq(2, 5), -10, 10, edges = Seq(0, -100, 100, 20, -20, 1e-8)), F, Transcendental),
    u("Sigmoid", specials, F, Transcendental, "NaN inf"),
    u("Tanh", In(Seq(2, 5), -10, 10, edges = Seq(0, -20, 20, 1e-8, 9, -0.5)), F, Transcendental),
    u("Tanh", specials, F, Transcendental, "NaN inf"),
  ) ++ Seq("Softmax", "LogSoftmax").flatMap(op => Seq(
    u(op, In(Seq(3, 5), -5, 5), F, Transcendental),
    u(op, In(Seq(2, 2, 4), -5, 5), F, Transcendental, "rank 3"),
    u(op, In(Seq(6), -5, 5), F, Transcendental, "rank 1"),
    u(op, In(Seq(2, 3), edges = Seq(1000, -1000, 0, 50, 51, 52)), F, Transcendental, "large logits"),
    u(op, In(Seq(3, 3), edges = Seq(Inf, 1, 2, NaN, 0, 1, -Inf, 0, 1)), F, Transcendental, "NaN inf"),
  ))

}
