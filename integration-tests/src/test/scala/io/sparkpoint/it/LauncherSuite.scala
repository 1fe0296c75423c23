package io.sparkpoint.it

import java.nio.file.{Files, Path, Paths, StandardOpenOption}
import java.util.concurrent.TimeUnit

import scala.jdk.CollectionConverters._

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.TestFixtures
import io.sparkpoint.fs.LocalFileIO
import io.sparkpoint.npy.Npy
import io.sparkpoint.tensor.{Shape, Tensor}

/** deploy/bin/sparkpoint, run as users run it: from another working directory, on built jars. */
class LauncherSuite extends AnyFunSuite with Matchers {
  private val launcher = Paths.get(sys.props.getOrElse("sparkpoint.launcher", "../deploy/bin/sparkpoint")).toAbsolutePath

  private def sparkpoint(workingDir: Path, args: String*): (Int, String, String) = {
    val out = Files.createTempFile("cli", ".out")
    val err = Files.createTempFile("cli", ".err")
    val process = new ProcessBuilder((Seq(launcher.toString) ++ args).asJava)
      .directory(workingDir.toFile).redirectOutput(out.toFile).redirectError(err.toFile).start()
    process.waitFor(5, TimeUnit.MINUTES) shouldBe true
    (process.exitValue(), Files.readString(out), Files.readString(err))
  }

  test("demo, inspect, reshard and validate work from any working directory") {
    val work = Files.createTempDirectory("launcher-cwd")
    val dir = Files.createTempDirectory("launcher-demo").resolve("run")
    val (demoCode, demoOut, demoErr) = sparkpoint(work, "demo", "--out", dir.toString)
    withClue(demoErr) { demoCode shouldBe 0 }
    demoOut should include("vocab (DT_STRING) [3]")
    demoOut should include("Valid: 4 tensors")

    val (code, json, _) = sparkpoint(work, "inspect", dir.toString, "--json")
    code shouldBe 0
    json should include(s""""prefix": "${dir.resolve("model.ckpt-1")}"""")
    json should include("""{"name": "dense/kernel", "dtype": "float32", "shape": [4, 3]}""")

    val (valuesCode, values, _) = sparkpoint(work, "inspect", dir.toString, "--tensor", "dense/bias")
    valuesCode shouldBe 0
    values.linesIterator.toSeq shouldBe Seq("tensor_name:  dense/bias", "[0.10000000149011612, 0.20000000298023224, 0.30000001192092896]")

    val (reshardCode, reshardOut, reshardErr) = sparkpoint(work, "reshard", dir.toString, dir.resolve("three").toString, "--shards", "3")
    withClue(reshardErr) { reshardCode shouldBe 0 }
    reshardOut should include(""""shards": 3""")
    sparkpoint(work, "validate", dir.resolve("three").toString)._1 shouldBe 0
  }

  test("inspect prints TensorFlow's listing for a TensorFlow-written checkpoint") {
    val (code, out, _) = sparkpoint(Paths.get("/"), "inspect", TestFixtures.prefix("tf2onnx/regression/checkpoint/model"))
    code shouldBe 0
    out shouldBe "W (DT_FLOAT) []\nb (DT_FLOAT) []\n"
  }

  test("validate exits non-zero with one line per problem naming the file and the tensor") {
    val dir = Files.createTempDirectory("launcher-bad")
    val source = Paths.get(TestFixtures.prefix("libtensorflow-2.18-generated/sharded_v2/ckpt")).getParent
    Files.list(source).iterator().asScala.foreach(f => Files.copy(f, dir.resolve(f.getFileName)))
    val data = dir.resolve("ckpt.data-00001-of-00002")
    val bytes = Files.readAllBytes(data)
    bytes(0) = (bytes(0) ^ 0x40).toByte // inside b_int64
    Files.write(data, bytes, StandardOpenOption.TRUNCATE_EXISTING)
    Files.delete(dir.resolve("ckpt.data-00000-of-00002"))

    val (code, _, err) = sparkpoint(dir, "validate", dir.resolve("ckpt").toString)
    code shouldBe 1
    val problems = err.linesIterator.filter(_.contains(dir.toString)).toSeq
    problems.exists(l => l.contains("ckpt.data-00001-of-00002: b_int64: Checksum does not match")) shouldBe true
    problems.exists(l => l.contains("ckpt.data-00000-of-00002") && l.contains("missing data shard")) shouldBe true
    problems.exists(l => l.contains("a_float")) shouldBe true
  }

  test("run scores a frozen graph on a relative .npy feed and writes the fetch back as .npy") {
    val work = Files.createTempDirectory("launcher-run")
    val io = new LocalFileIO()
    Npy.write(io.newOutputFile(work.resolve("x.npy").toString), Tensor.ofFloats(Shape.of(2), 0f, 1f))
    val (code, out, err) = sparkpoint(work, "run", "--graph", TestFixtures.prefix("tf2onnx/regression/graphdef/frozen.pb"),
      "--feed", "X=x.npy", "--fetch", "pred", "--out", "scores", "--json")
    withClue(err) { code shouldBe 0 }
    val (w, b) = (0.21396178f, 1.0495254f)
    val expected = Tensor.ofFloats(Shape.of(2), b, w + b)
    out.trim shouldBe s"""{"pred": {"dtype": "float32", "shape": [2], "values": [${b.toDouble}, ${(w + b).toDouble}], "npy": "scores/pred.npy"}}"""
    Npy.read(io.newInputFile(work.resolve("scores/pred.npy").toString)) shouldBe expected

    val (missing, _, missingErr) = sparkpoint(work, "run", "--graph", TestFixtures.prefix("tf2onnx/regression/graphdef/frozen.pb"),
      "--fetch", "pred")
    missing shouldBe 1
    missingErr.trim shouldBe "sparkpoint run: error: Node 'X' (op Placeholder): You must feed a value for placeholder tensor 'X' with dtype float"
  }

  test("sparkpoint-submit runs a command through Spark's SparkSubmit and keeps its exit code") {
    val submit = launcher.resolveSibling("sparkpoint-submit")
    def run(args: String*): (Int, String, String) = {
      val out = Files.createTempFile("submit", ".out")
      val err = Files.createTempFile("submit", ".err")
      val builder = new ProcessBuilder((Seq(submit.toString) ++ args).asJava).redirectOutput(out.toFile).redirectError(err.toFile)
      builder.environment().remove("SPARK_HOME")
      val process = builder.start()
      process.waitFor(5, TimeUnit.MINUTES) shouldBe true
      (process.exitValue(), Files.readString(out), Files.readString(err))
    }
    val frozen = Files.createTempDirectory("submit").resolve("frozen.pb")
    val (code, out, err) = run("freeze", "--checkpoint", TestFixtures.prefix("tf2onnx/regression/checkpoint"),
      "--outputs", "pred", "--out", frozen.toString)
    withClue(err) { code shouldBe 0 }
    out should include("\"variables_frozen\": 2")
    Files.exists(frozen) shouldBe true
    val (failed, _, failedErr) = run("inspect", "/no/such/ckpt")
    failed shouldBe 1
    failedErr should include("sparkpoint inspect: error: Cannot find a checkpoint at /no/such/ckpt")
  }

  test("a missing checkpoint is a one-line error and exit code 1; bad usage is exit code 2") {
    val (code, _, err) = sparkpoint(Paths.get("/"), "inspect", "/no/such/ckpt")
    code shouldBe 1
    err.trim shouldBe "sparkpoint inspect: error: Cannot find a checkpoint at /no/such/ckpt: expected /no/such/ckpt.index or a directory with a 'checkpoint' state file"
    sparkpoint(Paths.get("/"), "reshard", "a")._1 shouldBe 2
  }

  test("quickstart (README's first command) trains on Spark, freezes, validates and says where everything went; run again, it resumes") {
    val work = Files.createTempDirectory("launcher-cwd")
    val dir = Files.createTempDirectory("quickstart").resolve("out")
    val (code, out, err) = sparkpoint(work, "quickstart", "--out", dir.toString, "--steps", "60", "--master", "local[2]")
    withClue(err.takeRight(3000)) { code shouldBe 0 }
    out should include("step 50/60")
    out should include(s"checkpoints:    ${dir.resolve("run/model.ckpt-50")}, ${dir.resolve("run/model.ckpt-60")}")
    out should include(s"frozen graph:   ${dir.resolve("frozen.pb")}")
    out should include("validation:     valid")
    out.linesIterator.toSeq.last should include(s""""latest_checkpoint": "${dir.resolve("run/model.ckpt-60")}"""")
    Files.exists(dir.resolve("run/model.ckpt-60.manifest.json")) shouldBe true
    Files.list(dir.resolve("run")).iterator().asScala.exists(_.getFileName.toString.startsWith("events.out.tfevents.")) shouldBe true

    val (again, rerun, _) = sparkpoint(work, "quickstart", "--out", dir.toString, "--steps", "60", "--master", "local[2]")
    again shouldBe 0
    rerun should include(s"resuming from ${dir.resolve("run/model.ckpt-60")}")
    rerun.linesIterator.toSeq.last should include(""""last_step": 60""")
  }
}
