package io.sparkpoint.it

import java.io.{PrintWriter, StringWriter}
import java.nio.file.{Files, Paths}

import scala.jdk.CollectionConverters._

import org.apache.hadoop.fs.Path
import org.apache.hadoop.hdfs.MiniDFSCluster
import org.apache.spark.sql.SparkSession
import org.scalatest.BeforeAndAfterAll
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.TestFixtures
import io.sparkpoint.bundle.{BundleReader, BundleValidator, Resharder, ShardedBundleWriter}
import io.sparkpoint.checkpoint.{CheckpointReader, CheckpointState, Checkpoints}
import io.sparkpoint.fs.hadoop.HadoopFileIO
import io.sparkpoint.spark.cli.SparkpointCli
import io.sparkpoint.tensor.{Shape, Tensor}

/** The same checkpoints on hdfs:// (MiniDFSCluster) as on the local disk. */
class HdfsSuite extends AnyFunSuite with Matchers with BeforeAndAfterAll {
  private var cluster: MiniDFSCluster = _
  private var io: HadoopFileIO = _
  private var root: String = _
  private val local = HadoopFileIO.withDefaults()

  override def beforeAll(): Unit = {
    cluster = MiniDfs.start(dataNodes = 1)
    io = new HadoopFileIO(cluster.getConfiguration(0))
    root = MiniDfs.root(cluster)
  }

  override def afterAll(): Unit = if (cluster != null) cluster.shutdown()

  test("a sharded checkpoint written to HDFS reads back identically, validates and reshards") {
    val tensors = TestFixtures.everyDtype(3).asScala.toSeq
    val prefix = s"$root/model/model.ckpt-10"
    val writer = ShardedBundleWriter.create(io, prefix, 3)
    try {
      tensors.zipWithIndex.foreach { case ((name, t), i) => writer.shard(i % 3).add(name, t) }
      writer.finish()
    } finally writer.close()

    val listed = io.list(s"$root/model").asScala.map(p => p.substring(p.lastIndexOf('/') + 1))
    listed should contain theSameElementsAs Seq(
      "model.ckpt-10.index", "model.ckpt-10.data-00000-of-00003", "model.ckpt-10.data-00001-of-00003", "model.ckpt-10.data-00002-of-00003")

    val reader = BundleReader.open(io, prefix)
    try tensors.foreach { case (name, t) => reader.lookup(name) shouldBe t }
    finally reader.close()
    BundleValidator.validate(io, prefix).problems() shouldBe empty

    Resharder.reshard(io, prefix, s"$root/model/resharded", 1)
    val resharded = BundleReader.open(io, s"$root/model/resharded")
    try tensors.foreach { case (name, t) => resharded.lookup(name) shouldBe t }
    finally resharded.close()
  }

  test("the state file is replaced atomically and names the latest checkpoint") {
    val dir = s"$root/state"
    val first = s"$dir/model.ckpt-1"
    val second = s"$dir/model.ckpt-2"
    for (prefix <- Seq(first, second)) {
      val writer = ShardedBundleWriter.create(io, prefix, 1)
      try { writer.shard(0).add("step", Tensor.scalar(1L)); writer.finish() } finally writer.close()
    }
    Checkpoints.updateCheckpointState(io, dir, CheckpointState.of(first), null, Checkpoints.PathStyle.RELATIVE)
    Checkpoints.updateCheckpointState(io, dir,
      new CheckpointState(second, java.util.List.of(first, second), java.util.List.of(1.5, 2.5), 0.5), null, Checkpoints.PathStyle.RELATIVE)
    Checkpoints.latestCheckpoint(io, dir, null) shouldBe second
    val state = Checkpoints.getCheckpointState(io, dir, null)
    state.allModelCheckpointPaths().asScala shouldBe Seq(first, second)
    state.lastPreservedTimestamp() shouldBe 0.5
    io.list(dir).asScala.filter(_.contains(".tmp")) shouldBe empty
  }

  test("TensorFlow-written checkpoints copied to HDFS read the same as from the local disk") {
    for (relative <- Seq("libtensorflow-2.18-generated/all_dtypes_v2/ckpt", "t2t/transformer_test_ckpt/model.ckpt-1")) {
      val source = Paths.get(TestFixtures.prefix(relative))
      val target = s"$root/fixtures/${source.getParent.getFileName}"
      Files.list(source.getParent).iterator().asScala
        .filter(_.getFileName.toString.startsWith(source.getFileName.toString + "."))
        .foreach(f => cluster.getFileSystem.copyFromLocalFile(new Path(f.toUri), new Path(s"$target/${f.getFileName}")))
      val hdfsPrefix = s"$target/${source.getFileName}"
      val fromHdfs = CheckpointReader.open(io, hdfsPrefix)
      val fromDisk = CheckpointReader.open(local, source.toString)
      try {
        fromHdfs.variableToShapeMap() shouldBe fromDisk.variableToShapeMap()
        fromDisk.variableToShapeMap().keySet().asScala.foreach(name => fromHdfs.getTensor(name) shouldBe fromDisk.getTensor(name))
      } finally { fromHdfs.close(); fromDisk.close() }
    }
  }

  test("the CLI inspects and validates an hdfs:// checkpoint") {
    val prefix = s"$root/cli/ckpt"
    val writer = ShardedBundleWriter.create(io, prefix, 1)
    try { writer.shard(0).add("w", Tensor.ofFloats(Shape.of(2), 1f, 2f)); writer.finish() }
    finally writer.close()
    val (code, out, err) = cli("inspect", prefix, "--json")
    withClue(err) { code shouldBe 0 }
    out.trim shouldBe s"""{"prefix": "$prefix", "tensors": [{"name": "w", "dtype": "float32", "shape": [2]}]}"""
    val (validCode, validOut, _) = cli("validate", prefix)
    validCode shouldBe 0
    validOut should include("\"valid\": true")
  }

  test("validate and reshard as Spark tasks read and write hdfs:// as they do in one JVM") {
    val prefix = s"$root/tasks/model.ckpt-3"
    val writer = ShardedBundleWriter.create(io, prefix, 3)
    try {
      TestFixtures.everyDtype(8).asScala.toSeq.zipWithIndex.foreach { case ((name, t), i) => writer.shard(i % 3).add(name, t) }
      writer.finish()
    } finally writer.close()
    val spark = SparkSession.builder().master("local[2]").appName("hdfs-batch-jobs").config("spark.ui.enabled", "false").getOrCreate()
    try {
      cli("validate", prefix, "--master", "local[2]", "--split-bytes", "1k") shouldBe cli("validate", prefix, "--local")
      val (code, out, err) = cli("reshard", prefix, s"$root/tasks/spark", "--shards", "2", "--master", "local[2]")
      withClue(err) { code shouldBe 0 }
      cli("reshard", prefix, s"$root/tasks/local", "--shards", "2", "--local")._1 shouldBe 0
      for (file <- Seq(".index", ".data-00000-of-00002", ".data-00001-of-00002")) {
        withClue(file) { bytes(s"$root/tasks/spark$file") shouldBe bytes(s"$root/tasks/local$file") }
      }
      cli("reshard", prefix, s"$root/tasks/spark", "--shards", "2", "--master", "local[2]") shouldBe ((code, out, err))
      io.list(s"$root/tasks").asScala.filter(_.contains("_temp_")) shouldBe empty
    } finally spark.stop()
  }

  private def bytes(file: String): Seq[Byte] = {
    val input = io.newInputFile(file).open()
    try input.readFully(0, input.length().toInt).toSeq finally input.close()
  }

  private def cli(args: String*): (Int, String, String) = {
    val out = new StringWriter()
    val err = new StringWriter()
    val code = SparkpointCli.execute(args.toArray, new PrintWriter(out, true), new PrintWriter(err, true))
    (code, out.toString, err.toString)
  }
}
