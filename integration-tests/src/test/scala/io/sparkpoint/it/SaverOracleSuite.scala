package io.sparkpoint.it

import java.nio.file.{Files, Path}

import scala.jdk.CollectionConverters._

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.checkpoint.CheckpointReader
import io.sparkpoint.exec.Session
import io.sparkpoint.fs.hadoop.HadoopFileIO
import io.sparkpoint.graph.{Graph, MetaGraphs, Variables}
import io.sparkpoint.proto.{MetaGraphDef, SavedModel}
import io.sparkpoint.saver.Saver
import io.sparkpoint.tensor.{DType, Shape, Tensor}

/**
 * tf.train.Saver proven against TensorFlow 2.18 (the tf-oracle, TF Java 1.1.0):
 *
 *  1. a `.meta` and checkpoint TensorFlow exported (TF Java's SavedModel of an MLP) restore in our Session through
 *     TensorFlow's own SaverDef (its restore op), and the softmax output matches TensorFlow's within 1e-5;
 *  1. a `.meta` and checkpoint our Saver wrote restore in TensorFlow: TF imports the meta graph's GraphDef, feeds the
 *     prefix to the SaverDef's filename tensor and runs its restore op; every variable then holds exactly our value;
 *  1. the same with our sharded Saver (3 shards): TF's RestoreV2 reads it; and TF runs our sharded save op
 *     (StringJoin, ShardedFilename, 3 SaveV2, MergeV2Checkpoints) to a checkpoint we read back identically.
 * TF Java has no import_meta_graph, so "imports the meta graph" means importing its GraphDef and using the SaverDef's names.
 */
class SaverOracleSuite extends AnyFunSuite with Matchers {
  private val io = HadoopFileIO.withDefaults()
  private val dir = Files.createTempDirectory("saver-oracle")

  private def tf(graph: Path, fetches: Seq[String], feeds: Seq[String], targets: Seq[String]): Seq[Oracle.Fetched] = {
    val (run, fetched) = Oracle.runGraph(graph, fetches, feeds, targets)
    withClue(run.stderr.takeRight(3000)) { run.exitCode shouldBe 0 }
    fetched
  }

  private def graphFile(meta: MetaGraphDef, name: String): Path = {
    val file = dir.resolve(name)
    Files.write(file, meta.getGraphDef.toByteArray)
    file
  }

  test("1. TF's .meta and checkpoint restore in our Session through its SaverDef; softmax matches within 1e-5") {
    val model = dir.resolve("tf-mlp")
    val values = dir.resolve("tf-mlp.tsv")
    val made = Oracle.run("make-mlp", model.toString, values.toString)
    withClue(made.stderr.takeRight(3000)) { made.exitCode shouldBe 0 }
    val feed = Files.readAllLines(values).asScala.collectFirst { case l if l.startsWith("# feed ") => l.stripPrefix("# feed ") }.get
    val Seq(expected) = Oracle.readValues(values)
    val meta = SavedModel.parseFrom(Files.readAllBytes(model.resolve("saved_model.pb"))).getMetaGraphs(0)

    val graph = new Graph()
    val saver = Saver.fromSaverDef(graph, MetaGraphs.importMetaGraph(graph, meta, MetaGraphs.ImportOptions.defaults()))
    val session = new Session(graph)
    saver.restore(session, model.resolve("variables/variables").toString)
    val spec = feed.stripPrefix("x=float32:2x4:").split(",").map(_.toFloat)
    val probs = session.run(Map("x:0" -> Tensor.ofFloats(Shape.of(2, 4), spec: _*)).asJava, List("probs:0").asJava).get(0)

    probs.shape() shouldBe Shape.of(2, 3)
    for (i <- 0 until 6) math.abs(probs.doubleAt(i) - expected.floats(i)) should be <= 1e-5
  }

  /** Variables of several dtypes, ref and resource style; returns our graph and its saver. */
  private def ourModel(sharded: Boolean): (Graph, Saver, Session) = {
    val graph = new Graph()
    Variables.variable(graph, "dense/kernel", Tensor.ofFloats(Shape.of(3, 2), 0.5f, -1.25f, 3e-8f, Float.MaxValue, -0.0f, 7f))
    Variables.variable(graph, "dense/bias", Tensor.ofDoubles(Shape.of(2), math.Pi, -1e300))
    Variables.variable(graph, "counts", Tensor.ofInts(Shape.of(4), 1, -2, Int.MaxValue, Int.MinValue))
    Variables.variable(graph, "global_step", Tensor.ofLongs(Shape.scalar(), 123456789012L))
    Variables.resourceVariable(graph, "embedding", Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4))
    Variables.globalVariablesInitializer(graph)
    val saver = Saver.builder(graph).sharded(sharded).numShards(3).build()
    val session = new Session(graph)
    session.runTargets("init")
    (graph, saver, session)
  }

  private val fetches = Seq("dense/kernel:0", "dense/bias:0", "counts:0", "global_step:0", "embedding/Read/ReadVariableOp:0")

  private def ours(session: Session): Seq[Tensor] = session.run(Map.empty[String, Tensor].asJava, fetches.asJava).asScala.toSeq

  private def sameValues(tfValues: Seq[Oracle.Fetched], our: Seq[Tensor]): Unit =
    for ((t, o) <- tfValues.zip(our)) withClue(t.name) {
      t.shape shouldBe o.shape().dims().mkString(",")
      val mine = (0 until o.numElements().toInt).map { i =>
        o.dtype() match {
          case DType.FLOAT => o.doubleAt(i).toFloat.toDouble
          case DType.DOUBLE => o.doubleAt(i)
          case _ => o.longAt(i).toDouble
        }
      }
      val theirs = t.values.map(v => if (o.dtype() == DType.FLOAT) v.toFloat.toDouble else v.toDouble)
      theirs.zip(mine).foreach { case (a, b) => java.lang.Double.compare(a, b) shouldBe 0 }
    }

  test("2. our Saver's .meta and checkpoint restore in TensorFlow through our SaverDef, to exactly our values") {
    val (_, saver, session) = ourModel(sharded = false)
    val prefix = saver.save(session, dir.resolve("ours/model.ckpt").toString, 5L)
    val meta = MetaGraphs.read(io, prefix + ".meta")
    val saverDef = meta.getSaverDef

    val restored = tf(graphFile(meta, "ours.pb"), fetches, Seq(s"${saverDef.getFilenameTensorName}=string::$prefix"),
      Seq(saverDef.getRestoreOpName))

    sameValues(restored, ours(session))
  }

  test("3. our sharded Saver (3 shards) restores in TensorFlow, and TensorFlow runs our sharded save op") {
    val (graph, saver, session) = ourModel(sharded = true)
    Files.createDirectories(dir.resolve("sharded"))
    val prefix = saver.save(session, dir.resolve("sharded/model.ckpt").toString)
    val reader = CheckpointReader.open(io, prefix)
    try reader.bundle().numShards() shouldBe 3 finally reader.close()
    val meta = MetaGraphs.read(io, prefix + ".meta")
    val saverDef = meta.getSaverDef
    val file = graphFile(meta, "sharded.pb")

    sameValues(tf(file, fetches, Seq(s"${saverDef.getFilenameTensorName}=string::$prefix"), Seq(saverDef.getRestoreOpName)),
      ours(session))

    // TensorFlow initializes the variables and runs our save op to a new prefix; we restore what it wrote
    val tfPrefix = dir.resolve("sharded/by-tf").toString
    val Seq(saved) = tf(file, Seq(saverDef.getSaveTensorName), Seq(s"${saverDef.getFilenameTensorName}=string::$tfPrefix"), Seq("init"))
    saved.values shouldBe Seq(tfPrefix)
    val check = CheckpointReader.open(io, tfPrefix)
    try check.bundle().numShards() shouldBe 3 finally check.close()
    val fresh = new Session(graph)
    saver.restore(fresh, tfPrefix)
    ours(fresh) shouldBe ours(session)
  }
}
