package io.sparkpoint.it

import java.util.SplittableRandom

import scala.jdk.CollectionConverters._
import scala.util.control.NonFatal

import io.sparkpoint.exec.{KernelException, Session}
import io.sparkpoint.graph.{Graph, Operation, OperationBuilder, Output}
import io.sparkpoint.proto.{AttrValue, TensorShapeProto}
import io.sparkpoint.tensor.{DType, Shape, Tensor}

/**
 * The machinery of [[TrainingOpsConformanceSuite]]: each (case, variable style, dtype) becomes a subgraph `tNN_style_dtype/`
 * of ONE graph: its variables with their initializers (`…/Assign`), the update op `…/apply`, and reads of the variable and
 * of every slot that run after it (`…/after`). Our Session and TensorFlow both run all initializers once, then all
 * fetches `steps` times, so step r's values are what r updates left behind.
 */
object TrainingConformance {
  /** How the op names and reaches its variables. */
  sealed abstract class Style(val name: String)
  case object Ref extends Style("ref")
  case object Resource extends Style("resource")
  val Styles: Seq[Style] = Seq(Ref, Resource)

  /** Initial values of a slot: uniform in [lo, hi). */
  final case class Init(lo: Double, hi: Double)
  def sym(r: Double): Init = Init(-r, r)

  /** A non-variable input: a scalar Const, or the gradient (its place in the op's inputs). */
  sealed trait Value
  final case class Scalar(value: Double) extends Value
  case object Grad extends Value

  /** What makes an error case fail. */
  sealed trait Fault
  case object NoFault extends Fault
  /** The variable is never initialized. */
  case object Uninitialized extends Fault
  /** The gradient (AssignAdd's value) comes from a Placeholder of unknown shape, fed with this shape. */
  final case class FedGrad(shape: Seq[Long]) extends Fault
  /** A scalar input comes from a Placeholder of unknown shape, fed with this shape. */
  final case class FedScalar(input: String, shape: Seq[Long]) extends Fault
  /** A slot is declared without a shape and initialized with this one. */
  final case class SlotShape(slot: String, shape: Seq[Long]) extends Fault

  /**
   * One case. `slotsFetched` = false fetches only the variable, so that the slots, read by nothing else, are updated
   * in place. `op` is the ref-style op (ApplyAdam, AssignAdd, DestroyResourceOp); the resource-style one is derived.
   * Its gradient is `var * 0.5 + g0` (the gradient of a quadratic loss, so it changes every step; `g0` alone for integers),
   * except in error cases (a Const, or fed).
   */
  final case class TCase(op: String, slots: Seq[(String, Init)], values: Seq[(String, Value)], dtypes: Seq[DType],
      styles: Seq[Style] = Styles, attrs: Seq[(String, Boolean)] = Nil, shape: Seq[Long] = Seq(7, 9), label: String = "",
      fault: Fault = NoFault, error: String = "", tfError: String = "", slotsFetched: Boolean = true) {
    def opFor(style: Style): String = style match {
      case Ref => op
      case Resource if op.startsWith("Apply") => "Resource" + op
      case Resource if op.startsWith("Assign") => op + "VariableOp"
      case Resource => op
    }
    def tfGist: String = if (tfError.nonEmpty) tfError else error
    def name: String = s"$op${if (label.isEmpty) "" else s" ($label)"}"
  }

  /** A case's subgraph: its fetches (the variable's, then each slot's), its initializers and what it is fed. */
  final case class Built(c: TCase, style: Style, dtype: DType, prefix: String, fetches: Seq[String], inits: Seq[String],
      feeds: Seq[(String, Tensor)])

  private val unknownShape = AttrValue.newBuilder().setShape(TensorShapeProto.newBuilder().setUnknownRank(true)).build()

  private def integer(dtype: DType): Boolean = dtype == DType.INT32 || dtype == DType.INT64

  /** Uniform values in [lo, hi); for integer dtypes 100 times that, rounded. */
  private def tensor(dtype: DType, shape: Seq[Long], init: Init, rnd: SplittableRandom): Tensor =
    KernelConformance.tensor(dtype, shape, Seq.fill(shape.product.toInt) {
      val v = init.lo + (init.hi - init.lo) * rnd.nextDouble()
      if (integer(dtype)) math.rint(v * 100) else v
    })

  private def constant(g: Graph, name: String, value: Tensor): Output =
    g.opBuilder("Const", name).setAttr("value", value).setAttr("dtype", value.dtype()).build().output(0)

  private def placeholder(g: Graph, name: String, dtype: DType): Output =
    g.opBuilder("Placeholder", name).setAttr("dtype", dtype).build().output(0) // shape: unknown, the OpDef's default

  /** A variable and its initializer's name: VariableV2 + Assign, or VarHandleOp + AssignVariableOp. */
  private def variable(g: Graph, style: Style, name: String, initial: Tensor, declared: Boolean): (Output, String) = {
    val shape = if (declared) AttrValue.newBuilder().setShape(initial.shape().toProto).build() else unknownShape
    val value = constant(g, s"$name/initial_value", initial)
    val handle = style match {
      case Ref => g.opBuilder("VariableV2", name).setAttr("dtype", initial.dtype()).setAttr("shape", shape).build().output(0)
      case Resource => g.opBuilder("VarHandleOp", name).setAttr("dtype", initial.dtype()).setAttr("shape", shape)
          .setAttr("shared_name", name).build().output(0)
    }
    val assign = style match {
      case Ref => g.opBuilder("Assign", s"$name/Assign").addInput(handle).addInput(value).setAttr("T", initial.dtype())
          .setAttr("validate_shape", declared)
      case Resource => g.opBuilder("AssignVariableOp", s"$name/Assign").addInput(handle).addInput(value).setAttr("dtype", initial.dtype())
    }
    (handle, assign.build().name())
  }

  /** The variable's value: Identity of the reference, or ReadVariableOp; after `after` when given. */
  private def read(g: Graph, style: Style, name: String, handle: Output, dtype: DType, after: Option[Operation]): Output = {
    val b = style match {
      case Ref => g.opBuilder("Identity", name).addInput(handle).setAttr("T", dtype)
      case Resource => g.opBuilder("ReadVariableOp", name).addInput(handle).setAttr("dtype", dtype)
    }
    after.foreach(b.addControlInput)
    b.build().output(0)
  }

  /** Adds the subgraph of (case, style, dtype). */
  def build(g: Graph, index: Int, c: TCase, style: Style, dtype: DType): Built = {
    val p = f"t$index%02d_${style.name}_${dtype.pythonName()}"
    val rnd = new SplittableRandom(index * 1000L + dtype.number())
    var inits = Seq.empty[String]
    var feeds = Seq.empty[(String, Tensor)]
    def init(name: String) = inits :+= name
    val (varHandle, varAssign) = variable(g, style, s"$p/var", tensor(dtype, c.shape, sym(1), rnd), declared = true)
    if (c.fault != Uninitialized) init(varAssign)
    val slots = c.slots.map { case (slot, slotInit) =>
      val shape = c.fault match { case SlotShape(`slot`, s) => s; case _ => c.shape }
      val (handle, assign) = variable(g, style, s"$p/$slot", tensor(dtype, shape, slotInit, rnd), declared = shape == c.shape)
      init(assign)
      slot -> handle
    }
    val grad: Output = c.fault match {
      case FedGrad(shape) =>
        feeds :+= s"$p/grad:0" -> tensor(dtype, shape, sym(1), rnd)
        placeholder(g, s"$p/grad", dtype)
      case NoFault =>
        val scaled = g.opBuilder("Mul", s"$p/grad/scaled").addInput(read(g, style, s"$p/var/read", varHandle, dtype, None))
          .addInput(constant(g, s"$p/grad/k", KernelConformance.tensor(dtype, Nil, Seq(if (integer(dtype)) 0.0 else 0.5))))
          .setAttr("T", dtype).build()
        g.opBuilder("AddV2", s"$p/grad").addInput(scaled.output(0)).addInput(constant(g, s"$p/grad/g0", tensor(dtype, c.shape, sym(1), rnd)))
          .setAttr("T", dtype).build().output(0)
      case _ => constant(g, s"$p/grad", tensor(dtype, c.shape, sym(1), rnd))
    }
    val b = g.opBuilder(c.opFor(style), s"$p/apply").addInput(varHandle)
    slots.foreach { case (_, h) => b.addInput(h) }
    c.values.foreach {
      case (_, Grad) => b.addInput(grad)
      case (name, Scalar(v)) => c.fault match {
        case FedScalar(`name`, shape) =>
          feeds :+= s"$p/$name:0" -> tensor(dtype, shape, Init(v, v), rnd)
          b.addInput(placeholder(g, s"$p/$name", dtype))
        case _ => b.addInput(constant(g, s"$p/$name", KernelConformance.tensor(dtype, Nil, Seq(v))))
      }
    }
    if (c.op.startsWith("Apply")) b.setAttr("T", dtype)
    else if (c.op.startsWith("Assign")) b.setAttr(if (style == Ref) "T" else "dtype", dtype)
    c.attrs.foreach { case (k, v) => b.setAttr(k, v) }
    val apply = b.build()
    val fetches =
      if (c.error.nonEmpty) Seq(style match {
        case Ref if c.op != "DestroyResourceOp" => s"${apply.name()}:0"
        case _ => // a value that exists only when the op succeeded
          g.opBuilder("Identity", s"$p/done").addInput(constant(g, s"$p/done/value", Tensor.scalar(1f))).setAttr("T", DType.FLOAT)
            .addControlInput(apply).build().name() + ":0"
      })
      else if (c.op == "DestroyResourceOp")
        Seq(g.opBuilder("VarIsInitializedOp", s"$p/var/after").addInput(varHandle).addControlInput(apply).build().name() + ":0")
      else (if (style == Ref) s"${apply.name()}:0" else read(g, style, s"$p/var/after", varHandle, dtype, Some(apply)).name()) +:
        slots.filter(_ => c.slotsFetched).map { case (slot, h) => read(g, style, s"$p/$slot/after", h, dtype, Some(apply)).name() }
    Built(c, style, dtype, p, fetches, inits, feeds)
  }

  /** Our Session: every initializer once, then every fetch `steps` times; fetch name (`f`, `f#2`, …) -> value. */
  def runOurs(g: Graph, built: Seq[Built], steps: Int): Map[String, Tensor] = {
    val session = new Session(g)
    session.run(Map.empty[String, Tensor].asJava, Nil.asJava, built.flatMap(_.inits).asJava)
    val fetches = built.flatMap(_.fetches)
    (1 to steps).flatMap { r =>
      val values = session.run(Map.empty[String, Tensor].asJava, fetches.asJava).asScala
      fetches.zip(values).map { case (f, v) => (if (r == 1) f else s"$f#$r") -> v }
    }.toMap
  }

  /** Our Session on error cases: initializers once, then each fetch on its own; fetch -> our error (or None). */
  def runOursFailing(g: Graph, built: Seq[Built]): Map[String, Option[String]] = {
    val session = new Session(g)
    session.run(Map.empty[String, Tensor].asJava, Nil.asJava, built.flatMap(_.inits).asJava)
    built.map { b =>
      val f = b.fetches.head
      f -> (try { session.run(b.feeds.toMap.asJava, Seq(f).asJava); None }
      catch { case e: KernelException => Some(e.getMessage); case NonFatal(e) => Some(e.toString) })
    }.toMap
  }

  /** Element i of an our tensor as a double (integers exactly). */
  def element(t: Tensor, i: Int): Double =
    if (t.dtype() == DType.FLOAT || t.dtype() == DType.DOUBLE) t.doubleAt(i) else t.longAt(i).toDouble

  /** One unit in the last place of `v` in `dtype`. */
  def ulp(dtype: DType, v: Double): Double = if (dtype == DType.FLOAT) math.ulp(v.toFloat).toDouble else math.ulp(v)
}
