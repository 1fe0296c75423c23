package io.sparkpoint.it

import java.net.{InetSocketAddress, ServerSocket, Socket}
import java.nio.file.{Files, Path, Paths}
import java.util.concurrent.TimeUnit

import scala.jdk.CollectionConverters._
import scala.util.Try

import org.scalatest.BeforeAndAfterAll
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.bundle.BundleValidator
import io.sparkpoint.checkpoint.Checkpoints
import io.sparkpoint.fs.hadoop.HadoopFileIO

/**
 * `deploy/submit/standalone.sh` against a Spark standalone cluster: a Master and a Worker started from a stand-in
 * Spark distribution (Spark SQL and the Hadoop client only) in their own JVMs. The application jar is all of ours
 * the driver and the Worker's executors get.
 */
class StandaloneSuite extends AnyFunSuite with Matchers with BeforeAndAfterAll {
  private val projectRoot = Paths.get(sys.props.getOrElse("sparkpoint.root", "..")).toAbsolutePath.normalize
  private var distribution: SparkDistribution = _
  private var master: Process = _
  private var worker: Process = _
  private var masterUrl: String = _
  private var masterLog: Path = _

  override def beforeAll(): Unit = {
    distribution = SparkDistribution.create(projectRoot)
    val port = Try { val socket = new ServerSocket(0); try socket.getLocalPort finally socket.close() }.get
    masterUrl = s"spark://127.0.0.1:$port"
    masterLog = Files.createTempFile("spark-master", ".log")
    master = sparkClass(masterLog, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", port.toString, "--webui-port", "0")
    awaitCondition("the master listens")(Try { new Socket().connect(new InetSocketAddress("127.0.0.1", port), 200) }.isSuccess)
    val work = Files.createTempDirectory("spark-worker")
    worker = sparkClass(Files.createTempFile("spark-worker", ".log"), "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
      "--cores", "2", "--memory", "3g", "--webui-port", "0", "--work-dir", work.toString, masterUrl)
    awaitCondition("the worker registers")(Files.readString(masterLog).contains("Registering worker"))
  }

  override def afterAll(): Unit = {
    for (process <- Seq(worker, master) if process != null) {
      process.descendants().iterator().asScala.foreach(_.destroyForcibly())
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS)
    }
  }

  private def sparkClass(log: Path, args: String*): Process = {
    val builder = new ProcessBuilder((distribution.home.resolve("bin/spark-class").toString +: args).asJava)
      .redirectErrorStream(true).redirectOutput(log.toFile)
    builder.environment().putAll(distribution.environment.asJava)
    builder.start()
  }

  private def awaitCondition(what: String)(condition: => Boolean): Unit = {
    val deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1)
    while (!condition) {
      if (System.nanoTime() > deadline) fail(s"timed out waiting until $what; master log:\n${Files.readString(masterLog).takeRight(3000)}")
      Thread.sleep(200)
    }
  }

  test("standalone.sh runs quickstart in client mode on a standalone master and worker: the executors train, " +
    "the checkpoints and the frozen graph are valid, and the summary prints here") {
    val out = Files.createTempDirectory("standalone-quickstart").resolve("out").toString
    val stdout = Files.createTempFile("standalone", ".out")
    val stderr = Files.createTempFile("standalone", ".err")
    val builder = new ProcessBuilder(projectRoot.resolve("deploy/submit/standalone.sh").toString, "quickstart", "--out", out, "--steps", "40")
      .redirectOutput(stdout.toFile).redirectError(stderr.toFile)
    builder.environment().putAll(distribution.environment.asJava)
    builder.environment().put("SPARKPOINT_MASTER", masterUrl)
    val process = builder.start()
    process.waitFor(8, TimeUnit.MINUTES) shouldBe true
    val log = Files.readString(stderr)
    withClue(log.takeRight(3000)) { process.exitValue() shouldBe 0 }
    Files.readAllLines(stdout).asScala.last should (startWith("{") and include(""""last_step": 40""") and include(""""valid": true"""))
    withClue("tasks ran on the worker's executors") { log should include regex """in \d+ ms on \S+ \(executor \d+\)""" }
    val io = HadoopFileIO.withDefaults()
    val latest = Checkpoints.latestCheckpoint(io, s"$out/run", null)
    latest should endWith("model.ckpt-40")
    BundleValidator.validate(io, latest).problems() shouldBe empty
  }
}
