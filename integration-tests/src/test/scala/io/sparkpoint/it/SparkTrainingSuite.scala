package io.sparkpoint.it

import java.io.{PrintWriter, StringWriter}
import java.nio.file.{Files, Path, Paths}
import java.util.concurrent.TimeUnit
import java.util.Properties

import scala.concurrent.{Await, Future}
import scala.concurrent.ExecutionContext.Implicits.global
import scala.concurrent.duration._
import scala.jdk.CollectionConverters._

import org.apache.hadoop.fs.{Path => HPath}
import org.apache.hadoop.hdfs.MiniDFSCluster
import org.apache.spark.sql.{Row, RowFactory, SparkSession}
import org.apache.spark.sql.types.{DataTypes, StructType}
import org.scalatest.BeforeAndAfterAll
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.TestFixtures
import io.sparkpoint.bundle.BundleValidator
import io.sparkpoint.checkpoint.{CheckpointReader, Checkpoints}
import io.sparkpoint.exec.Session
import io.sparkpoint.fs.hadoop.HadoopFileIO
import io.sparkpoint.graph.{Graph, GraphIO, MetaGraphs}
import io.sparkpoint.model.{ModelGenerator, ModelSpec}
import io.sparkpoint.spark.train.{BatchOrderAccess, TrainJob, TrainOptions}
import io.sparkpoint.tensor.{Shape, Tensor}

/**
 * `sparkpoint train` on real parts: executors in their own JVMs (Spark's local-cluster master) and
 * a MiniDFSCluster with 3 datanodes. Training equals one process on the same global batches; a
 * killed executor, a killed driver and a stopped datanode change nothing in the result.
 */
class SparkTrainingSuite extends AnyFunSuite with Matchers with BeforeAndAfterAll {
  private val Features = 6
  private val Examples = 96
  private val Batch = 16
  private val Seed = 42L
  private var cluster: MiniDFSCluster = _
  private var spark: SparkSession = _
  private var io: HadoopFileIO = _
  private var root: String = _
  private var meta: String = _
  private var data: String = _
  private val features = Array.ofDim[Float](Examples, Features)
  private val labels = new Array[Long](Examples)

  private val projectRoot = Paths.get(sys.props.getOrElse("sparkpoint.root", "..")).toAbsolutePath.normalize
  private lazy val jvmFlags: String = {
    val defaults = new Properties()
    val in = Files.newBufferedReader(projectRoot.resolve("conf/spark-defaults.conf"))
    try defaults.load(in) finally in.close()
    defaults.getProperty("spark.executor.extraJavaOptions")
  }

  override def beforeAll(): Unit = {
    cluster = MiniDfs.start(dataNodes = 3)
    io = new HadoopFileIO(cluster.getConfiguration(0))
    root = MiniDfs.root(cluster)

    Files.createDirectories(Paths.get(sys.env.getOrElse("SPARK_HOME", "target/spark-home")).resolve("jars"))
    spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("SparkTrainingSuite")
      .config("spark.ui.enabled", "false")
      .config("spark.executor.extraClassPath", sys.props("java.class.path"))
      .config("spark.executor.extraJavaOptions", jvmFlags)
      .config("spark.task.maxFailures", "4")
      .getOrCreate()

    meta = ModelGenerator.write(new ModelSpec(ModelSpec.Kind.MLP, java.util.List.of(Features.toLong), 3, java.util.List.of(8L),
      ModelSpec.Optimizer.ADAM, 0.05, 3), io, s"$root/model").checkpoint() + ".meta"
    val random = new java.util.Random(5)
    val rows = (0 until Examples).map { i =>
      for (j <- 0 until Features) features(i)(j) = random.nextGaussian().toFloat
      labels(i) = (if (features(i)(0) > 0) 1L else 0L) + (if (features(i)(1) > 0.5) 1L else 0L)
      RowFactory.create(features(i).toSeq.map(Float.box).asJava, Long.box(labels(i)))
    }
    val schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("label", DataTypes.LongType)
    data = s"$root/data.parquet"
    spark.createDataFrame(rows.asJava, schema).coalesce(1).write.parquet(data)
  }

  override def afterAll(): Unit = {
    if (spark != null) spark.stop()
    if (cluster != null) cluster.shutdown()
  }

  private def options(dir: String, steps: Long, saveEvery: Long = 2, maxToKeep: Int = 3, shards: Int = 3, async: Boolean = false) =
    new TrainOptions(meta, null, null, data, "parquet", Map("x" -> java.util.List.of("features"), "labels" -> java.util.List.of("label")).asJava,
      Batch, steps, null, Seed, dir, saveEvery, null, maxToKeep, null, shards, TrainOptions.Mode.SYNC, 1, async, "train", "loss:0", 4, 1)

  private def train(options: TrainOptions): TrainJob.Result = TrainJob.run(spark, options, new PrintWriter(new StringWriter()))

  /** The same global batches, in one process. */
  private def reference(steps: Long): Session = {
    val graph = new Graph()
    MetaGraphs.importMetaGraph(graph, MetaGraphs.read(io, meta), MetaGraphs.ImportOptions.defaults())
    val session = new Session(graph)
    session.initializeGlobalVariables()
    val perEpoch = Examples / Batch
    for (step <- 0L until steps) {
      val positions = BatchOrderAccess.positions(Seed, step / perEpoch, Examples)
      val byPosition = new Array[Int](Examples)
      for (i <- 0 until Examples) byPosition(positions(i)) = i
      val x = new Array[Float](Batch * Features)
      val y = new Array[Long](Batch)
      for (b <- 0 until Batch) {
        val example = byPosition(((step % perEpoch) * Batch + b).toInt)
        System.arraycopy(features(example), 0, x, b * Features, Features)
        y(b) = labels(example)
      }
      session.run(Map("x:0" -> Tensor.ofFloats(Shape.of(Batch, Features), x: _*), "labels:0" -> Tensor.ofLongs(Shape.of(Batch), y: _*)).asJava,
        java.util.List.of(), java.util.List.of("train"))
    }
    session
  }

  private def values(prefix: String): Map[String, Tensor] = {
    val reader = CheckpointReader.open(io, prefix)
    try reader.variableToShapeMap().keySet().asScala.map(k => k -> reader.getTensor(k)).toMap finally reader.close()
  }

  private def assertEqualsReference(prefix: String, steps: Long): Unit = {
    val session = reference(steps)
    val saved = values(prefix)
    saved.keySet should contain allOf ("dense/kernel", "dense/kernel/Adam", "global_step")
    saved.foreach { case (key, value) => withClue(key) { TestFixtures.relativeDifference(value, session.variables().read(key)) should be < 1e-5 } }
    saved("global_step").longAt(0) shouldBe steps
  }

  test("training on executors in separate JVMs with checkpoints on hdfs:// equals one process on the same global batches") {
    val dir = s"$root/sync"
    val result = train(options(dir, 8))
    result.latestCheckpoint() shouldBe s"$dir/model.ckpt-8"
    result.checkpoints().asScala shouldBe Seq(4, 6, 8).map(s => s"$dir/model.ckpt-$s")
    assertEqualsReference(result.latestCheckpoint(), 8)
    BundleValidator.validate(io, result.latestCheckpoint()).problems() shouldBe empty
    io.list(dir).asScala.map(p => p.substring(p.lastIndexOf('/') + 1)).filter(_.startsWith("model.ckpt-8")).toSeq.sorted shouldBe Seq(
      "model.ckpt-8.data-00000-of-00003", "model.ckpt-8.data-00001-of-00003", "model.ckpt-8.data-00002-of-00003", "model.ckpt-8.index",
      "model.ckpt-8.manifest.json", "model.ckpt-8.meta")
  }

  private def executorProcesses(): Seq[ProcessHandle] =
    ProcessHandle.current().descendants().iterator().asScala.filter { p =>
      val cmdline = Paths.get(s"/proc/${p.pid()}/cmdline")
      scala.util.Try(new String(Files.readAllBytes(cmdline))).getOrElse("").contains("CoarseGrainedExecutorBackend")
    }.toSeq

  test("an executor killed mid-run changes nothing: Spark retries its tasks and the result equals an uninterrupted run") {
    val dir = s"$root/executor-kill"
    executorProcesses() should have size 2
    val run = Future(train(options(dir, 12, saveEvery = 4, async = true)))
    val deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2)
    while (!io.newInputFile(s"$dir/model.ckpt-4.manifest.json").exists() && System.nanoTime() < deadline) Thread.sleep(20)
    val victim = executorProcesses().head
    victim.destroyForcibly()
    val result = Await.result(run, 5.minutes)
    result.lastStep() shouldBe 12
    assertEqualsReference(result.latestCheckpoint(), 12)
    BundleValidator.validate(io, result.latestCheckpoint()).problems() shouldBe empty
  }

  test("a datanode stopped while checkpoints are being written: saves complete or retry, and every committed checkpoint is intact") {
    val dir = s"$root/datanode-stop"
    val run = Future(train(options(dir, 10, saveEvery = 1, maxToKeep = 20, async = true)))
    val deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2)
    while (!io.newInputFile(s"$dir/model.ckpt-2.manifest.json").exists() && System.nanoTime() < deadline) Thread.sleep(5)
    val stopped = cluster.stopDataNode(2)
    try {
      val result = Await.result(run, 5.minutes)
      result.lastStep() shouldBe 10
      val listed = Checkpoints.getCheckpointState(io, dir, null).allModelCheckpointPaths().asScala
      listed.last shouldBe s"$dir/model.ckpt-10"
      listed.foreach(p => withClue(p) { BundleValidator.validate(io, p).problems() shouldBe empty })
      assertEqualsReference(result.latestCheckpoint(), 10)
    } finally {
      cluster.restartDataNode(stopped, true)
      cluster.waitActive()
    }
  }

  private def launcher(args: String*): ProcessBuilder = {
    val command = (Seq(projectRoot.resolve("deploy/bin/sparkpoint").toString) ++ args).asJava
    val builder = new ProcessBuilder(command)
    builder.environment().remove("SPARK_HOME")
    builder
  }

  test("the driver killed mid-run: the same command resumes from the latest checkpoint, ends as an uninterrupted run, and retention holds across the restart") {
    val dir = s"$root/driver-kill"
    val command = Seq("train", "--master", "local[2]", "--meta", meta, "--data", data, "--feed", "x=features", "--feed", "labels=label",
      "--batch-size", Batch.toString, "--steps", "14", "--seed", Seed.toString, "--checkpoint-dir", dir, "--save-every-steps", "2",
      "--max-to-keep", "2", "--shards", "2", "--partitions", "3")
    val out = Files.createTempFile("driver", ".out")
    val first = launcher(command: _*).redirectOutput(out.toFile).redirectError(ProcessBuilder.Redirect.DISCARD).start()
    val deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3)
    while (!io.newInputFile(s"$dir/model.ckpt-6.manifest.json").exists() && first.isAlive && System.nanoTime() < deadline) Thread.sleep(10)
    first.destroyForcibly().waitFor(1, TimeUnit.MINUTES)
    val before = Checkpoints.getCheckpointState(io, dir, null)
    before should not be null
    val killedAt = before.modelCheckpointPath()
    killedAt should not endWith "model.ckpt-14"
    BundleValidator.validate(io, killedAt).problems() shouldBe empty

    val err = Files.createTempFile("driver", ".err")
    val second = launcher(command: _*).redirectOutput(out.toFile).redirectError(err.toFile).start()
    second.waitFor(5, TimeUnit.MINUTES) shouldBe true
    withClue(Files.readString(err).takeRight(3000)) { second.exitValue() shouldBe 0 }
    val summary = Files.readAllLines(out).asScala.last
    summary should include(""""resumed": true""")
    summary should include(""""last_step": 14""")
    assertEqualsReference(s"$dir/model.ckpt-14", 14)
    val state = Checkpoints.getCheckpointState(io, dir, null)
    state.allModelCheckpointPaths().asScala shouldBe Seq(s"$dir/model.ckpt-12", s"$dir/model.ckpt-14")
    val names = io.list(dir).asScala.map(p => p.substring(p.lastIndexOf('/') + 1))
    names.filter(n => n.startsWith("model.ckpt-") && !n.startsWith("model.ckpt-12.") && !n.startsWith("model.ckpt-14.")) shouldBe empty
    names.filter(_.startsWith(".sparkpoint-tmp")) shouldBe empty
  }

  /** deploy/bin/sparkpoint-submit: from the build's jars in local mode, or the application jar alone on a distribution. */
  private def submit(args: Seq[String], distribution: Option[SparkDistribution] = None, master: String = "local[2]"): (Int, String, String) = {
    val out = Files.createTempFile("submit", ".out")
    val err = Files.createTempFile("submit", ".err")
    val command = (Seq(projectRoot.resolve("deploy/bin/sparkpoint-submit").toString, "--master", master) ++ args).asJava
    val builder = new ProcessBuilder(command).redirectOutput(out.toFile).redirectError(err.toFile)
    builder.environment().remove("SPARK_HOME")
    distribution.foreach(d => builder.environment().putAll(d.environment.asJava))
    val process = builder.start()
    process.waitFor(5, TimeUnit.MINUTES) shouldBe true
    (process.exitValue(), Files.readString(out), Files.readString(err))
  }

  test("the Airflow DAG's command lines run in order under spark-submit with the application jar alone (executors in their own JVMs); " +
    "then restore-partial, and TensorFlow restores the checkpoint and runs the frozen graph") {
    val distribution = SparkDistribution.create(projectRoot)
    val jobs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(projectRoot.resolve("deploy/airflow/dags/sparkpoint_jobs.json").toFile)
    val params = Map("hdfs_uri" -> cluster.getFileSystem.getUri.toString, "meta" -> meta, "data" -> data, "checkpoint_path" -> "/sparkpoint/dag",
      "frozen" -> s"$root/dag-frozen.pb", "batch_size" -> "16", "steps" -> "6", "save_every_steps" -> "2", "shards" -> "2")
    def fill(template: String): String = params.foldLeft(template) { case (text, (k, v)) => text.replace(s"{{ params.$k }}", v) }
    val dir = s"$root/dag"
    for (task <- jobs.get("tasks").elements().asScala) {
      val id = task.get("task_id").asText()
      if (id == "validate") {
        withClue("the sensor's file") { io.newInputFile(params("hdfs_uri") + fill(jobs.get("manifest").asText())).exists() shouldBe true }
      }
      val args = task.get("args").elements().asScala.map(a => fill(a.asText())).toSeq
      args.exists(_.contains("{{")) shouldBe false
      val (code, out, err) = submit(args, Some(distribution), "local-cluster[2,1,1024]")
      withClue(s"$id: ${err.takeRight(3000)}") { code shouldBe 0 }
      if (id == "train") {
        err should include("sparkpoint-spark-jobs-app.jar")
        withClue("tasks ran on executors, not in the driver") { err should include regex """in \d+ ms on \S+ \(executor \d+\)""" }
      }
      out.trim.linesIterator.toSeq.last should startWith("{")
    }
    Checkpoints.getCheckpointState(io, dir, null).allModelCheckpointPaths().asScala shouldBe Seq(s"$dir/model.ckpt-4", s"$dir/model.ckpt-6")
    io.newInputFile(s"$root/dag-frozen.pb").exists() shouldBe true

    // restore-partial: warm-start a new model (other seed, other optimizer) from the trained checkpoint's layers
    val fresh = ModelGenerator.write(new ModelSpec(ModelSpec.Kind.MLP, java.util.List.of(Features.toLong), 3, java.util.List.of(8L),
      ModelSpec.Optimizer.MOMENTUM, 0.05, 99), io, s"$root/fresh").checkpoint()
    val (code, out, err) = submit(Seq("restore-partial", dir, fresh, "--out", s"$root/warm/model.ckpt-0", "--include", "^dense"))
    withClue(err) { code shouldBe 0 }
    out should include(""""matched": ["dense/bias", "dense/kernel", "dense_1/bias", "dense_1/kernel"]""")
    val trained = values(s"$dir/model.ckpt-6")
    val warm = values(s"$root/warm/model.ckpt-0")
    warm("dense/kernel") shouldBe trained("dense/kernel")
    warm("dense/kernel/Momentum") shouldBe values(fresh)("dense/kernel/Momentum")

    // TensorFlow 2.18 reads the checkpoint the executors wrote, and runs the graph freeze made
    val local = Files.createTempDirectory("dag-local")
    val fs = cluster.getFileSystem
    for (status <- fs.listStatus(new HPath(dir)) if status.getPath.getName.startsWith("model.ckpt-6.")) {
      fs.copyToLocalFile(status.getPath, new HPath(local.resolve(status.getPath.getName).toString))
    }
    fs.copyToLocalFile(new HPath(s"$root/dag-frozen.pb"), new HPath(local.resolve("frozen.pb").toString))
    Oracle.restoreProblems(local.resolve("model.ckpt-6").toString, trained.toSeq.map { case (k, v) => Oracle.line(k, v) }) shouldBe empty
    val x = (0 until 2 * Features).map(i => features(i / Features)(i % Features))
    val (run, fetched) = Oracle.runGraph(local.resolve("frozen.pb"), Seq("probabilities:0"), Seq(s"x=float32:2x$Features:${x.mkString(",")}"))
    withClue(run.stderr.takeRight(2000)) { run.exitCode shouldBe 0 }
    val graph = Graph.fromGraphDef(GraphIO.readGraphDef(io, s"$root/dag-frozen.pb"))
    val ours = new Session(graph).run(java.util.Map.of("x:0", Tensor.ofFloats(Shape.of(2, Features), x: _*)), java.util.List.of("probabilities:0")).get(0)
    fetched.head.floats.zipWithIndex.foreach { case (p, i) => p.toDouble shouldBe ours.doubleAt(i.toLong) +- 1e-6 }
  }

  test("a notebook reads the run's checkpoints over hdfs:// as a DataFrame (tfcheckpoint, on the executors) and compares two steps with one join") {
    val dir = s"$root/sync"
    if (!io.newInputFile(s"$dir/model.ckpt-8.index").exists()) train(options(dir, 8))
    val all = spark.read.format("tfcheckpoint").option("checkpoints", "all").option("stats", "true").load(dir)
    all.select("step").distinct().collect().map(_.getLong(0)).sorted shouldBe Array(4L, 6L, 8L)
    val latest = spark.read.format("tfcheckpoint").load(dir)
    latest.select("checkpoint").distinct().collect().map(_.getString(0)) shouldBe Array(s"$dir/model.ckpt-8")
    latest.where("name = 'dense/kernel'").select("dtype", "num_elements").collect().map(r => (r.getString(0), r.getLong(1))) shouldBe
      Array(("float32", Features * 8L))

    val a = all.where("step = 6").alias("a")
    val b = all.where("step = 8").alias("b")
    val changes = a.join(b, "name").selectExpr("name", "b.l2_norm - a.l2_norm as change").collect().map(r => r.getString(0) -> r.getDouble(1)).toMap
    val six = values(s"$dir/model.ckpt-6")("dense/kernel")
    val eight = values(s"$dir/model.ckpt-8")("dense/kernel")
    def norm(t: Tensor) = math.sqrt((0L until t.numElements()).map(i => t.doubleAt(i) * t.doubleAt(i)).sum)
    changes("dense/kernel") shouldBe (norm(eight) - norm(six)) +- 1e-9
    changes("global_step") shouldBe 2.0 +- 1e-12
  }
}
