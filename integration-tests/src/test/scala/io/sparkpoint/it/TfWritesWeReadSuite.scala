package io.sparkpoint.it

import java.nio.file.{Files, Path}

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.bundle.{BundleReader, BundleValidator}
import io.sparkpoint.fs.hadoop.HadoopFileIO
import io.sparkpoint.tensor.{ShapeAndSlice, Shape}

/** TensorFlow's SaveV2 writes; our reader must return identical bytes for every tensor. */
class TfWritesWeReadSuite extends AnyFunSuite with Matchers {
  private val io = HadoopFileIO.withDefaults()
  private val large = sys.props.getOrElse("sparkpoint.oracle.large", "true").toBoolean

  private def check(set: String): Unit = {
    val dir = Files.createTempDirectory(s"tf-writes-$set")
    val prefix = dir.resolve("ckpt").toString
    val manifest = dir.resolve("manifest.tsv")
    val run = Oracle.run("write", set, prefix, manifest.toString)
    withClue(run.stdout + run.stderr) { run.exitCode shouldBe 0 }
    val lines = Oracle.readManifest(manifest)
    lines should not be empty
    val reader = BundleReader.open(io, prefix)
    try {
      for (line <- lines) {
        val tensor =
          if (line.sliceSpec.isEmpty) reader.lookup(line.name)
          else reader.lookupSlice(line.name, ShapeAndSlice.parse(line.sliceSpec).slice())
        withClue(s"${line.name} [${line.sliceSpec}]: ") {
          tensor.dtype().pythonName() shouldBe line.dtype
          tensor.shape() shouldBe Shape.of(line.shape: _*)
          Oracle.sha256(tensor) shouldBe line.sha256
        }
      }
    } finally reader.close()
    val report = BundleValidator.validate(io, prefix)
    report.problems() shouldBe empty
    deleteRecursively(dir)
  }

  test("every dtype, scalars, empty tensors, ranks 1 to 4 and partitioned variables") { check("dtypes") }
  test("strings: empty, longer than 127 bytes, 100 KB, non-ASCII, with NUL bytes") { check("strings") }
  test("10,000 and more small tensors") { check("many") }
  test("three shards made with ShardedFilename and MergeV2Checkpoints") { check("sharded") }
  test("512 MiB in total with one tensor of 256 MiB") {
    assume(large, "set -Dsparkpoint.oracle.large=true to run")
    check("large")
  }

  private def deleteRecursively(path: Path): Unit = {
    val stream = Files.walk(path)
    try stream.sorted(java.util.Comparator.reverseOrder()).forEach(p => Files.deleteIfExists(p))
    finally stream.close()
  }
}
