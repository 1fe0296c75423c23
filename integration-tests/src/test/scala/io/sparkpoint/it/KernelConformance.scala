package io.sparkpoint.it

import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Path}
import java.util.SplittableRandom
import java.util.concurrent.atomic.AtomicInteger

import scala.jdk.CollectionConverters._
import scala.util.control.NonFatal

import io.sparkpoint.exec.{KernelException, Session}
import io.sparkpoint.graph.{Graph, Operation, OperationBuilder}
import io.sparkpoint.proto.{AttrValue, GraphDef}
import io.sparkpoint.tensor.{DType, HalfFloats, Shape, Tensor}

/**
 * The machinery of [[KernelConformanceSuite]]: a case is one op with its attrs and inputs; each
 * (case, dtype) becomes a single-op subgraph `kNNN_dtype/` (Placeholders `x0`, `x1`, … and the op `op`)
 * in ONE graph, which our Session runs subgraph by subgraph and TensorFlow runs all at once.
 */
object KernelConformance {
  val F: Seq[DType] = Seq(DType.FLOAT, DType.DOUBLE)
  val FI: Seq[DType] = F ++ Seq(DType.INT32, DType.INT64)
  /** Every dtype an op that only moves elements is tried with. */
  val FIBS: Seq[DType] = FI ++ Seq(DType.BOOL, DType.STRING)
  val NaN: Double = Double.NaN
  val Inf: Double = Double.PositiveInfinity

  /**
   * An input: pseudo-random values in [lo, hi) (rounded for integer dtypes, or for all dtypes when
   * `whole`), the first ones replaced by `edges`; `nz` keeps values away from 0 (|v| >= 1).
   * `const` makes it a Const node instead of a fed Placeholder (always so for the dtypes the oracle cannot feed:
   * float16, bfloat16, int8, uint8, uint16...). `unknownShape` feeds it through a Placeholder of
   * unknown shape, so TensorFlow's graph import (shape inference) cannot reject a bad shape before the kernel does:
   * for error cases that check the kernel's message.
   * Under the tested dtype bool, random values become parities (odd = true); under string, strings ("s3", "s-7").
   */
  final case class In(shape: Seq[Long], lo: Double = -10, hi: Double = 10, edges: Seq[Double] = Nil,
      whole: Boolean = false, nz: Boolean = false, const: Boolean = false, dtype: Option[DType] = None,
      unknownShape: Boolean = false) {
    /** The input's dtype: its own when fixed (an axis, a shape, a condition), else the case's dtype under test. */
    def dtypeFor(tested: DType): DType = dtype.getOrElse(tested)
    /** The same input as int64 (for `ints(...)` and `int(...)`). */
    def i64: In = copy(dtype = Some(DType.INT64))
    /** The same input fed through a Placeholder of unknown shape (for error cases). */
    def fed: In = copy(const = false, unknownShape = true)
  }

  /** A fixed-valued int32 Const input (an axis, a shape, a multiples vector): `ints(0, 1)`, or a scalar `ints(1)()`. */
  def ints(values: Long*): In = In(Seq(values.size.toLong), edges = values.map(_.toDouble), const = true, dtype = Some(DType.INT32))
  def int(value: Long): In = In(Nil, edges = Seq(value.toDouble), const = true, dtype = Some(DType.INT32))
  /** A list(int) attr value (Squeeze's squeeze_dims). */
  def intList(values: Long*): AttrValue =
    AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllI(values.map(Long.box).asJava)).build()

  /** A fed bool input: pseudo-random true/false, the first ones replaced by `edges` (non-zero = true). */
  def bools(shape: Long*)(edges: Double*): In = In(shape, 0, 2, edges, whole = true, dtype = Some(DType.BOOL))

  /** Attr values that depend on the dtype under test. */
  case object Dt
  final case class DtList(n: Int)
  final case class ValueOf(in: In)

  /** How outputs are compared; the tolerances are in the suite's header table. */
  sealed trait Family
  case object Exact extends Family
  case object Arith extends Family
  case object Transcendental extends Family
  case object Accumulating extends Family
  /** Within `n` units in the last place of TF's value (float dtypes); exact for integers. */
  final case class Ulps(n: Int) extends Family
  /**
   * Accumulating for sums of `terms` (> 400) products: rounding differences between two summation orders grow with
   * the square root of the length, so the tolerance is Accumulating's times sqrt(terms / 400).
   */
  final case class LongSums(terms: Int) extends Family

  /**
   * One op. `outputs` = number of outputs fetched (0: run as a target after its inputs, given as control inputs).
   * `error`, when set, is a gist both our kernel's and TensorFlow's errors must contain: the case must fail.
   * `tfError` replaces `error` for TensorFlow's message where TF's graph import refuses the case before its kernel runs.
   * `runs` > 1 fetches them that many times in the same session (stateful ops go on with their sequences).
   * `tfRefuses`, when set, is a gist TensorFlow's error must contain where its CPU kernel refuses what ours computes
   * (a documented extension, e.g. dilated convolution gradients): our kernel must succeed and TF must fail.
   */
  final case class KCase(op: String, ins: Seq[In], dtypes: Seq[DType], family: Family = Arith,
      attrs: Seq[(String, Any)] = Seq("T" -> Dt), outputs: Int = 1, label: String = "", error: String = "", runs: Int = 1,
      tfError: String = "", tfRefuses: String = "") {
    /** What TensorFlow's error must contain: `tfError` where TF refuses it earlier, in other words (graph import), else `error`. */
    def tfGist: String = if (tfError.nonEmpty) tfError else error
    def name: String = s"$op${if (label.isEmpty) "" else s" ($label)"} ${ins.map(_.shape.mkString("[", ",", "]")).mkString(" ")}".trim
  }

  /** What happened to one (case, dtype): skipped (with why), or ours and TF's results to compare (`ours`: every run's fetches). */
  final case class Combo(index: Int, c: KCase, dtype: DType, prefix: String, feeds: Seq[(String, Tensor)],
      fetches: Seq[String], target: Option[String], skip: Option[String], ours: Either[String, Seq[Tensor]]) {
    /** The names of TF's outputs matching `ours`: the fetches, then for run r >= 2 `fetch#r` (the oracle's `--runs`). */
    def runFetches: Seq[String] = (1 to c.runs).flatMap(r => fetches.map(f => if (r == 1) f else s"$f#$r"))
  }

  /** A fetched TF tensor: dtype, shape (`,`-joined) and value strings. */
  final case class TfOut(dtype: String, shape: String, values: Seq[String])

  // ---------------------------------------------------------------- inputs shared by the conformance suites

  /** Edge values for ints and floats alike: 0, ±1, ±2e9 (int32 sums and products wrap, as in TF). */
  val big = Seq(0.0, -1.0, 1.0, 2e9, -2e9)
  def v(shape: Long*) = In(shape)
  def e(shape: Long*) = In(shape, edges = big)
  def pos(shape: Long*) = In(shape, 0.01, 100, edges = Seq(0, 1, 1e30, 4, 1e-30))
  def m(shape: Long*) = In(shape, -3, 3)
  /** IEEE specials, float dtypes only; `specials` and `specials2` pair up every interesting combination. */
  val specials = In(Seq(8), edges = Seq(NaN, Inf, -Inf, -1, 0, -0.0, 2.5, Inf))
  val specials2 = In(Seq(8), edges = Seq(1, NaN, Inf, Inf, -Inf, 0, -0.0, -Inf))
  val intLimits = In(Seq(4), edges = Seq(-2147483648.0, 2147483647.0, 0, -7))

  def u(op: String, in: In, dts: Seq[DType] = FI, fam: Family = Arith, label: String = "") =
    KCase(op, Seq(in), dts, fam, label = label)
  def b(op: String, x: In, y: In, dts: Seq[DType] = FI, fam: Family = Arith, label: String = "") =
    KCase(op, Seq(x, y), dts, fam, label = label)
  def mm(op: String, x: In, y: In, flags: (String, Boolean)*) = KCase(op, Seq(x, y), FI, Accumulating,
    Seq("T" -> Dt) ++ flags, label = (flags.filter(_._2).map(_._1) ++ (if (x.shape.size != y.shape.size) Seq("broadcast") else Nil)).mkString(" "))

  // ------------------------------------------------------------------ values

  def values(in: In, dtype: DType, seed: Long): Seq[Double] = {
    val n = in.shape.product.toInt
    val rnd = new SplittableRandom(seed)
    val integer = in.whole || !isFloat(dtype)
    val random = Seq.fill(n) {
      val v = in.lo + (in.hi - in.lo) * rnd.nextDouble()
      val r = if (integer) math.rint(v) else v
      if (in.nz && math.abs(r) < 1) (if (r < 0) -1.0 else 1.0)
      else if (dtype == DType.BOOL && in.dtype.isEmpty) math.abs(r) % 2
      else r
    }
    (in.edges.take(n) ++ random.drop(in.edges.size)).take(n)
  }

  def tensor(dtype: DType, shape: Seq[Long], v: Seq[Double]): Tensor = {
    val s = Shape.of(shape: _*)
    dtype match {
      case DType.FLOAT => Tensor.ofFloats(s, v.map(_.toFloat): _*)
      case DType.DOUBLE => Tensor.ofDoubles(s, v: _*)
      case DType.INT32 =>
        v.foreach(x => require(x.isWhole && x.abs <= Int.MaxValue + 1.0, s"$x is no int32"))
        Tensor.ofInts(s, v.map(_.toInt): _*)
      case DType.INT64 =>
        v.foreach(x => require(x.isWhole, s"$x is no int64"))
        Tensor.ofLongs(s, v.map(_.toLong): _*)
      case DType.BOOL => Tensor.ofBooleans(s, v.map(_ != 0): _*)
      case DType.UINT8 | DType.INT8 =>
        v.foreach(x => require(x.isWhole && (if (dtype == DType.UINT8) x >= 0 && x < 256 else x >= -128 && x < 128), s"$x is no $dtype"))
        Tensor.of(dtype, s, v.map(_.toByte).toArray)
      case DType.UINT16 =>
        v.foreach(x => require(x.isWhole && x >= 0 && x < 65536, s"$x is no uint16"))
        Tensor.of(dtype, s, littleEndianShorts(v.map(_.toInt.toShort)))
      // float16 and bfloat16: each value rounded to the nearest one of the type
      case DType.HALF => Tensor.of(dtype, s, littleEndianShorts(v.map(x => HalfFloats.floatToHalf(x.toFloat))))
      case DType.BFLOAT16 => Tensor.of(dtype, s, littleEndianShorts(v.map(x => HalfFloats.floatToBfloat16(x.toFloat))))
      // strings "s<n>" (no ','), so equal numbers give equal strings
      case DType.STRING => Tensor.ofStrings(s, v.map(x => s"s${x.toLong}"): _*)
      case other => throw new IllegalArgumentException(s"no values for $other")
    }
  }

  private def littleEndianShorts(v: Seq[Short]): Array[Byte] = v.flatMap(x => Seq((x & 0xff).toByte, (x >> 8).toByte)).toArray

  def isFloat(d: DType): Boolean = d == DType.FLOAT || d == DType.DOUBLE || d == DType.HALF || d == DType.BFLOAT16

  /** The dtypes the oracle can feed; inputs of other dtypes become Const nodes. */
  private val feedable = Set(DType.FLOAT, DType.DOUBLE, DType.INT32, DType.INT64, DType.BOOL, DType.STRING)

  /** Element i as text that parses back to the same value (Java's shortest round-trip form). */
  private def text(t: Tensor, i: Int): String = t.dtype() match {
    case DType.FLOAT => java.lang.Float.toString(t.doubleAt(i).toFloat)
    case DType.DOUBLE => java.lang.Double.toString(t.doubleAt(i))
    case DType.HALF | DType.BFLOAT16 => java.lang.Float.toString(t.doubleAt(i).toFloat)
    case DType.BOOL => if (t.longAt(i) != 0) "true" else "false"
    case DType.STRING => new String(t.string(i), StandardCharsets.UTF_8)
    case _ => t.longAt(i).toString
  }

  def feedSpec(name: String, t: Tensor): String =
    s"$name=${t.dtype().pythonName()}:${t.shape().dims().mkString("x")}:${(0 until t.numElements().toInt).map(text(t, _)).mkString(",")}"

  // ------------------------------------------------------------------ graph and our Session

  private def setAttr(b: OperationBuilder, name: String, value: Any, dtype: DType, seed: Long): Unit = value match {
    case Dt => b.setAttr(name, dtype)
    case DtList(n) =>
      val list = AttrValue.ListValue.newBuilder()
      (1 to n).foreach(_ => list.addTypeValue(dtype.number()))
      b.setAttr(name, AttrValue.newBuilder().setList(list).build())
    case ValueOf(in) => b.setAttr(name, tensor(dtype, in.shape, values(in, dtype, seed)))
    case v: Boolean => b.setAttr(name, v)
    case v: Int => b.setAttr(name, v.toLong)
    case v: Long => b.setAttr(name, v)
    case v: String => b.setAttr(name, v)
    case v: Shape => b.setAttr(name, v)
    case v: DType => b.setAttr(name, v)
    case v: AttrValue => b.setAttr(name, v)
    case other => throw new IllegalArgumentException(s"attr $name: cannot set $other")
  }

  /** Adds the subgraph of (case, dtype) to `g` and runs it in `session`; never throws. */
  def build(g: Graph, session: Session, index: Int, c: KCase, dtype: DType): Combo = {
    val prefix = f"k$index%03d_${dtype.pythonName()}"
    val seed = index * 1000L + dtype.number()
    def skipped(why: String) = Combo(index, c, dtype, prefix, Nil, Nil, None, Some(why), Right(Nil))
    val inputs: Seq[(Operation, Option[Tensor])] = try c.ins.zipWithIndex.map { case (in, i) =>
      val t = tensor(in.dtypeFor(dtype), in.shape, values(in, in.dtypeFor(dtype), seed + 7 * i))
      val const = in.const || !feedable(t.dtype())
      val b = if (const) g.opBuilder("Const", s"$prefix/x$i").setAttr("value", t)
      else if (in.unknownShape) g.opBuilder("Placeholder", s"$prefix/x$i") // shape: the OpDef's default, unknown
      else g.opBuilder("Placeholder", s"$prefix/x$i").setAttr("shape", t.shape())
      (b.setAttr("dtype", t.dtype()).build(), if (const) None else Some(t))
    } catch { case e: IllegalArgumentException => return skipped(s"inputs not representable: ${e.getMessage}") }
    val op = if (c.op == "Placeholder") inputs.head._1 else try {
      val b = g.opBuilder(c.op, s"$prefix/op")
      inputs.foreach { case (o, _) => if (c.outputs == 0) b.addControlInput(o) else b.addInput(o.output(0)) }
      c.attrs.foreach { case (k, v) => setAttr(b, k, v, dtype, seed + 99) }
      b.build()
    } catch { case e: IllegalArgumentException => return skipped(s"the OpDef refuses it: ${e.getMessage.take(200)}") }
    val feeds = inputs.collect { case (o, Some(t)) => s"${o.name()}:0" -> t }
    // an op without outputs runs as a target after its control inputs, which are fetched instead
    val fetches = if (c.outputs == 0) inputs.map(i => s"${i._1.name()}:0") else (0 until c.outputs).map(i => s"${op.name()}:$i")
    val target = if (c.outputs == 0) Some(op.name()) else None
    val ours = try Right((1 to c.runs).flatMap(_ => session.run(feeds.toMap.asJava, fetches.asJava, target.toList.asJava).asScala))
    catch { case e: KernelException => Left(e.getMessage); case NonFatal(e) => Left(e.toString) }
    ours match {
      case Left(m) if m.contains("Unsupported dtype") => skipped(s"our kernel refuses ${dtype.pythonName()}: ${m.take(200)}")
      case _ => Combo(index, c, dtype, prefix, feeds, fetches, target, None, ours)
    }
  }

  // ------------------------------------------------------------------ TensorFlow

  /**
   * Runs the combos' fetches (and targets) in TensorFlow with one oracle launch, on a GraphDef holding only their
   * subgraphs (TF places every node of a graph, so a node without a TF kernel breaks the whole graph); when that
   * launch fails, splits the combos in halves until the failing ones are found.
   * Result: fetch name -> output, or combo prefix -> TF's error. With `keepGoing` (combos without targets) TF runs
   * each fetch on its own, and a fetch that fails maps to TF's error: one launch for many cases that must fail.
   */
  def runTf(graph: GraphDef, combos: Seq[Combo], launches: AtomicInteger, keepGoing: Boolean = false): Map[String, Either[String, TfOut]] = {
    if (combos.isEmpty) return Map.empty
    val dir = Files.createTempDirectory("kernel-conformance")
    val prefixes = combos.map(_.prefix + "/").toSet
    val file = dir.resolve("kernels.pb")
    val subset = graph.getNodeList.asScala.filter(n => prefixes(n.getName.take(n.getName.indexOf('/') + 1)))
    Files.write(file, graph.toBuilder.clearNode().addAllNode(subset.asJava).build().toByteArray)
    val out = dir.resolve("values.tsv")
    val args = Seq("run", file.toString, out.toString, "--fetch", combos.flatMap(_.fetches).mkString(",")) ++
      combos.flatMap(_.feeds).flatMap { case (n, t) => Seq("--feed", feedSpec(n, t)) } ++ combos.flatMap(_.target).flatMap(t => Seq("--target", t)) ++
      (if (keepGoing) Seq("--keep-going") else Nil) ++
      Some(combos.map(_.c.runs).max).filter(_ > 1).toSeq.flatMap(r => Seq("--runs", r.toString))
    launches.incrementAndGet()
    val run = Oracle.run(args: _*)
    val lines = if (run.exitCode == 0) Files.readAllLines(out, StandardCharsets.UTF_8).asScala.toSeq else Nil
    Files.deleteIfExists(out); Files.delete(file); Files.delete(dir)
    if (run.exitCode == 0) {
      lines.filter(_.nonEmpty).map { line =>
        val Array(name, dtype, shape, vs) = line.split("\t", -1)
        if (dtype == "error") name -> Left(vs)
        else {
          val count = if (shape.isEmpty) 1L else shape.split(",").map(_.toLong).product // a scalar "" is one empty string
          name -> Right(TfOut(dtype, shape, if (count == 0) Nil else vs.split(",", -1).toSeq))
        }
      }.toMap
    } else if (combos.size == 1) {
      val error = run.stderr.linesIterator.filter(_.startsWith("oracle:")).mkString(" | ")
      Map(combos.head.prefix -> Left(if (error.isEmpty) run.stderr.takeRight(1000) else error.take(1000)))
    } else {
      val (a, b) = combos.splitAt(combos.size / 2)
      runTf(graph, a, launches, keepGoing) ++ runTf(graph, b, launches, keepGoing)
    }
  }

  // ------------------------------------------------------------------ comparison

  /** The tolerance for `expected` (TF's value); see the suite's table. */
  def tolerance(family: Family, dtype: DType, expected: Double, maxAbs: Double): Double = (family, dtype) match {
    case (Exact, _) | (_, DType.INT32 | DType.INT64) => 0.0
    case (Ulps(n), DType.HALF | DType.BFLOAT16) => n * halfUlp(dtype, expected)
    // float16 and bfloat16: about 4 units in the last place, as TF rounds after every operation
    case (Accumulating, DType.HALF | DType.BFLOAT16) => math.max(halfStep(dtype) * math.max(math.abs(expected), maxAbs), halfStep(dtype))
    case (_, DType.HALF | DType.BFLOAT16) => math.max(halfStep(dtype) * math.abs(expected), halfStep(dtype))
    case (Ulps(n), DType.FLOAT) => n * math.ulp(expected.toFloat).toDouble
    case (Ulps(n), _) => n * math.ulp(expected)
    case (Arith, DType.FLOAT) => math.max(1e-6 * math.abs(expected), 1e-6)
    case (Transcendental, DType.FLOAT) => math.max(math.max(1e-6 * math.abs(expected), 1e-6), 4 * math.ulp(expected.toFloat).toDouble)
    case (Accumulating, DType.FLOAT) => math.max(1e-6 * math.max(math.abs(expected), maxAbs), 1e-6)
    case (LongSums(n), _) => math.sqrt(math.max(1.0, n / 400.0)) * tolerance(Accumulating, dtype, expected, maxAbs)
    case (Accumulating, _) => math.max(1e-12 * math.max(math.abs(expected), maxAbs), 1e-12)
    case (_, _) => math.max(1e-12 * math.abs(expected), 1e-12)
  }

  /** 4 units in the last place at 1: 2^-8 for float16 (11 significant bits), 2^-5 for bfloat16 (8). */
  private def halfStep(dtype: DType): Double = if (dtype == DType.HALF) 1.0 / 256 else 1.0 / 32

  /** One unit in the last place of a float16 or bfloat16 value (subnormals included). */
  private def halfUlp(dtype: DType, value: Double): Double = {
    val (bits, minExponent) = if (dtype == DType.HALF) (10, -14) else (7, -126)
    math.scalb(1.0, math.max(math.getExponent(value.toFloat), minExponent) - bits)
  }

  private def parse(dtype: DType, s: String): Double = dtype match {
    case DType.FLOAT | DType.HALF | DType.BFLOAT16 => java.lang.Float.parseFloat(s).toDouble
    case DType.DOUBLE => java.lang.Double.parseDouble(s)
    case _ => s.toLong.toDouble
  }

  /**
   * Compares our tensor with TF's: None when they agree, else a description; also the number of elements compared,
   * the largest |ours - tf| / tolerance among finite float elements (0 when all are bit-identical) and the number of
   * float elements that are not bit-identical.
   */
  def compare(family: Family, ours: Tensor, tf: TfOut): (Option[String], Int, Double, Int) = {
    val dtype = ours.dtype()
    val header = s"dtype ours ${dtype.pythonName()} / TF ${tf.dtype}, shape ours ${ours.shape().dims().mkString(",")} / TF ${tf.shape}"
    if (dtype.pythonName() != tf.dtype || ours.shape().dims().mkString(",") != tf.shape || ours.numElements() != tf.values.size)
      return (Some(header), 0, 0.0, 0)
    val n = tf.values.size
    if (dtype == DType.BOOL || dtype == DType.STRING) {
      val bad = (0 until n).filter(i => text(ours, i) != tf.values(i))
      return (if (bad.isEmpty) None else Some(s"$header; ${bad.size} of $n elements differ, e.g. " +
        bad.take(6).map(i => s"[$i] ours ${text(ours, i)} TF ${tf.values(i)}").mkString(", ")), n, 0.0, 0)
    }
    val got = (0 until n).map(i => if (isFloat(dtype)) ours.doubleAt(i) else ours.longAt(i).toDouble)
    val want = tf.values.map(parse(dtype, _))
    val maxAbs = want.filter(v => !v.isNaN && !v.isInfinite).map(math.abs).maxOption.getOrElse(0.0)
    val bad = (0 until n).filterNot { i =>
      val (a, b) = (got(i), want(i))
      if (!isFloat(dtype)) ours.longAt(i).toString == tf.values(i)
      else if (b.isNaN || a.isNaN) a.isNaN && b.isNaN
      else if (b.isInfinite || a.isInfinite) a == b
      else math.abs(a - b) <= tolerance(family, dtype, b, maxAbs)
    }
    val worst = (0 until n).filter(i => isFloat(dtype) && !got(i).isNaN && !got(i).isInfinite && !want(i).isInfinite)
      .map { i =>
        val (diff, tol) = (math.abs(got(i) - want(i)), tolerance(family, dtype, want(i), maxAbs))
        if (diff == 0) 0.0 else if (tol == 0) Double.PositiveInfinity else diff / tol
      }.maxOption.getOrElse(0.0)
    val inexact = if (isFloat(dtype)) (0 until n).count(i => !(got(i).isNaN && want(i).isNaN) && got(i) != want(i)) else 0
    if (bad.isEmpty) (None, n, worst, inexact)
    else (Some(s"$header; ${bad.size} of $n elements differ, e.g. " +
      bad.take(6).map(i => s"[$i] ours ${got(i)} TF ${tf.values(i)}").mkString(", ")), n, worst, inexact)
  }

  def describeInputs(c: Combo): String =
    c.feeds.map { case (n, t) => s"$n ${t.shape()} = ${(0 until t.numElements().toInt).map(text(t, _)).mkString(",")}" }.mkString("; ")
}
