package io.sparkpoint.it

import java.nio.file.{Files, Paths}
import java.util.concurrent.TimeUnit

import scala.jdk.CollectionConverters._

import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/**
 * The Kubernetes image can't be built here (no Docker engine), so this checks what can be checked without one:
 * deploy/docker/stage.sh lays out every file the Dockerfile copies, the jar kubernetes.sh submits is one the
 * image holds, and the base image's Spark is the version we build against.
 */
class DockerContextSuite extends AnyFunSuite with Matchers {
  private val projectRoot = Paths.get(sys.props.getOrElse("sparkpoint.root", "..")).toAbsolutePath.normalize

  test("stage.sh lays out every COPY source of the Dockerfile; kubernetes.sh submits a jar the image holds; the base image is our Spark") {
    val stage = new ProcessBuilder(projectRoot.resolve("deploy/docker/stage.sh").toString).redirectErrorStream(true).start()
    val printed = new String(stage.getInputStream.readAllBytes()).trim
    stage.waitFor(2, TimeUnit.MINUTES) shouldBe true
    withClue(printed) { stage.exitValue() shouldBe 0 }
    val context = Paths.get(printed.linesIterator.toSeq.last)

    val dockerfile = Files.readAllLines(projectRoot.resolve("deploy/docker/Dockerfile")).asScala.map(_.trim).filterNot(_.startsWith("#"))
    val copies = dockerfile.filter(_.startsWith("COPY ")).map(_.split("\\s+").toSeq.drop(1).filterNot(_.startsWith("--")))
    copies should not be empty
    for (copy <- copies; source <- copy.init) withClue(s"COPY $source") { Files.exists(context.resolve(source)) shouldBe true }
    val destinations = copies.map(_.last)

    val submitted = """local://(\S+\.jar)""".r.findFirstMatchIn(Files.readString(projectRoot.resolve("deploy/submit/kubernetes.sh")))
      .map(_.group(1)).getOrElse(fail("kubernetes.sh submits no local:// jar"))
    destinations should contain(submitted)
    Files.size(context.resolve(Paths.get(submitted).getFileName)) shouldBe
      Files.size(projectRoot.resolve("spark-jobs/target/sparkpoint-spark-jobs-app.jar"))

    val base = dockerfile.find(_.startsWith("FROM ")).getOrElse(fail("no FROM"))
    base should include(s"apache/spark:${org.apache.spark.SPARK_VERSION}-scala2.13-java17")
  }
}
