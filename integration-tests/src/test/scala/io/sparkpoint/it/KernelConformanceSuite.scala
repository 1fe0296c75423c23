package io.sparkpoint.it

import java.util.concurrent.atomic.AtomicInteger

import scala.jdk.CollectionConverters._

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.exec.Session
import io.sparkpoint.graph.Graph
import io.sparkpoint.tensor.{DType, Shape}

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
 */
class KernelConformanceSuite extends AnyFunSuite with Matchers {
  import KernelConformance._

  // ---------------------------------------------------------------- inputs

  /** Edge values for ints and floats alike: 0, ±1, ±2e9 (int32 sums and products wrap, as in TF). */
  private val big = Seq(0.0, -1.0, 1.0, 2e9, -2e9)
  private def v(shape: Long*) = In(shape)
  private def e(shape: Long*) = In(shape, edges = big)
  private def pos(shape: Long*) = In(shape, 0.01, 100, edges = Seq(0, 1, 1e30, 4, 1e-30))
  private def m(shape: Long*) = In(shape, -3, 3)
  /** IEEE specials, float dtypes only; `specials` and `specials2` pair up every interesting combination. */
  private val specials = In(Seq(8), edges = Seq(NaN, Inf, -Inf, -1, 0, -0.0, 2.5, Inf))
  private val specials2 = In(Seq(8), edges = Seq(1, NaN, Inf, Inf, -Inf, 0, -0.0, -Inf))
  private val intLimits = In(Seq(4), edges = Seq(-2147483648.0, 2147483647.0, 0, -7))

  private def u(op: String, in: In, dts: Seq[DType] = FI, fam: Family = Arith, label: String = "") =
    KCase(op, Seq(in), dts, fam, label = label)
  private def b(op: String, x: In, y: In, dts: Seq[DType] = FI, fam: Family = Arith, label: String = "") =
    KCase(op, Seq(x, y), dts, fam, label = label)
  private def mm(op: String, x: In, y: In, flags: (String, Boolean)*) = KCase(op, Seq(x, y), FI, Accumulating,
    Seq("T" -> Dt) ++ flags, label = (flags.filter(_._2).map(_._1) ++ (if (x.shape.size != y.shape.size) Seq("broadcast") else Nil)).mkString(" "))

  // ---------------------------------------------------------------- cases (one line each)

  private val binary = Seq("Add", "AddV2", "Sub", "Mul", "Maximum", "Minimum")
  private val cases: Seq[KCase] = Seq(
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

  // ---------------------------------------------------------------- running

  private val graph = new Graph()
  private val launches = new AtomicInteger()
  private val compared = new AtomicInteger()
  /** The largest |ours - tf| / tolerance seen, per (family, dtype): how much room the tolerances leave. */
  private val worst = new java.util.concurrent.ConcurrentHashMap[String, Double]()

  /** Every (case, dtype): its subgraph added to `graph` and run by our Session. */
  private lazy val combos: Map[(Int, DType), Combo] = {
    val session = new Session(graph)
    (for ((c, i) <- cases.zipWithIndex; d <- c.dtypes) yield (i, d) -> build(graph, session, i, c, d)).toMap
  }

  /** TensorFlow's outputs for every subgraph we did not skip: as few oracle launches as possible (1 when all run). */
  private lazy val tf: Map[String, Either[String, TfOut]] = {
    val run = combos.values.filter(_.skip.isEmpty).toSeq.sortBy(c => (c.index, c.prefix))
    runTf(graph.toGraphDef(), run, launches)
  }

  for ((c, i) <- cases.zipWithIndex; d <- c.dtypes) {
    test(f"$i%03d ${c.name} [${d.pythonName()}]") {
      val combo = combos((i, d))
      combo.skip.filter(_.startsWith("inputs")).foreach(why => fail(s"the case is wrong: $why"))
      assume(combo.skip.isEmpty, combo.skip.getOrElse(""))
      val theirs = combo.fetches.map(f => tf.getOrElse(f, tf.getOrElse(combo.prefix, Left(s"TF did not return $f"))))
      val clue = s"${combo.prefix}: ${c.op} ${c.attrs.map { case (k, v) => s"$k=$v" }.mkString(" ")}; inputs ${describeInputs(combo)}"
      withClue(clue + "\n") {
        combo.ours match {
          case Left(error) => fail(s"our kernel failed: $error; TF: ${theirs.mkString(", ")}")
          case Right(ours) =>
            ours.size shouldBe combo.fetches.size
            for (((o, t), f) <- ours.zip(theirs).zip(combo.fetches)) t match {
              case Left(error) => fail(s"$f: TF failed where our kernel succeeded: $error")
              case Right(out) =>
                val (problem, n, w) = compare(c.family, o, out)
                compared.addAndGet(n)
                if (d == DType.FLOAT || d == DType.DOUBLE) worst.merge(s"${c.family} ${d.pythonName()}", w, (a: Double, b: Double) => math.max(a, b))
                problem.foreach(p => fail(s"$f: $p"))
            }
        }
      }
    }
  }

  test("summary: cases, comparisons, skips and oracle launches") {
    val all = combos.values.toSeq
    val skipped = all.filter(_.skip.nonEmpty)
    info(s"${cases.size} cases, ${all.size} (case, dtype) subgraphs, ${all.size - skipped.size} run in both, " +
      s"${skipped.size} skipped, ${compared.get} elements compared, ${launches.get} oracle launch(es)")
    worst.asScala.toSeq.sorted.foreach { case (k, w) => info(f"$k: largest |ours - tf| / tolerance = $w%.2g") }
    skipped.groupBy(s => (s.c.op, s.dtype.pythonName())).keys.toSeq.sorted.foreach { case (op, d) => info(s"skipped: $op $d") }
    all.size - skipped.size should be > 0
  }
}
