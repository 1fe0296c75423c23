package io.sparkpoint.it

import java.io.File
import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Path, Paths}
import java.security.MessageDigest
import java.util.HexFormat
import java.util.concurrent.TimeUnit

import scala.jdk.CollectionConverters._

import io.sparkpoint.tensor.{DType, Tensor}

/** One manifest line: what the oracle or we wrote, and how to read it back. */
final case class ManifestLine(name: String, dtype: String, shape: Seq[Long], sliceSpec: String, sha256: String)

/** Real TensorFlow 2.18 (TF Java), run as a subprocess: it never shares a JVM with ND4J. */
object Oracle {
  final case class Run(exitCode: Int, stdout: String, stderr: String)

  /** One line the oracle's `run` writes: `name \t dtype \t shape \t values`. */
  final case class Fetched(name: String, dtype: String, shape: String, values: Seq[String]) {
    def floats: Seq[Float] = values.map(_.toFloat)
  }

  def readValues(path: Path): Seq[Fetched] =
    Files.readAllLines(path, StandardCharsets.UTF_8).asScala.toSeq.filter(l => l.nonEmpty && !l.startsWith("#")).map { line =>
      val Array(name, dtype, shape, values) = line.split("\t", -1)
      Fetched(name, dtype, shape, if (values.isEmpty) Seq.empty else values.split(",", -1).toSeq)
    }

  /**
   * TensorFlow imports `graph` (a GraphDef file) and runs `targets` first, then `fetches`, both with `feeds`
   * (`NAME=DTYPE:SHAPE:VALUES`). Returns the launch and, when it succeeded, the fetched values.
   * `runs` > 1 fetches that many times in the same session (run r's values are named `fetch#r` from r = 2);
   * `keepGoing` fetches each on its own, a failing one giving dtype "error" and the message as its one value.
   */
  def runGraph(graph: Path, fetches: Seq[String], feeds: Seq[String] = Nil, targets: Seq[String] = Nil, runs: Int = 1,
      keepGoing: Boolean = false): (Run, Seq[Fetched]) = {
    val values = Files.createTempDirectory("graph-values").resolve("values.tsv")
    val args = Seq("run", graph.toString, values.toString, "--fetch", fetches.mkString(",")) ++
      feeds.flatMap(f => Seq("--feed", f)) ++ targets.flatMap(t => Seq("--target", t)) ++
      (if (runs > 1) Seq("--runs", runs.toString) else Nil) ++ (if (keepGoing) Seq("--keep-going") else Nil)
    val launch = run(args: _*)
    (launch, if (launch.exitCode == 0) readValues(values) else Nil)
  }

  private def classpath: String = {
    val classes = sys.props.getOrElse("sparkpoint.oracle.classes", "tf-oracle/target/classes")
    val cpFile = Paths.get(sys.props.getOrElse("sparkpoint.oracle.classpath", "tf-oracle/target/oracle.classpath"))
    require(Files.exists(cpFile), s"Cannot find the oracle classpath at $cpFile; build integration-tests/tf-oracle first")
    classes + File.pathSeparator + Files.readString(cpFile).trim
  }

  def run(args: String*): Run = {
    val java = Paths.get(sys.props("java.home"), "bin", "java").toString
    val command = Seq(java, "-Xmx1g", "-cp", classpath, "io.sparkpoint.oracle.Oracle") ++ args
    val out = Files.createTempFile("oracle", ".out")
    val err = Files.createTempFile("oracle", ".err")
    val builder = new ProcessBuilder(command.asJava).redirectOutput(out.toFile).redirectError(err.toFile)
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "1")
    val process = builder.start()
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.destroyForcibly()
      throw new IllegalStateException(s"oracle timed out: ${args.mkString(" ")}")
    }
    val result = Run(process.exitValue(), Files.readString(out), Files.readString(err))
    Files.deleteIfExists(out)
    Files.deleteIfExists(err)
    result
  }

  def readManifest(path: Path): Seq[ManifestLine] =
    Files.readAllLines(path, StandardCharsets.UTF_8).asScala.toSeq
      .filter(l => l.nonEmpty && !l.startsWith("#"))
      .map { line =>
        val f = line.split("\t", -1)
        require(f.length == 5, s"Invalid manifest line in $path: $line")
        ManifestLine(f(0), f(1), if (f(2).isEmpty) Seq.empty else f(2).split(",").toSeq.map(_.toLong), f(3), f(4))
      }

  def writeManifest(path: Path, lines: Seq[ManifestLine]): Unit = {
    val text = lines.map(l => Seq(l.name, l.dtype, l.shape.mkString(","), l.sliceSpec, l.sha256).mkString("\t")).mkString("", "\n", "\n")
    Files.writeString(path, text, StandardCharsets.UTF_8)
  }

  /**
   * TensorFlow's RestoreV2 (which checks every CRC) reads each line from the checkpoint at `prefix`.
   * Returns what went wrong: the failed lines, a short report or a failed launch (with its stderr); empty when all is well.
   */
  def restoreProblems(prefix: String, lines: Seq[ManifestLine]): Seq[String] = {
    val dir = Files.createTempDirectory("tf-reads")
    val manifest = dir.resolve("manifest.tsv")
    val report = dir.resolve("report.tsv")
    writeManifest(manifest, lines)
    val launch = run("restore", prefix, manifest.toString, report.toString)
    val reported = if (Files.exists(report)) Files.readAllLines(report).asScala.toSeq else Nil
    val failures = reported.filterNot(_.startsWith("OK")).take(20)
    val incomplete = if (reported.size != lines.size) Seq(s"the report has ${reported.size} lines for ${lines.size} tensors") else Nil
    val failed = if (launch.exitCode != 0) Seq(s"exit code ${launch.exitCode}: ${launch.stderr.takeRight(2000)}") else Nil
    failures ++ incomplete ++ failed
  }

  /** SHA-256 of a tensor's canonical bytes: LE elements, or per string an 8-byte LE length and the bytes. */
  def sha256(tensor: Tensor): String = {
    val digest = MessageDigest.getInstance("SHA-256")
    if (tensor.dtype() == DType.STRING) {
      val length = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
      for (i <- 0 until tensor.numElements().toInt) {
        val s = tensor.string(i)
        length.clear(); length.putLong(s.length.toLong)
        digest.update(length.array())
        digest.update(s)
      }
    } else {
      digest.update(tensor.data())
    }
    HexFormat.of().formatHex(digest.digest())
  }

  def line(name: String, tensor: Tensor, sliceSpec: String = ""): ManifestLine =
    ManifestLine(name, tensor.dtype().pythonName(), tensor.shape().dims().toSeq, sliceSpec, sha256(tensor))
}
