package io.sparkpoint.it

import java.nio.file.{Files, Path}

import scala.jdk.CollectionConverters._

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.TestFixtures
import io.sparkpoint.freeze.{CheckpointValueSource, FreezeGraph, VariableFreezer}
import io.sparkpoint.fs.hadoop.HadoopFileIO
import io.sparkpoint.graph.{Graph, GraphIO, MetaGraphs, OpRegistry, Operation}
import io.sparkpoint.proto.{AttrValue, DataType, GraphDef, MetaGraphDef, NodeDef, SavedModel, TensorShapeProto}
import io.sparkpoint.tensor.{DType, Shape, Tensor}

/**
 * Graphs proven against TensorFlow 2.18 (the tf-oracle subprocess, TF Java 1.1.0):
 *
 *  1. a SavedModel that TF Java writes (MLP with VariableV2 weights, MatMul, BiasAdd, Relu, Softmax):
 *     we import its MetaGraphDef, freeze it to `probs` from its variables folder, and TensorFlow
 *     runs our frozen graph to TF's own output within 1e-6;
 *  1. graphs we build with Graph / OperationBuilder import into TensorFlow and compute the expected
 *     values; an attr TensorFlow does not know is caught by OpRegistry.check before export;
 *  1. tf-real fixtures with an input and an output: our import + export runs in TensorFlow to
 *     bit-identical outputs (see `fixtures` for the list, and what was skipped and why).
 */
class GraphOracleSuite extends AnyFunSuite with Matchers {
  private val io = HadoopFileIO.withDefaults()
  private val registry = OpRegistry.standard()

  import Oracle.{Fetched, readValues}

  /** What TensorFlow 2.18 logs (at ERROR level, then goes on) when a NodeDef has an attr its OpDef lacks. */
  private val UnknownAttrLog = "which is not in the op definition"

  /**
   * TensorFlow imports `graph` and runs: `targets` first, then `fetches`, both with `feeds` (`NAME=DTYPE:SHAPE:VALUES`).
   * Also checks that TensorFlow did not complain about unknown attrs while importing.
   */
  private def runWithTensorFlow(graph: Path, fetches: Seq[String], feeds: Seq[String] = Nil, targets: Seq[String] = Nil): Seq[Fetched] = {
    val (run, fetched) = Oracle.runGraph(graph, fetches, feeds, targets)
    withClue(s"oracle run $graph ${fetches.mkString(",")}\n${run.stderr.takeRight(3000)}") {
      run.exitCode shouldBe 0
      run.stderr should not include UnknownAttrLog
    }
    fetched.map(_.name) shouldBe fetches
    fetched
  }

  private def writeGraph(graph: GraphDef, file: Path): Path = {
    GraphIO.write(io, graph, file.toString, GraphIO.isTextName(file.toString))
    file
  }

  private def nodeTypes(graph: Graph): Map[String, String] = graph.operations().asScala.map(op => op.name -> op.`type`).toMap

  // ---------------------------------------------------------------- 1. TF Java's SavedModel, frozen

  test("TF Java's MLP SavedModel: we import it, list nodes and collections, freeze it to probs, and TensorFlow runs it to TF's output") {
    val dir = Files.createTempDirectory("graph-mlp")
    val model = dir.resolve("model")
    val tfValues = dir.resolve("tf-values.tsv")
    val made = Oracle.run("make-mlp", model.toString, tfValues.toString)
    withClue(made.stderr.takeRight(3000)) { made.exitCode shouldBe 0 }
    made.stdout.linesIterator.toSeq should contain("output: probs")
    Files.exists(model.resolve("saved_model.pb")) shouldBe true
    Files.exists(model.resolve("variables/variables.index")) shouldBe true
    val feed = Files.readAllLines(tfValues).asScala.collectFirst { case l if l.startsWith("# feed ") => l.stripPrefix("# feed ") }
      .getOrElse(fail(s"no '# feed' line in $tfValues"))
    feed should startWith("x=float32:2x4:")
    val Seq(expected) = readValues(tfValues)
    expected.name shouldBe "probs:0"
    expected.shape shouldBe "2,3"

    val savedModel = SavedModel.parseFrom(Files.readAllBytes(model.resolve("saved_model.pb")))
    val meta = savedModel.getMetaGraphs(0)
    meta.getMetaInfoDef.getTagsList.asScala should contain("serve")
    val graph = new Graph()
    val saver = MetaGraphs.importMetaGraph(graph, meta, MetaGraphs.ImportOptions.defaults())
    val types = nodeTypes(graph)
    Seq("x" -> "Placeholder", "W1" -> "VariableV2", "b1" -> "VariableV2", "W2" -> "VariableV2", "b2" -> "VariableV2",
      "hidden_MatMul" -> "MatMul", "hidden_BiasAdd" -> "BiasAdd", "hidden" -> "Relu", "logits_MatMul" -> "MatMul",
      "logits" -> "BiasAdd", "probs" -> "Softmax", "save/Save" -> "SaveV2", "save/Restore" -> "RestoreV2")
      .foreach { case (name, op) => withClue(name) { types.get(name) shouldBe Some(op) } }
    graph.operation("probs").inputs().asScala.map(_.name) shouldBe Seq("logits:0")
    graph.operation("hidden_MatMul").inputs().asScala.map(_.name) shouldBe Seq("x:0", "W1:0")
    // TF Java 1.1.0 records its saver in saver_def but writes no collections (no "variables" either).
    graph.collections().names().asScala shouldBe empty
    saver.getFilenameTensorName shouldBe "save/filename:0"
    saver.getRestoreOpName shouldBe "save/restore_all"
    // Its checkpoint keys are the VariableV2 node names, so no key mapping is needed.
    val prefix = model.resolve("variables/variables").toString

    // (a) VariableFreezer on our own re-export of the graph
    val values = CheckpointValueSource.open(io, prefix)
    val frozen = try VariableFreezer.convertVariablesToConstants(values, graph.toGraphDef(), List("probs").asJava, null, null)
    finally values.close()
    frozen.frozenVariables().asScala shouldBe Seq("W1", "b1", "W2", "b2")
    frozen.graphDef().getNodeList.asScala.map(n => n.getName -> n.getOp) shouldBe Seq(
      "x" -> "Placeholder", "W1" -> "Const", "b1" -> "Const", "W2" -> "Const", "b2" -> "Const", "hidden_MatMul" -> "MatMul",
      "hidden_BiasAdd" -> "BiasAdd", "hidden" -> "Relu", "logits_MatMul" -> "MatMul", "logits" -> "BiasAdd", "probs" -> "Softmax")
    val frozenPb = writeGraph(frozen.graphDef(), dir.resolve("frozen.pb"))

    // (b) FreezeGraph, with the MetaGraphDef taken out of saved_model.pb as its --meta
    val metaFile = dir.resolve("saved_model.meta")
    Files.write(metaFile, meta.toByteArray)
    val cli = FreezeGraph.freeze(io, prefix, metaFile.toString, List("probs").asJava, dir.resolve("frozen.pbtxt").toString,
      FreezeGraph.Format.TEXT)
    cli.frozenVariables().asScala shouldBe Seq("W1", "b1", "W2", "b2")

    for (file <- Seq(frozenPb, Path.of(cli.out()))) withClue(file) {
      val Seq(got) = runWithTensorFlow(file, Seq("probs:0"), Seq(feed))
      got.dtype shouldBe "float32"
      got.shape shouldBe "2,3"
      got.floats.zip(expected.floats).foreach { case (g, e) => math.abs(g - e) should be <= 1e-6f }
    }
  }

  // ---------------------------------------------------------------- 2. graphs we build

  private def floatConst(g: Graph, name: String, shape: Shape, values: Float*): Operation =
    g.opBuilder("Const", name).setAttr("dtype", DType.FLOAT).setAttr("value", Tensor.ofFloats(shape, values: _*)).build()

  private def unary(g: Graph, op: String, name: String, in: Operation): Operation =
    g.opBuilder(op, name).addInput(in.output(0)).setAttr("T", DType.FLOAT).build()

  private def binary(g: Graph, op: String, name: String, a: Operation, b: Operation): Operation =
    g.opBuilder(op, name).addInput(a.output(0)).addInput(b.output(0)).setAttr("T", DType.FLOAT).build()

  /** Defaults filled in from the registry, every node checked against its OpDef. */
  private def checkedDef(g: Graph): GraphDef = {
    val def0 = g.toGraphDef()
    val nodes = def0.getNodeList.asScala.map(registry.withDefaults)
    nodes.foreach(registry.check)
    def0.toBuilder.clearNode().addAllNode(nodes.asJava).build()
  }

  test("a graph we build (Placeholder, Const, MatMul, AddV2, Relu, Softmax, Identity) imports into TensorFlow, binary and text, and computes the expected values") {
    val g = new Graph()
    val x = g.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT).setAttr("shape", Shape.of(2, 3)).build()
    // dyadic values: MatMul, AddV2 and Relu are exact in float32 whatever the summation order
    val w = floatConst(g, "W", Shape.of(3, 2), 0.5f, -1f, 0.25f, 2f, -0.75f, 1.5f)
    val b = floatConst(g, "b", Shape.of(2), 0.125f, -0.5f)
    val mm = binary(g, "MatMul", "MatMul", x, w)
    val add = binary(g, "AddV2", "add", mm, b)
    val relu = unary(g, "Relu", "relu", add)
    val softmax = unary(g, "Softmax", "softmax", relu)
    unary(g, "Identity", "out", softmax)
    val graphDef = checkedDef(g)
    val matMul = graphDef.getNodeList.asScala.find(_.getName == "MatMul").get
    matMul.getAttrMap.get("transpose_a").getB shouldBe false
    matMul.getAttrMap.get("transpose_b").getB shouldBe false
    graphDef.getVersions.getProducer shouldBe Graph.PRODUCER

    val xs = Seq(1f, -2f, 0.5f, 3f, 0.25f, -1.5f)
    val W = Seq(Seq(0.5f, -1f), Seq(0.25f, 2f), Seq(-0.75f, 1.5f))
    val expectedAdd = for (i <- 0 until 2; j <- 0 until 2) yield (0 until 3).map(k => xs(i * 3 + k) * W(k)(j)).sum + Seq(0.125f, -0.5f)(j)
    val expectedRelu = expectedAdd.map(math.max(_, 0f))
    val expectedSoftmax = expectedRelu.grouped(2).flatMap { row =>
      val e = row.map(v => math.exp(v.toDouble)); e.map(v => (v / e.sum).toFloat)
    }.toSeq
    expectedRelu should contain(0f) // Relu does something

    val dir = Files.createTempDirectory("graph-built")
    for (file <- Seq(writeGraph(graphDef, dir.resolve("built.pb")), writeGraph(graphDef, dir.resolve("built.pbtxt")))) withClue(file) {
      GraphIO.readGraphDef(io, file.toString) shouldBe graphDef
      val Seq(addOut, reluOut, out) = runWithTensorFlow(file, Seq("add:0", "relu:0", "out:0"), Seq(s"x=float32:2x3:${xs.mkString(",")}"))
      addOut.shape shouldBe "2,2"
      addOut.floats shouldBe expectedAdd
      reluOut.floats shouldBe expectedRelu
      out.dtype shouldBe "float32"
      out.floats.zip(expectedSoftmax).foreach { case (got, want) => math.abs(got - want) should be <= 1e-6f }
    }
  }

  test("an attr TensorFlow does not know is caught by OpRegistry.check before export; TensorFlow only logs it and ignores it") {
    val g = new Graph()
    val a = floatConst(g, "a", Shape.of(1, 1), 2f)
    // Whether build() already checks (it is being changed to) or we check before export, the node never gets out.
    val message = intercept[IllegalArgumentException] {
      val bad = g.opBuilder("MatMul", "bad").addInput(a.output(0)).addInput(a.output(0)).setAttr("T", DType.FLOAT)
        .setAttr("bogus_attr", 1L).build()
      registry.check(registry.withDefaults(bad.toNodeDef()))
    }.getMessage
    message should include("Node 'bad' (op MatMul) has unknown attr 'bogus_attr'")

    // The same node written without our check: TensorFlow 2.18's importGraphDef logs an error naming the attr and
    // then ignores it ("Unknown attributes will be ignored"), so only our check refuses such a graph.
    val ok = checkedDef(g)
    val bogus = registry.withDefaults(NodeDef.newBuilder().setName("bad").setOp("MatMul").addInput("a").addInput("a")
      .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
      .putAttr("bogus_attr", AttrValue.newBuilder().setI(1).build()).build())
    val file = writeGraph(ok.toBuilder.addNode(bogus).build(), Files.createTempDirectory("graph-bogus").resolve("bogus.pb"))
    val run = Oracle.run("run", file.toString, file.resolveSibling("values.tsv").toString, "--fetch", "bad:0")
    withClue(run.stderr.takeRight(3000)) {
      run.exitCode shouldBe 0
      run.stderr should include(s"NodeDef mentions attribute bogus_attr $UnknownAttrLog: Op<name=MatMul")
    }
  }

  // ---------------------------------------------------------------- 3. fixtures: import + export, same outputs

  /** Where a fixture's graph lives in its file. */
  private sealed trait Kind
  private case object GraphFile extends Kind // a GraphDef, binary or text
  private case object MetaFile extends Kind // a MetaGraphDef
  private case object SavedModelFile extends Kind // the first MetaGraphDef of a SavedModel

  /**
   * @param checkpoint relative checkpoint prefix restored by the graph's own saver (filename fed, restore op run first)
   * @param targets ops run first (e.g. `init`)
   */
  private final case class Fixture(file: String, kind: Kind, feeds: Seq[String], fetches: Seq[String],
      targets: Seq[String] = Nil, checkpoint: Option[String] = None)

  private def floats(n: Int, scale: Float = 0.5f): String = (0 until n).map(i => ((i % 7) - 3) * scale + 0.25f).mkString(",")

  /**
   * The fixtures with an input and an output. Skipped, and why:
   *  - `.meta`: tfnet/graph/xor.meta (TruncatedNormal) and kmeans.meta (RandomUniformInt) initialise their variables
   *    randomly and come without a checkpoint; tfnet/graph/cond_test.meta has no input (no Placeholder);
   *    ipo-estimator/data_model/model.ckpt-3760.meta (and its graph.pbtxt) reads its input from an Iterator pipeline,
   *    not a Placeholder; serving/session_bundle_half_plus_two/export.meta has only the `tf_example` string input
   *    (ParseExample of serialized tf.Examples, not built here).
   *  - `.pb`: tf-rust/regression/model.pb and regression_checkpoint/model.pb initialise with RandomUniform and come
   *    without a checkpoint; tf-models-java-training/graph.pb has variables but no checkpoint here (not attempted);
   *    fingerprint.pb / keras_metadata.pb are not graphs; text-savedmodel-tf1.2/saved_model.pbtxt has only the
   *    `input_example_tensor` string input (ParseExample) and no variables/ folder.
   *  - SavedModels: tfnet/example1 has variables but the fixture has no variables/ folder (only saved_model.pb).
   *    Of the TF2 ones, tfjs-node (all three) and serving/saved_model_half_plus_two_tf2_cpu run below; not attempted
   *    (time; they need their signature inputs and restore ops worked out): tf-java/saved_model_using_python,
   *    tf-rust/regression_savedmodel, tfnet/leak_test_model, tfnet/python_func_model.
   *    String-input signatures (tf_example + ParseExample) of the TF1 serving models are not fed; their float
   *    inputs are. serving/saved_model_half_plus_two_gpu pins nodes to /device:GPU:0: the oracle's soft
   *    placement runs them on the CPU.
   */
  private def fixtures: Seq[Fixture] = Seq(
    Fixture("tf-rust/addition/model.pb", GraphFile, Seq("x=int32::3", "y=int32::-5"), Seq("z:0")),
    Fixture("tf-rust/multiplication/multiplication.pb", GraphFile, Seq("a=float32::1.5", "b=float32::-2.25"), Seq("c:0")),
    Fixture("tf2onnx/regression/graphdef/frozen.pb", GraphFile, Seq("X=float32:2x2:1,2,3,4"), Seq("pred:0")),
    // X [?,784] of MNIST rows; keep_prob 1 makes the dropout (random_uniform + floor) exactly the identity
    Fixture("tf2onnx/gru/frozen.pb", GraphFile, Seq(s"X=float32:2x784:${floats(1568, 0.125f)}", "keep_prob=float32::1"), Seq("output:0")),
    Fixture("tf2onnx/lstm/frozen.pb", GraphFile, Seq(s"X=float32:2x784:${floats(1568, 0.125f)}", "keep_prob=float32::1"), Seq("output:0")),
    Fixture("tfcr-write-graph/graph.pb", GraphFile, Nil, Seq("c:0", "a:0", "b:0"), targets = Seq("init")),
    Fixture("tfcr-write-graph/graph.pbtxt", GraphFile, Nil, Seq("c:0"), targets = Seq("init")),
    Fixture("serving/matrix_half_plus_two/1/saved_model.pb", SavedModelFile, Seq(s"x=float32:2x3x3:${floats(18)}"), Seq("y:0")),
    Fixture("tf2onnx/saved_model_with_redundant_inputs/saved_model.pb", SavedModelFile,
      Seq(s"Placeholder=float32:1x10:${floats(10)}", s"Placeholder_1=float32:1x10:${floats(10, 0.75f)}"), Seq("Add:0")),
    Fixture("tf2onnx/regression/checkpoint/model.meta", MetaFile, Seq("X=float32:3:1,-2,0.5"), Seq("pred:0"),
      checkpoint = Some("tf2onnx/regression/checkpoint/model")),
    Fixture("serving/bad_half_plus_two/00000123/export.meta", MetaFile, Seq("Placeholder=float32:3:1,-2,0.5"), Seq("Add:0"),
      checkpoint = Some("serving/bad_half_plus_two/00000123/export")),
    Fixture("tf2onnx/regression/saved_model/saved_model.pb", SavedModelFile, Seq("X=float32:3:1,-2,0.5"), Seq("pred:0"),
      checkpoint = Some("tf2onnx/regression/saved_model/variables/variables")),
    Fixture("tf-rust/regression-model/saved_model.pb", SavedModelFile, Seq("x=float32:3:1,-2,0.5"), Seq("y_hat:0"),
      checkpoint = Some("tf-rust/regression-model/variables/variables")),
    Fixture("serving/saved_model_half_plus_two_cpu/00000123/saved_model.pb", SavedModelFile,
      Seq("x=float32:3x1:1,-2,0.5", "x2=float32:3x1:4,0,-1"), Seq("y:0", "y2:0", "y3:0"),
      checkpoint = Some("serving/saved_model_half_plus_two_cpu/00000123/variables/variables")),
    Fixture("serving/saved_model_half_plus_two_gpu/00000123/saved_model.pb", SavedModelFile,
      Seq("x=float32:3x1:1,-2,0.5", "x2=float32:3x1:4,0,-1"), Seq("y:0", "y2:0", "y3:0"),
      checkpoint = Some("serving/saved_model_half_plus_two_gpu/00000123/variables/variables")),
    Fixture("serving/saved_model_half_plus_three/00000123/saved_model.pb", SavedModelFile, Seq("x=float32:3:1,-2,0.5"), Seq("y:0"),
      checkpoint = Some("serving/saved_model_half_plus_three/00000123/variables/variables")),
    Fixture("serving/saved_model_half_plus_two_mkl/00000123/saved_model.pb", SavedModelFile, Seq("x=float32:3x1:1,-2,0.5"), Seq("y:0"),
      checkpoint = Some("serving/saved_model_half_plus_two_mkl/00000123/variables/variables")),
    Fixture("serving/saved_model_counter/00000123/saved_model.pb", SavedModelFile, Nil, Seq("counter:0"),
      checkpoint = Some("serving/saved_model_counter/00000123/variables/variables")),
    // TF2 SavedModels: signatures call library functions (StatefulPartitionedCall); the saver's restore op is a
    // function call too, reading object-based keys (`x/.ATTRIBUTES/VARIABLE_VALUE`) into resource variables.
    Fixture("tfjs-node/times_two_int/saved_model.pb", SavedModelFile, Seq("serving_default_x=int32::7"),
      Seq("StatefulPartitionedCall:0"), checkpoint = Some("tfjs-node/times_two_int/variables/variables")),
    Fixture("tfjs-node/int64_multiply/saved_model.pb", SavedModelFile, Seq("serving_default_x=int64:2:3,-4"),
      Seq("StatefulPartitionedCall:0"), checkpoint = Some("tfjs-node/int64_multiply/variables/variables")),
    Fixture("tfjs-node/module_with_multiple_signatures/saved_model.pb", SavedModelFile,
      Seq("serving_default_x=float32::1.5", "timestwo_x=float32::2.5"), Seq("StatefulPartitionedCall:0", "StatefulPartitionedCall_1:0"),
      checkpoint = Some("tfjs-node/module_with_multiple_signatures/variables/variables")),
    Fixture("serving/saved_model_half_plus_two_tf2_cpu/00000123/saved_model.pb", SavedModelFile,
      Seq("regress_x2_to_y3_inputs=float32:1:3", "classify_x2_to_y3_inputs=float32:1:-1.5"),
      Seq("StatefulPartitionedCall_2:0", "StatefulPartitionedCall:0"),
      checkpoint = Some("serving/saved_model_half_plus_two_tf2_cpu/00000123/variables/variables")))

  /** The fixture's MetaGraphDef, or a MetaGraphDef holding only its GraphDef. */
  private def readFixture(f: Fixture): MetaGraphDef = {
    val location = TestFixtures.tfReal().resolve(f.file).toString
    f.kind match {
      case GraphFile => MetaGraphDef.newBuilder().setGraphDef(GraphIO.readGraphDef(io, location)).build()
      case MetaFile => MetaGraphs.read(io, location)
      case SavedModelFile => SavedModel.parseFrom(Files.readAllBytes(Path.of(location))).getMetaGraphs(0)
    }
  }

  /** Our import followed by export: Graph.fromGraphDef / toGraphDef, or MetaGraphs import / export. */
  private def reexport(f: Fixture, meta: MetaGraphDef): GraphDef = f.kind match {
    case GraphFile => Graph.fromGraphDef(meta.getGraphDef).toGraphDef()
    case _ =>
      val graph = new Graph()
      MetaGraphs.importMetaGraph(graph, meta, MetaGraphs.ImportOptions.defaults())
      MetaGraphs.exportMetaGraph(io, graph, MetaGraphs.ExportOptions.defaults()).getGraphDef
  }

  /** Feeds and targets that make the graph's saver restore the fixture checkpoint before the fetches. */
  private def restoreArgs(meta: MetaGraphDef, checkpoint: Option[String]): (Seq[String], Seq[String]) = checkpoint match {
    case None => (Nil, Nil)
    case Some(prefix) =>
      meta.hasSaverDef shouldBe true
      val saver = meta.getSaverDef
      (Seq(s"${saver.getFilenameTensorName}=string::${TestFixtures.prefix(prefix)}"), Seq(saver.getRestoreOpName))
  }

  for (f <- fixtures) {
    test(s"import + export of ${f.file} runs in TensorFlow to bit-identical outputs") {
      val meta = readFixture(f)
      val dir = Files.createTempDirectory("graph-roundtrip")
      val ext = if (GraphIO.isTextName(f.file)) ".pbtxt" else ".pb"
      val original = writeGraph(meta.getGraphDef, dir.resolve("original" + ext))
      val ours = writeGraph(reexport(f, meta), dir.resolve("ours" + ext))
      val (restoreFeeds, restoreTargets) = restoreArgs(meta, f.checkpoint)
      val feeds = f.feeds ++ restoreFeeds
      val targets = f.targets ++ restoreTargets
      val want = runWithTensorFlow(original, f.fetches, feeds, targets)
      val got = runWithTensorFlow(ours, f.fetches, feeds, targets)
      got shouldBe want // %.9g float32 / %.17g float64 text: equal strings are equal bits
      want.foreach(w => w.values should not be empty)
    }
  }
}
