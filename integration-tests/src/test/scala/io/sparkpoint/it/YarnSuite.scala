package io.sparkpoint.it

import java.nio.file.{Files, Path, Paths}
import java.util.concurrent.TimeUnit

import scala.jdk.CollectionConverters._

import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.hdfs.MiniDFSCluster
import org.apache.hadoop.yarn.conf.YarnConfiguration
import org.apache.hadoop.yarn.server.MiniYARNCluster
import org.scalatest.BeforeAndAfterAll
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.bundle.BundleValidator
import io.sparkpoint.checkpoint.Checkpoints
import io.sparkpoint.fs.hadoop.HadoopFileIO

/**
 * `deploy/submit/yarn.sh` against a real YARN (MiniYARNCluster: a ResourceManager and a NodeManager that
 * launches containers as processes) and HDFS (MiniDFSCluster). spark-submit comes from a stand-in Spark
 * distribution, so the driver (inside the ApplicationMaster, cluster mode) and the executors have Spark,
 * Hadoop and the application jar, and nothing else of ours.
 */
class YarnSuite extends AnyFunSuite with Matchers with BeforeAndAfterAll {
  private val projectRoot = Paths.get(sys.props.getOrElse("sparkpoint.root", "..")).toAbsolutePath.normalize
  private var dfs: MiniDFSCluster = _
  private var yarn: MiniYARNCluster = _
  private var hadoopConf: Path = _
  private var distribution: SparkDistribution = _
  private var io: HadoopFileIO = _
  private var root: String = _

  override def beforeAll(): Unit = {
    dfs = MiniDfs.start(dataNodes = 1)
    io = new HadoopFileIO(dfs.getConfiguration(0))
    root = MiniDfs.root(dfs)

    val conf = new YarnConfiguration()
    conf.set("fs.defaultFS", dfs.getFileSystem.getUri.toString)
    conf.set(YarnConfiguration.RM_SCHEDULER, "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler")
    conf.setInt(YarnConfiguration.NM_PMEM_MB, 6144)
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128)
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false)
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false)
    // a nearly full disk must not make the only NodeManager unhealthy
    conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100f)
    yarn = new MiniYARNCluster("YarnSuite", 1, 1, 1)
    yarn.init(conf)
    yarn.start()
    val deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1)
    while (yarn.getConfig.get(YarnConfiguration.RM_ADDRESS).endsWith(":0") && System.nanoTime() < deadline) Thread.sleep(100)

    // HADOOP_CONF_DIR as a cluster's client would have it: where HDFS and the ResourceManager are
    hadoopConf = Files.createTempDirectory("hadoop-conf")
    val core = new Configuration(false)
    core.set("fs.defaultFS", dfs.getFileSystem.getUri.toString)
    write(core, hadoopConf.resolve("core-site.xml"))
    write(yarn.getConfig, hadoopConf.resolve("yarn-site.xml"))
    distribution = SparkDistribution.create(projectRoot)
  }

  override def afterAll(): Unit = {
    if (yarn != null) yarn.stop()
    if (dfs != null) dfs.shutdown()
  }

  private def write(conf: Configuration, file: Path): Unit = {
    val out = Files.newOutputStream(file)
    try conf.writeXml(out) finally out.close()
  }

  /** Runs deploy/submit/yarn.sh; returns its exit code, the client's log and the application id. */
  private def submitToYarn(args: String*): (Int, String, String) = {
    val err = Files.createTempFile("yarn-submit", ".err")
    val builder = new ProcessBuilder((projectRoot.resolve("deploy/submit/yarn.sh").toString +: args).asJava)
      .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile)
    val javaHome = sys.props("java.home")
    builder.environment().putAll(distribution.environment.asJava)
    builder.environment().put("HADOOP_CONF_DIR", hadoopConf.toString)
    builder.environment().put("SPARKPOINT_SUBMIT_OPTS", Seq("--num-executors 2", "--executor-memory 1g", "--driver-memory 1g",
      s"--conf spark.yarn.appMasterEnv.JAVA_HOME=$javaHome", s"--conf spark.executorEnv.JAVA_HOME=$javaHome").mkString(" "))
    val process = builder.start()
    process.waitFor(8, TimeUnit.MINUTES) shouldBe true
    val log = Files.readString(err)
    val appId = """application_\d+_\d+""".r.findFirstIn(log).getOrElse(fail(s"no application id in the client's log:\n${log.takeRight(3000)}"))
    (process.exitValue(), log, appId)
  }

  /** A container's log file, from the NodeManager's log directory. */
  private def containerLog(appId: String, container: String, file: String): String = {
    val found = Files.walk(yarn.getTestWorkDir.toPath).iterator().asScala
      .find(p => p.getFileName.toString == file && p.getParent.getFileName.toString.endsWith(container) &&
        p.getParent.getParent.getFileName.toString == appId)
    found.map(Files.readString).getOrElse(fail(s"no $container/$file of $appId under ${yarn.getTestWorkDir}"))
  }

  test("yarn.sh runs quickstart in cluster mode: the driver inside the ApplicationMaster and two executors train, " +
    "checkpoint, freeze and validate on hdfs://, and the application ends SUCCEEDED") {
    val out = s"$root/quickstart"
    val (code, log, appId) = submitToYarn("quickstart", "--out", out, "--steps", "60")
    withClue(log.takeRight(3000)) {
      code shouldBe 0
      log should include("final status: SUCCEEDED")
    }
    val driverOut = containerLog(appId, "_000001", "stdout")
    driverOut.trim.linesIterator.toSeq.last should (startWith("{") and include(""""last_step": 60""") and include(""""valid": true"""))
    val driverErr = containerLog(appId, "_000001", "stderr")
    withClue("tasks ran on the YARN executors") { driverErr should include regex """in \d+ ms on \S+ \(executor \d+\)""" }
    val latest = Checkpoints.latestCheckpoint(io, s"$out/run", null)
    latest shouldBe s"$out/run/model.ckpt-60"
    BundleValidator.validate(io, latest).problems() shouldBe empty
    io.newInputFile(s"$out/frozen.pb").exists() shouldBe true
  }

  test("a command that fails under YARN: yarn.sh exits non-zero, the application ends FAILED, and the driver's log names the problem") {
    val missing = s"$root/no-such-run"
    val (code, log, appId) = submitToYarn("validate", missing)
    withClue(log.takeRight(3000)) {
      code should not be 0
      log should include("final status: FAILED")
      log should include("sparkpoint exited with code 1")
    }
    containerLog(appId, "_000001", "stderr") should include(s"Cannot find a checkpoint at $missing")
    containerLog(appId, "_000001", "stdout") should include(""""valid": false""")
  }
}
