package io.sparkpoint.it

import java.nio.file.{Files, Path}

import scala.jdk.CollectionConverters._

import org.apache.spark.sql.SparkSession
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.TestFixtures
import io.sparkpoint.bundle.{BundleReader, BundleWriter}
import io.sparkpoint.fs.hadoop.HadoopFileIO
import io.sparkpoint.restore.{PartialRestore, RestoreOptions}
import io.sparkpoint.spark.jobs.{Placement, RestorePartialJob}
import io.sparkpoint.tensor.{Shape, Tensor}

/**
 * restore-partial from TensorFlow's own partitioned checkpoint: renamed slices (their keys encoded
 * again under the new name), a reassembled and reshaped partitioned tensor, string slices and a
 * kept target value; TensorFlow's RestoreV2 (which checks every CRC) must read OUT back, written in
 * one JVM or merged from Spark tasks.
 */
class RestorePartialOracleSuite extends AnyFunSuite with Matchers {
  private val io = HadoopFileIO.withDefaults()

  test("TensorFlow restores what a partial restore from its partitioned checkpoint wrote") {
    restoreAndCheck { (src, dst, out, options) =>
      val result = PartialRestore.run(io, src, dst, out, options, PartialRestore.Mode.CREATE)
      result.plan().lines().asScala should contain ("reshape  w_t [2,4] <- w [4,2]")
    }
  }

  test("TensorFlow restores what the same restore wrote as Spark tasks, one data file each") {
    restoreAndCheck { (src, dst, out, options) =>
      val spark = SparkSession.builder().master("local[2]").appName("RestorePartialOracleSuite").config("spark.ui.enabled", "false").getOrCreate()
      try {
        val result = RestorePartialJob.run(io, src, dst, out, options, PartialRestore.Mode.CREATE, Placement.spark("local[2]"))
        result.status() shouldBe PartialRestore.Status.WRITTEN
      } finally spark.stop()
      val reader = BundleReader.open(io, out)
      try reader.numShards() shouldBe 2
      finally reader.close()
    }
  }

  /** Writes DST, runs {@code restore} from TF's partitioned_v2 into OUT, then has TensorFlow's RestoreV2 read OUT back. */
  private def restoreAndCheck(restore: (String, String, String, RestoreOptions) => Unit): Unit = {
    val dir = Files.createTempDirectory("restore-partial")
    val src = TestFixtures.prefix("libtensorflow-2.18-generated/partitioned_v2/ckpt")
    val dst = dir.resolve("dst").toString
    val out = dir.resolve("out").toString
    val writer = BundleWriter.create(io, dst)
    try {
      writer.add("model/embedding", Tensor.ofFloats(Shape.of(6, 4), new Array[Float](24): _*))
      writer.add("w_t", Tensor.ofLongs(Shape.of(2, 4), new Array[Long](8): _*))
      writer.add("vocab", Tensor.ofStrings(Shape.of(5), "", "", "", "", ""))
      writer.add("fresh", Tensor.ofFloats(Shape.of(2), 3, 4))
      writer.finish()
    } finally writer.close()
    val options = RestoreOptions.defaults().withMap("emb=model/embedding").withMap("w=w_t").allowingReshape()

    restore(src, dst, out, options)

    val emb = Tensor.ofFloats(Shape.of(6, 4), (0 until 24).map(_.toFloat): _*)
    val lines = Seq(
      Oracle.line("model/embedding", emb),
      Oracle.line("model/embedding", Tensor.ofFloats(Shape.of(3, 2), 5, 6, 9, 10, 13, 14), "6 4 1,3:1,2"),
      Oracle.line("w_t", Tensor.ofLongs(Shape.of(2, 4), 100, 101, 102, 103, 104, 105, 106, 107)),
      Oracle.line("vocab", Tensor.ofStrings(Shape.of(3), "alpha", "beta", "gamma"), "5 0,3"),
      Oracle.line("vocab", Tensor.ofStrings(Shape.of(2), "delta", "epsilon"), "5 3,2"),
      Oracle.line("fresh", Tensor.ofFloats(Shape.of(2), 3, 4)))
    Oracle.restoreProblems(out, lines) shouldBe empty
    deleteRecursively(dir)
  }

  private def deleteRecursively(path: Path): Unit = {
    val stream = Files.walk(path)
    try stream.sorted(java.util.Comparator.reverseOrder()).forEach(p => Files.deleteIfExists(p))
    finally stream.close()
  }
}
