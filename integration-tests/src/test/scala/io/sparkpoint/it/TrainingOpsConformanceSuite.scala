package io.sparkpoint.it

import java.nio.file.Files

import scala.collection.concurrent.TrieMap

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.graph.Graph
import io.sparkpoint.tensor.{DType, Tensor}

/**
 * The ops that update variables in a training step against TensorFlow 2.18: Apply{GradientDescent, Momentum, Adam, Adagrad,
 * AdagradV2, RMSProp, CenteredRMSProp} on ref variables (VariableV2 + Assign, fetching the op's ref output) and their
 * ResourceApply* twins on resource variables (VarHandleOp + AssignVariableOp, read back with ReadVariableOp), AssignAdd /
 * AssignSub and their VariableOp twins, and DestroyResourceOp. Each (case, style, dtype) is a subgraph of ONE GraphDef built
 * with our Graph API (see [[TrainingConformance]]); TensorFlow runs its initializers once and its fetches 20 times in one
 * oracle launch (`run --target … --runs 20`), our Session does the same, and the variable and every slot are compared after
 * every step (or only the variable, in the cases whose slots are updated in place). The gradient is `var * 0.5 + g0`, so
 * it differs at every step. The cases that must fail run in a second
 * launch (`--keep-going`, each fetch on its own after the initializers).
 *
 * Tolerances, with tf TensorFlow's value:
 * {{{
 *   after            float32 / float64                          int32 / int64 / bool
 *   step 1           |ours - tf| <= 4 ulp(M)                     exact
 *   steps 2 to 20    |ours - tf| <= 1e-4 * max(|tf|, 1e-3 * M)   exact
 *                    (M = the largest |tf| in that tensor at that step)
 * }}}
 * Our kernels evaluate TF's CPU functors operation by operation in the dtype's precision, so results are expected to be
 * bit-identical, and the summary reports how many elements are not. The ulps allow for TF's vectorized rsqrt in float32
 * Adagrad (Eigen's fast-math estimate refined by one Newton step, a few ulps off 1/sqrt, and CPU-specific, so it cannot be
 * reproduced); they are ulps of the tensor's largest value because `var - step` cancels where var is close to the step. An error case passes when our error contains `error` and TF's
 * contains `tfError` (default: the same text).
 *
 * Known difference: on a wrong-shaped `mg`, TF's ApplyCenteredRMSProp prints the shape of `ms` (a slip in its message);
 * we print `mg`'s.
 */
class TrainingOpsConformanceSuite extends AnyFunSuite with Matchers {
  import TrainingConformance._
  import TrainingOpsConformanceSuite._

  private val steps = 20

  private lazy val passing: Seq[Built] = {
    for ((c, i) <- cases.zipWithIndex; s <- c.styles; d <- c.dtypes) yield build(stepGraph, i, c, s, d)
  }
  private lazy val stepGraph = new Graph()
  private lazy val ours: Map[String, Tensor] = { passing; runOurs(stepGraph, passing, steps) }
  private lazy val theirs: Map[String, Oracle.Fetched] = {
    passing
    val file = Files.createTempFile("training-ops", ".pb")
    Files.write(file, stepGraph.toGraphDef.toByteArray)
    val (run, fetched) = Oracle.runGraph(file, passing.flatMap(_.fetches), targets = passing.flatMap(_.inits), runs = steps)
    Files.delete(file)
    withClue(run.stderr.takeRight(3000))(run.exitCode shouldBe 0)
    fetched.map(f => f.name -> f).toMap
  }

  private lazy val errorGraph = new Graph()
  private lazy val failing: Seq[Built] =
    for ((c, i) <- errors.zipWithIndex; s <- c.styles; d <- c.dtypes) yield build(errorGraph, 50 + i, c, s, d)
  private lazy val oursFailing: Map[String, Option[String]] = { failing; runOursFailing(errorGraph, failing) }
  private lazy val theirsFailing: Map[String, Oracle.Fetched] = {
    failing
    val file = Files.createTempFile("training-errors", ".pb")
    Files.write(file, errorGraph.toGraphDef.toByteArray)
    val feeds = failing.flatMap(_.feeds).map { case (n, t) => KernelConformance.feedSpec(n, t) }
    val (run, fetched) = Oracle.runGraph(file, failing.flatMap(_.fetches), feeds, failing.flatMap(_.inits), keepGoing = true)
    Files.delete(file)
    withClue(run.stderr.takeRight(3000))(run.exitCode shouldBe 0)
    fetched.map(f => f.name -> f).toMap
  }

  /**
   * Per (op, dtype): elements compared, not bit-identical, the largest difference after step 1 in ulps of M, and after
   * step 20 relative to max(|tf|, 1e-3 * M), as the tolerances measure them.
   */
  private val stats = TrieMap.empty[String, (Int, Int, Double, Double)]

  for ((c, i) <- cases.zipWithIndex; s <- c.styles; d <- c.dtypes) {
    test(f"$i%02d ${c.name} [${s.name} ${d.pythonName()}]") {
      val b = passing.find(b => b.c == c && b.style == s && b.dtype == d).get
      for (f <- b.fetches; r <- 1 to steps) {
        val key = if (r == 1) f else s"$f#$r"
        val mine = ours(key)
        val tf = theirs.getOrElse(key, fail(s"TF did not return $key"))
        withClue(s"$key after step $r: ") {
          mine.dtype().pythonName() shouldBe tf.dtype
          mine.shape().dims().mkString(",") shouldBe tf.shape
          compare(c, d, r, mine, tf)
        }
      }
    }
  }

  private def compare(c: TCase, d: DType, step: Int, mine: Tensor, tf: Oracle.Fetched): Unit = {
    val n = tf.values.size
    if (d == DType.BOOL || tf.dtype == "bool") {
      (0 until n).map(i => if (mine.longAt(i) != 0) "true" else "false") shouldBe tf.values
      return
    }
    val want = tf.values.map(v => if (d == DType.FLOAT) v.toFloat.toDouble else v.toDouble) // %.9g gives every float back
    val got = (0 until n).map(element(mine, _))
    val largest = want.map(math.abs).max
    var (notIdentical, ulps, relative) = (0, 0.0, 0.0)
    for (i <- 0 until n) {
      val (a, b) = (got(i), want(i))
      val diff = math.abs(a - b)
      val bound = if (d != DType.FLOAT && d != DType.DOUBLE) 0.0
        else if (step == 1) 4 * ulp(d, largest)
        else 1e-4 * math.max(math.abs(b), 1e-3 * largest)
      if (diff > bound) fail(s"element $i: ours $a, TF ${tf.values(i)}, |diff| $diff > $bound")
      if (a != b) notIdentical += 1
      if (step == 1) ulps = math.max(ulps, diff / ulp(d, largest))
      else if (largest > 0) relative = math.max(relative, diff / math.max(math.abs(b), 1e-3 * largest))
    }
    val key = s"${c.op} ${d.pythonName()}"
    stats.synchronized {
      val (m, k, u, rel) = stats.getOrElse(key, (0, 0, 0.0, 0.0))
      stats(key) = (m + n, k + notIdentical, math.max(u, ulps), if (step == steps) math.max(rel, relative) else rel)
    }
  }

  for ((c, i) <- errors.zipWithIndex; s <- c.styles; d <- c.dtypes) {
    test(f"${50 + i}%02d ${c.name} fails [${s.name} ${d.pythonName()}]") {
      val b = failing.find(b => b.c == c && b.style == s && b.dtype == d).get
      val f = b.fetches.head
      val mine = oursFailing(f).getOrElse(fail(s"our kernel succeeded where it must fail with '${c.error}'"))
      val tf = theirsFailing.getOrElse(f, fail(s"TF did not return $f"))
      withClue(s"TF said: ${tf.values.mkString(",")}\nwe said: $mine\n") {
        tf.dtype shouldBe "error"
        mine should include(c.error)
        tf.values.mkString(",") should include(c.tfGist)
      }
    }
  }

  test("summary: comparisons and the largest differences") {
    val total = passing.size + failing.size
    info(s"${cases.size} cases and ${errors.size} error cases: ${passing.size} subgraphs compared over $steps steps, " +
      s"${failing.size} that must fail; 2 oracle launches; $total in all")
    stats.toSeq.sortBy(_._1).foreach { case (k, (n, notIdentical, ulps, rel)) =>
      info(f"$k: $n elements compared, $notIdentical not bit-identical; step 1 at most $ulps%.2f ulp(M); step $steps at most $rel%.2g relative (of max(|tf|, 1e-3 M))")
    }
    passing.size should be > 0
  }
}

object TrainingOpsConformanceSuite {
  import TrainingConformance._

  private val F = Seq(DType.FLOAT, DType.DOUBLE)
  private val FI = F ++ Seq(DType.INT32, DType.INT64)
  private def s(v: Double) = Scalar(v)
  private val pos = Init(0.1, 1)
  private val adam = Seq("beta1_power" -> s(0.729), "beta2_power" -> s(0.997003), "lr" -> s(0.01), "beta1" -> s(0.9),
    "beta2" -> s(0.999), "epsilon" -> s(1e-7), "grad" -> Grad)
  private val adamSlots = Seq("m" -> sym(0.1), "v" -> Init(0.001, 0.01))
  private val rms = Seq("lr" -> s(0.01), "rho" -> s(0.9), "momentum" -> s(0.5), "epsilon" -> s(1e-7), "grad" -> Grad)
  private val momentum = Seq("lr" -> s(0.05), "grad" -> Grad, "momentum" -> s(0.9))
  /** 512 elements: TF's Adam takes its vectorized path (a multiple of the packet size) and Adagrad its vector rsqrt. */
  private val big = Seq(16L, 32L)

  // ---------------------------------------------------------------- cases (one line each)

  val cases: Seq[TCase] = Seq(
    TCase("ApplyGradientDescent", Nil, Seq("alpha" -> s(0.1), "delta" -> Grad), F),
    TCase("ApplyMomentum", Seq("accum" -> sym(0.1)), momentum, F),
    TCase("ApplyMomentum", Seq("accum" -> sym(0.1)), momentum, F, attrs = Seq("use_nesterov" -> true), label = "nesterov"),
    TCase("ApplyAdam", adamSlots, adam, F),
    TCase("ApplyAdam", adamSlots, adam, F, attrs = Seq("use_nesterov" -> true), label = "nesterov"),
    TCase("ApplyAdam", adamSlots, adam, F, shape = big, label = "512 elements"),
    TCase("ApplyAdam", adamSlots, adam, F, shape = big, label = "slots unread: updated in place", slotsFetched = false),
    TCase("ApplyCenteredRMSProp", Seq("mg" -> sym(0.1), "ms" -> pos, "mom" -> sym(0.1)), rms, F, label = "slots updated in place",
      slotsFetched = false),
    TCase("ApplyAdagrad", Seq("accum" -> pos), Seq("lr" -> s(0.1), "grad" -> Grad), F),
    TCase("ApplyAdagrad", Seq("accum" -> pos), Seq("lr" -> s(0.1), "grad" -> Grad), F, shape = big, label = "512 elements"),
    TCase("ApplyAdagrad", Seq("accum" -> pos), Seq("lr" -> s(0.1), "grad" -> Grad), F, attrs = Seq("update_slots" -> false),
      label = "update_slots=false"),
    TCase("ApplyAdagradV2", Seq("accum" -> pos), Seq("lr" -> s(0.1), "epsilon" -> s(1e-7), "grad" -> Grad), F),
    TCase("ApplyAdagradV2", Seq("accum" -> pos), Seq("lr" -> s(0.1), "epsilon" -> s(1e-7), "grad" -> Grad), F,
      attrs = Seq("update_slots" -> false), label = "update_slots=false"),
    TCase("ApplyRMSProp", Seq("ms" -> pos, "mom" -> sym(0.1)), rms, F),
    TCase("ApplyCenteredRMSProp", Seq("mg" -> sym(0.1), "ms" -> pos, "mom" -> sym(0.1)), rms, F),
    TCase("AssignAdd", Nil, Seq("value" -> Grad), FI),
    TCase("AssignSub", Nil, Seq("value" -> Grad), FI),
    TCase("DestroyResourceOp", Nil, Nil, Seq(DType.FLOAT), Seq(Resource), label = "then VarIsInitializedOp"),
  )

  private val f32 = Seq(DType.FLOAT)
  private val gd = Seq("alpha" -> s(0.1), "delta" -> Grad)

  val errors: Seq[TCase] = Seq(
    TCase("ApplyGradientDescent", Nil, gd, f32, Seq(Ref), fault = Uninitialized, error = "uninitialized"),
    TCase("ApplyGradientDescent", Nil, gd, f32, Seq(Resource), fault = Uninitialized, error = "uninitialized",
      tfError = "Invalid variable reference"),
    TCase("ApplyAdam", adamSlots, adam, f32, Seq(Ref), fault = Uninitialized, error = "uninitialized"),
    TCase("ApplyAdam", adamSlots, adam, f32, Seq(Resource), fault = Uninitialized, error = "uninitialized",
      tfError = "Invalid variable reference"),
    TCase("ApplyGradientDescent", Nil, gd, f32, fault = FedGrad(Seq(9, 7)), error = "var and delta do not have the same shape[7,9] [9,7]"),
    TCase("ApplyMomentum", Seq("accum" -> sym(0.1)), momentum, f32, fault = FedGrad(Seq(7, 9, 1)),
      error = "var and grad do not have the same shape[7,9] [7,9,1]"),
    TCase("ApplyAdam", adamSlots, adam, f32, fault = FedScalar("lr", Seq(2)), error = "lr is not a scalar : [2]"),
    TCase("ApplyMomentum", Seq("accum" -> sym(0.1)), momentum, f32, fault = FedScalar("momentum", Seq(2)),
      error = "momentum is not a scalar: [2]"),
    TCase("ApplyAdagrad", Seq("accum" -> pos), Seq("lr" -> s(0.1), "grad" -> Grad), f32, fault = SlotShape("accum", Seq(3)),
      error = "var and accum do not have the same shape[7,9] [3]"),
    TCase("ApplyCenteredRMSProp", Seq("mg" -> sym(0.1), "ms" -> pos, "mom" -> sym(0.1)), rms, f32, fault = SlotShape("ms", Seq(3)),
      error = "var and ms do not have the same shape[7,9] [3]"),
    TCase("ApplyCenteredRMSProp", Seq("mg" -> sym(0.1), "ms" -> pos, "mom" -> sym(0.1)), rms, f32, fault = SlotShape("mg", Seq(3)),
      error = "var and mg do not have the same shape[7,9] [3]", tfError = "var and mg do not have the same shape", label = "mg"),
    TCase("AssignAdd", Nil, Seq("value" -> Grad), f32, Seq(Ref), fault = FedGrad(Seq(3)), error = "Parameters and update must be the same size"),
    TCase("AssignSub", Nil, Seq("value" -> Grad), f32, Seq(Resource), fault = FedGrad(Seq(3)),
      error = "Cannot update variable with shape [7,9] using a Tensor with shape [3], shapes must be equal."),
    TCase("AssignAdd", Nil, Seq("value" -> Grad), f32, Seq(Ref), fault = Uninitialized, error = "uninitialized"),
    TCase("AssignAdd", Nil, Seq("value" -> Grad), f32, Seq(Resource), fault = Uninitialized, error = "uninitialized",
      tfError = "does not exist"),
    TCase("DestroyResourceOp", Nil, Nil, f32, Seq(Resource), attrs = Seq("ignore_lookup_error" -> false), fault = Uninitialized,
      error = "does not exist"),
  )
}
