package io.sparkpoint.it

import java.util.concurrent.atomic.AtomicInteger

import scala.jdk.CollectionConverters._

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.exec.Session
import io.sparkpoint.graph.Graph
import io.sparkpoint.tensor.DType

/**
 * Runs a list of kernel cases in our Session and in TensorFlow 2.18 (one oracle launch for the whole list when all
 * pass) and compares them element by element, one test per (case, dtype); see [[KernelConformance]] for the
 * machinery and [[KernelConformanceSuite]] for the tolerance table every suite shares.
 */
abstract class ConformanceSuite(cases: Seq[KernelConformance.KCase]) extends AnyFunSuite with Matchers {
  import KernelConformance._

  // ---------------------------------------------------------------- running

  private val graph = new Graph()
  private val launches = new AtomicInteger()
  private val compared = new AtomicInteger()
  /** The largest |ours - tf| / tolerance seen, per (family, dtype): how much room the tolerances leave. */
  private val worst = new java.util.concurrent.ConcurrentHashMap[String, Double]()
  /** Float elements compared and those not bit-identical to TF's, per (family, dtype). */
  private val inexact = new java.util.concurrent.ConcurrentHashMap[String, (Int, Int)]()

  /** Every (case, dtype): its subgraph added to `graph` and run by our Session. */
  private lazy val combos: Map[(Int, DType), Combo] = {
    val session = new Session(graph)
    (for ((c, i) <- cases.zipWithIndex; d <- c.dtypes) yield (i, d) -> build(graph, session, i, c, d)).toMap
  }

  /**
   * TensorFlow's outputs for every subgraph we did not skip: as few oracle launches as possible (1 when all run), plus
   * one for all the cases that must fail (the oracle's --keep-going runs each of their fetches on its own).
   */
  private lazy val tf: Map[String, Either[String, TfOut]] = {
    val run = combos.values.filter(_.skip.isEmpty).toSeq.sortBy(c => (c.index, c.prefix))
    val (failing, passing) = run.partition(c => c.c.error.nonEmpty || c.c.tfRefuses.nonEmpty)
    val graphDef = graph.toGraphDef()
    runTf(graphDef, passing, launches) ++ runTf(graphDef, failing, launches, keepGoing = true)
  }

  for ((c, i) <- cases.zipWithIndex; d <- c.dtypes) {
    test(f"$i%03d ${c.name} [${d.pythonName()}]") {
      val combo = combos((i, d))
      combo.skip.filter(_.startsWith("inputs")).foreach(why => fail(s"the case is wrong: $why"))
      assume(combo.skip.isEmpty, combo.skip.getOrElse(""))
      val theirs = combo.runFetches.map(f => tf.getOrElse(f, tf.getOrElse(combo.prefix, Left(s"TF did not return $f"))))
      val clue = s"${combo.prefix}: ${c.op} ${c.attrs.map { case (k, v) => s"$k=$v" }.mkString(" ")}; inputs ${describeInputs(combo)}"
      withClue(clue + "\n") {
        if (c.tfRefuses.nonEmpty) combo.ours match {
          case Left(error) => fail(s"our kernel failed where TF alone refuses ('${c.tfRefuses}'): $error")
          case Right(_) =>
            theirs.collectFirst { case Left(e) => e } match {
              case Some(tfError) => withClue(s"TF's error: $tfError\n")(tfError should include(c.tfRefuses))
              case None => fail(s"TF succeeded where it must refuse with '${c.tfRefuses}'")
            }
            compared.incrementAndGet()
        } else if (c.error.nonEmpty) combo.ours match {
          case Right(_) => fail(s"our kernel succeeded where it must fail with '${c.error}'")
          case Left(error) =>
            error should include(c.error)
            theirs.collectFirst { case Left(e) => e } match {
              case Some(tfError) => withClue(s"TF's error: $tfError\n")(tfError should include(c.tfGist))
              case None => fail(s"TF succeeded where it must fail with '${c.error}'")
            }
            compared.incrementAndGet()
        } else combo.ours match {
          case Left(error) => fail(s"our kernel failed: $error; TF: ${theirs.mkString(", ")}")
          case Right(ours) =>
            ours.size shouldBe combo.runFetches.size
            for (((o, t), f) <- ours.zip(theirs).zip(combo.runFetches)) t match {
              case Left(error) => fail(s"$f: TF failed where our kernel succeeded: $error")
              case Right(out) =>
                val (problem, n, w, notIdentical) = compare(c.family, o, out)
                compared.addAndGet(n)
                if (isFloat(d)) {
                  worst.merge(s"${c.family} ${d.pythonName()}", w, (a: Double, b: Double) => math.max(a, b))
                  inexact.merge(s"${c.family} ${d.pythonName()}", (n, notIdentical), (a: (Int, Int), b: (Int, Int)) => (a._1 + b._1, a._2 + b._2))
                }
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
    worst.asScala.toSeq.sorted.foreach { case (k, w) =>
      val (n, notIdentical) = inexact.getOrDefault(k, (0, 0))
      info(f"$k: largest |ours - tf| / tolerance = $w%.2g; $notIdentical of $n elements not bit-identical")
    }
    skipped.groupBy(s => (s.c.op, s.dtype.pythonName())).keys.toSeq.sorted.foreach { case (op, d) => info(s"skipped: $op $d") }
    all.size - skipped.size should be > 0
  }
}
