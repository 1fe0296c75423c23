package io.sparkpoint.it

import java.io.{PrintWriter, StringWriter}
import java.nio.file.{Files, Path}

import scala.jdk.CollectionConverters._

import com.google.protobuf.ByteString
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.bundle.{BundleNaming, BundleWriter}
import io.sparkpoint.checkpoint.{CheckpointState, Checkpoints}
import io.sparkpoint.freeze.FreezeGraph
import io.sparkpoint.fs.hadoop.HadoopFileIO
import io.sparkpoint.proto.{AttrValue, DataType, GraphDef, MetaGraphDef, NodeDef, TensorProto, TensorShapeProto}
import io.sparkpoint.spark.cli.SparkpointCli
import io.sparkpoint.tensor.{Shape, Tensor, TensorProtos}

/**
 * The note's own example, proven with TensorFlow 2.18: {@code add = v1 + v2} saved with v1 = 1 and
 * v2 = 2, frozen to {@code add}; TensorFlow imports the frozen graph, with and without an import
 * prefix, and computes [3].
 */
class FreezeOracleSuite extends AnyFunSuite with Matchers {
  private val io = HadoopFileIO.withDefaults()

  private def attrType(t: DataType) = AttrValue.newBuilder().setType(t).build()
  private def attrString(s: String) = AttrValue.newBuilder().setS(ByteString.copyFromUtf8(s)).build()
  private def attrShape(dims: Long*) = AttrValue.newBuilder().setShape(
    TensorShapeProto.newBuilder().addAllDim(dims.map(d => TensorShapeProto.Dim.newBuilder().setSize(d).build()).asJava)).build()
  private def colocate(name: String) = AttrValue.newBuilder().setList(
    AttrValue.ListValue.newBuilder().addS(ByteString.copyFromUtf8(s"loc:@$name"))).build()
  private def node(name: String, op: String, inputs: String*) =
    NodeDef.newBuilder().setName(name).setOp(op).addAllInput(inputs.asJava)

  private def variable(name: String, initial: Float): Seq[NodeDef] = {
    val value = TensorProtos.toProto(Tensor.ofFloats(Shape.of(1), initial), TensorProtos.Encoding.PYTHON)
    Seq(
      node(s"$name/initial_value", "Const").putAttr("dtype", attrType(DataType.DT_FLOAT))
        .putAttr("value", AttrValue.newBuilder().setTensor(value).build()).build(),
      node(name, "VariableV2").putAttr("dtype", attrType(DataType.DT_FLOAT)).putAttr("shape", attrShape(1))
        .putAttr("container", attrString("")).putAttr("shared_name", attrString("")).build(),
      node(s"$name/Assign", "Assign", name, s"$name/initial_value").putAttr("T", attrType(DataType.DT_FLOAT))
        .putAttr("use_locking", AttrValue.newBuilder().setB(true).build())
        .putAttr("validate_shape", AttrValue.newBuilder().setB(true).build()).putAttr("_class", colocate(name)).build(),
      node(s"$name/read", "Identity", name).putAttr("T", attrType(DataType.DT_FLOAT)).putAttr("_class", colocate(name)).build())
  }

  /** v1, v2 (VariableV2 [1] with initializers), add = AddV2(v1/read, v2/read), init. */
  private def noteGraph: GraphDef = GraphDef.newBuilder()
    .addAllNode((variable("v1", 1.0f) ++ variable("v2", 2.0f)).asJava)
    .addNode(node("add", "AddV2", "v1/read", "v2/read").putAttr("T", attrType(DataType.DT_FLOAT)))
    .addNode(node("init", "NoOp", "^v1/Assign", "^v2/Assign"))
    .build()

  /** A checkpoint directory as a TF1 Saver leaves it: model.ckpt-1.{index,data,meta} and the state file. */
  private def checkpointDirectory(): Path = {
    val dir = Files.createTempDirectory("freeze-note")
    val prefix = dir.resolve("model.ckpt-1").toString
    val writer = BundleWriter.create(io, prefix)
    try {
      writer.add("v1", Tensor.ofFloats(Shape.of(1), 1.0f))
      writer.add("v2", Tensor.ofFloats(Shape.of(1), 2.0f))
      writer.finish()
    } finally writer.close()
    Files.write(Path.of(BundleNaming.metaFile(prefix)), MetaGraphDef.newBuilder().setGraphDef(noteGraph).build().toByteArray)
    Checkpoints.updateCheckpointState(io, dir.toString, CheckpointState.of(prefix), null, Checkpoints.PathStyle.RELATIVE)
    dir
  }

  /** TensorFlow imports {@code graph} (under {@code prefix} if given) and fetches {@code fetch}: its float values. */
  private def runWithTensorFlow(graph: Path, fetch: String, prefix: Option[String]): Seq[Float] = {
    val values = Files.createTempDirectory("freeze-values").resolve("values.tsv")
    val args = Seq("run", graph.toString, values.toString, "--fetch", fetch) ++ prefix.toSeq.flatMap(p => Seq("--import-prefix", p))
    val run = Oracle.run(args: _*)
    withClue(run.stderr.takeRight(3000)) { run.exitCode shouldBe 0 }
    val Array(name, dtype, shape, numbers) = Files.readAllLines(values).asScala.head.split("\t", -1)
    name shouldBe fetch
    dtype shouldBe "float32"
    shape shouldBe "1"
    numbers.split(",").toSeq.map(_.toFloat)
  }

  private def constValue(graph: GraphDef, name: String): Tensor = {
    val nodeDef = graph.getNodeList.asScala.find(_.getName == name).getOrElse(fail(s"$name is not in the frozen graph"))
    nodeDef.getOp shouldBe "Const"
    TensorProtos.fromProto(nodeDef.getAttrMap.get("value").getTensor)
  }

  test("the frozen note example holds Const v1 and v2, and TensorFlow computes add = [3] with and without an import prefix") {
    val dir = checkpointDirectory()
    val out = dir.resolve("frozen.pb")
    val result = FreezeGraph.freeze(io, dir.toString, null, List("add").asJava, out.toString, FreezeGraph.Format.BINARY)
    result.frozenVariables().asScala shouldBe Seq("v1", "v2")

    val frozen = GraphDef.parseFrom(Files.readAllBytes(out))
    frozen.getNodeList.asScala.map(_.getName) shouldBe Seq("v1", "v1/read", "v2", "v2/read", "add")
    constValue(frozen, "v1") shouldBe Tensor.ofFloats(Shape.of(1), 1.0f)
    constValue(frozen, "v2") shouldBe Tensor.ofFloats(Shape.of(1), 2.0f)

    runWithTensorFlow(out, "add:0", None) shouldBe Seq(3.0f)
    runWithTensorFlow(out, "prefix/add:0", Some("prefix")) shouldBe Seq(3.0f)
  }

  test("sparkpoint freeze writes the same graph, binary and text, and TensorFlow runs both") {
    val dir = checkpointDirectory()
    for ((file, extra) <- Seq("cli.pb" -> Seq.empty, "cli.pbtxt" -> Seq("--as-text"))) {
      val out = dir.resolve(file)
      val stdout = new StringWriter()
      val stderr = new StringWriter()
      val args = Seq("freeze", "--checkpoint", dir.toString, "--outputs", "add", "--out", out.toString) ++ extra
      val code = SparkpointCli.execute(args.toArray, new PrintWriter(stdout, true), new PrintWriter(stderr, true))
      withClue(stderr.toString) { code shouldBe 0 }
      stdout.toString.trim shouldBe s"""{"out": "$out", "nodes_kept": 5, "variables_frozen": 2, "bytes": ${Files.size(out)}}"""
      runWithTensorFlow(out, "add:0", None) shouldBe Seq(3.0f)
      runWithTensorFlow(out, "prefix/add:0", Some("prefix")) shouldBe Seq(3.0f)
    }
  }
}
