package io.sparkpoint.it

import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.{Files, Path}
import java.util.Random

import scala.jdk.CollectionConverters._

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.TestFixtures
import io.sparkpoint.bundle.{BundleWriter, Resharder, ShardedBundleWriter}
import io.sparkpoint.fs.hadoop.HadoopFileIO
import io.sparkpoint.tensor.{DType, Shape, Tensor, TensorSlice}

/** We write; TensorFlow's RestoreV2 (which checks every CRC) must read every tensor back identically. */
class WeWriteTfReadsSuite extends AnyFunSuite with Matchers {
  private val io = HadoopFileIO.withDefaults()
  private val large = sys.props.getOrElse("sparkpoint.oracle.large", "true").toBoolean

  /** The dtypes TensorFlow users save; quantized and float8 types are left to the engine's own tests. */
  private val userDtypes = Set("float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64",
    "uint8", "uint16", "uint32", "uint64", "bool", "complex64", "complex128", "string")

  private def dtypeSet: Seq[(String, Tensor)] =
    TestFixtures.everyDtype(7).asScala.toSeq.filter { case (_, t) => userDtypes(t.dtype().pythonName()) }

  private def stringSet: Seq[(String, Tensor)] = {
    val random = new Random(11)
    val big = new Array[Byte](100 * 1024)
    random.nextBytes(big)
    Seq(
      "s/edge" -> Tensor.ofStrings(Shape.of(6), TestFixtures.edgeStrings().asScala.toSeq: _*),
      "s/scalar" -> Tensor.ofStrings(Shape.scalar(), "hello"),
      "s/empty" -> Tensor.ofStrings(Shape.of(0)),
      "s/big" -> Tensor.ofStrings(Shape.of(2), java.util.List.of(big, Array[Byte](0, -1, 0))),
      "s/rank3" -> Tensor.ofStrings(Shape.of(2, 2, 1), "a", "é", "x" * 300, ""))
  }

  private def manySet: Seq[(String, Tensor)] =
    (0 until 10240).map(i => f"layer_$i%05d/kernel" -> Tensor.ofFloats(Shape.of(4), i.toFloat, -i.toFloat, 0.5f, i * 2.0f))

  private def writeSingle(prefix: String, tensors: Seq[(String, Tensor)]): Unit = {
    val writer = BundleWriter.create(io, prefix)
    try {
      tensors.foreach { case (name, t) => writer.add(name, t) }
      writer.finish()
    } finally writer.close()
  }

  private def writeSharded(prefix: String, tensors: Seq[(String, Tensor)], shards: Int): Unit = {
    val writer = ShardedBundleWriter.create(io, prefix, shards)
    try {
      tensors.zipWithIndex.foreach { case ((name, t), i) => writer.shard(i % shards).add(name, t) }
      writer.finish()
    } finally writer.close()
  }

  private def restoreWithTensorFlow(prefix: String, lines: Seq[ManifestLine]): Unit =
    Oracle.restoreProblems(prefix, lines) shouldBe empty

  private def roundTrip(label: String, tensors: Seq[(String, Tensor)]): Unit = {
    val dir = Files.createTempDirectory(s"we-write-$label")
    val lines = tensors.map { case (name, t) => Oracle.line(name, t) }
    val single = dir.resolve("single").toString
    writeSingle(single, tensors)
    restoreWithTensorFlow(single, lines)
    val sharded = dir.resolve("sharded").toString
    writeSharded(sharded, tensors, 3)
    restoreWithTensorFlow(sharded, lines)
    val resharded = dir.resolve("resharded").toString
    Resharder.reshard(io, single, resharded, 2)
    restoreWithTensorFlow(resharded, lines)
    deleteRecursively(dir)
  }

  test("every dtype with scalars, empty tensors and ranks 1 to 4, single-shard, sharded and resharded") {
    roundTrip("dtypes", dtypeSet)
  }

  test("strings: empty, long, 100 KB, non-ASCII and NUL bytes") { roundTrip("strings", stringSet) }

  test("10,240 small tensors") { roundTrip("many", manySet) }

  test("partitioned variables: TensorFlow reassembles our slices") {
    val dir = Files.createTempDirectory("we-write-partitioned")
    val prefix = dir.resolve("ckpt").toString
    val emb = Tensor.ofFloats(Shape.of(6, 4), (0 until 24).map(_.toFloat): _*)
    val writer = BundleWriter.create(io, prefix)
    try {
      for (row <- Seq(0, 2, 4)) {
        val part = Tensor.ofFloats(Shape.of(2, 4), (row * 4 until row * 4 + 8).map(_.toFloat): _*)
        writer.addSlice("emb", Shape.of(6, 4), TensorSlice.parse(s"$row,2:-"), part)
      }
      writer.addSlice("vocab", Shape.of(5), TensorSlice.parse("0,3"), Tensor.ofStrings(Shape.of(3), "alpha", "beta", "gamma"))
      writer.addSlice("vocab", Shape.of(5), TensorSlice.parse("3,2"), Tensor.ofStrings(Shape.of(2), "delta", "epsilon"))
      writer.finish()
    } finally writer.close()
    val sub = Tensor.ofFloats(Shape.of(3, 2), 5, 6, 9, 10, 13, 14)
    restoreWithTensorFlow(prefix, Seq(
      Oracle.line("emb", emb),
      Oracle.line("emb", sub, "6 4 1,3:1,2"),
      // TensorFlow restores string partitions only slice by slice.
      Oracle.line("vocab", Tensor.ofStrings(Shape.of(2), "delta", "epsilon"), "5 3,2")))
    deleteRecursively(dir)
  }

  test("512 MiB in total with one tensor of 256 MiB") {
    assume(large, "set -Dsparkpoint.oracle.large=true to run")
    val dir = Files.createTempDirectory("we-write-large")
    val prefix = dir.resolve("ckpt").toString
    val sizes = Seq(256, 64, 64, 64, 64).map(_.toLong << 20)
    val writer = BundleWriter.create(io, prefix)
    val lines = try {
      val written = sizes.zipWithIndex.map { case (bytes, i) =>
        val tensor = Tensor.wrap(DType.FLOAT, Shape.of(bytes / 4), pattern(bytes.toInt, i))
        writer.add(s"big_$i", tensor)
        Oracle.line(s"big_$i", tensor)
      }
      writer.finish()
      written
    } finally writer.close()
    restoreWithTensorFlow(prefix, lines)
    deleteRecursively(dir)
  }

  /** Cheap deterministic bytes (xorshift), finite floats not required: TF compares bits. */
  private def pattern(bytes: Int, seed: Int): ByteBuffer = {
    val buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN)
    var x = 0x9E3779B97F4A7C15L ^ seed
    while (buffer.remaining() >= 8) {
      x ^= x << 13; x ^= x >>> 7; x ^= x << 17
      buffer.putLong(x)
    }
    buffer.flip()
    buffer
  }

  private def deleteRecursively(path: Path): Unit = {
    val stream = Files.walk(path)
    try stream.sorted(java.util.Comparator.reverseOrder()).forEach(p => Files.deleteIfExists(p))
    finally stream.close()
  }
}
