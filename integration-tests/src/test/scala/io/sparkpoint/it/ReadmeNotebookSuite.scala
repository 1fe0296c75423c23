package io.sparkpoint.it

import java.io.{ByteArrayOutputStream, PrintStream, PrintWriter, StringWriter}
import java.net.URLClassLoader
import java.nio.file.{Files, Path, Paths}
import java.util.concurrent.TimeUnit
import javax.tools.ToolProvider

import scala.jdk.CollectionConverters._
import scala.tools.nsc.Settings
import scala.tools.nsc.interpreter.{IMain, Results}
import scala.tools.nsc.interpreter.shell.ReplReporterImpl

import org.apache.spark.sql.SparkSession
import org.scalatest.BeforeAndAfterAll
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

import io.sparkpoint.spark.jobs.QuickstartJob

/**
 * The README's notebook examples for the `tfcheckpoint` source, run as written on a real training run
 * (quickstart: checkpoints at steps 100, 150 and 200) with only the path changed: the Scala one in the Scala
 * interpreter with `spark` bound and its implicits imported, as spark-shell and Scala notebooks do; the Java
 * one compiled and run; the SQL one through spark.sql. PySpark can't be installed here (no PyPI), so the
 * Python one is compiled with python3 when there is one.
 */
class ReadmeNotebookSuite extends AnyFunSuite with Matchers with BeforeAndAfterAll {
  private val ReadmePath = "hdfs://nn:8020/models/run1"
  private val projectRoot = Paths.get(sys.props.getOrElse("sparkpoint.root", "..")).toAbsolutePath.normalize
  private var spark: SparkSession = _
  private var run: String = _

  private lazy val section: String = {
    val readme = Files.readString(projectRoot.resolve("README.md"))
    val start = readme.indexOf("## Reading checkpoints from notebooks")
    start should be >= 0
    val end = readme.indexOf("\n## ", start + 1)
    readme.substring(start, if (end < 0) readme.length else end)
  }

  private def block(language: String): String = {
    val blocks = ("(?s)```" + language + "\n(.*?)```").r.findAllMatchIn(section).map(_.group(1)).toSeq
    withClue(s"the notebook section's $language examples") { blocks should have size 1 }
    blocks.head should include(ReadmePath)
    blocks.head.replace(ReadmePath, run)
  }

  override def beforeAll(): Unit = {
    spark = SparkSession.builder().master("local[2]").appName("ReadmeNotebookSuite").config("spark.ui.enabled", "false").getOrCreate()
    val out = Files.createTempDirectory("readme-notebook").resolve("quickstart").toString
    QuickstartJob.run(spark, out, 200, new PrintWriter(new StringWriter()))
    run = s"$out/run"
  }

  override def afterAll(): Unit = if (spark != null) spark.stop()

  /** What `body` prints through System.out and Scala's Console, e.g. Dataset.show. */
  private def printed(body: => Unit): String = {
    val buffer = new ByteArrayOutputStream()
    val stream = new PrintStream(buffer, true, "UTF-8")
    val previous = System.out
    System.setOut(stream)
    try Console.withOut(stream)(body) finally System.setOut(previous)
    buffer.toString("UTF-8")
  }

  test("the Scala example runs in the Scala interpreter as in spark-shell: the summary of dense/kernel's values") {
    val settings = new Settings()
    settings.usejavacp.value = true
    val messages = new StringWriter()
    val repl = new IMain(settings, new ReplReporterImpl(settings, new PrintWriter(messages)))
    try {
      repl.bind("spark", classOf[SparkSession].getName, spark) shouldBe Results.Success
      repl.interpret("import spark.implicits._") shouldBe Results.Success
      val code = block("scala")
      val output = printed { withClue(messages.toString) { repl.interpret(code) shouldBe Results.Success } }
      output should include("summary")
      val count = """(?m)^\|\s*count\|\s*(\d+)\|""".r.findFirstMatchIn(output).map(_.group(1).toInt)
      withClue(output) { count shouldBe Some(20 * 32) }   // quickstart's first layer: 20 features x 32 units
    } finally repl.close()
  }

  test("the Java example compiles and runs: one row per variable with its largest change between steps 100 and 200") {
    val snippet = block("java")
    val (imports, body) = snippet.linesIterator.toSeq.partition(_.startsWith("import "))
    val source =
      s"""import org.apache.spark.sql.*;
         |${imports.mkString("\n")}
         |public class ReadmeJavaExample {
         |  public static void run(SparkSession spark) {
         |${body.mkString("\n")}
         |  }
         |}
         |""".stripMargin
    val dir = Files.createTempDirectory("readme-java")
    val file = dir.resolve("ReadmeJavaExample.java")
    Files.writeString(file, source)
    val compiler = ToolProvider.getSystemJavaCompiler
    val errors = new ByteArrayOutputStream()
    val code = compiler.run(null, null, errors, "-classpath", sys.props("java.class.path"), "-d", dir.toString, file.toString)
    withClue(errors.toString + "\n" + source) { code shouldBe 0 }
    val loader = new URLClassLoader(Array(dir.toUri.toURL), getClass.getClassLoader)
    val output = printed { loader.loadClass("ReadmeJavaExample").getMethod("run", classOf[SparkSession]).invoke(null, spark) }
    output should include("max_abs_change")
    for (name <- Seq("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias")) output should include(name)
  }

  test("the SQL example creates a view with the stats of the latest checkpoint") {
    val statement = "CREATE TEMPORARY VIEW ckpt USING tfcheckpoint OPTIONS \\(path '[^']+', stats 'true'\\)".r
      .findFirstIn(section).getOrElse(fail("no SQL example in the notebook section"))
    spark.sql(statement.replace(ReadmePath, run))
    val rows = spark.sql("SELECT step, name, l2_norm FROM ckpt WHERE name = 'dense/kernel'").collect()
    rows should have length 1
    rows.head.getLong(0) shouldBe 200L
    rows.head.getDouble(2) should be > 0.0
  }

  test("the Python example compiles (PySpark itself can't be installed here)") {
    val python = Seq("python3", "-c", "import sys; compile(sys.stdin.read(), 'README.md (python example)', 'exec')")
    val available = scala.util.Try(new ProcessBuilder("python3", "--version").start().waitFor(30, TimeUnit.SECONDS)).getOrElse(false)
    assume(available, "python3 is not installed")
    val process = new ProcessBuilder(python.asJava).redirectErrorStream(true).start()
    process.getOutputStream.write(block("python").getBytes("UTF-8"))
    process.getOutputStream.close()
    val output = new String(process.getInputStream.readAllBytes())
    process.waitFor(30, TimeUnit.SECONDS) shouldBe true
    withClue(output) { process.exitValue() shouldBe 0 }
  }
}
