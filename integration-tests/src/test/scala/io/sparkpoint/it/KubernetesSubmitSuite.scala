package io.sparkpoint.it

import java.io.{BufferedReader, InputStreamReader}
import java.net.URI
import java.net.http.{HttpClient, HttpRequest, HttpResponse}
import java.nio.file.{Files, Paths}
import java.util.Properties
import java.util.concurrent.TimeUnit

import scala.jdk.CollectionConverters._

import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}
import org.scalatest.BeforeAndAfterAll
import org.scalatest.funsuite.AnyFunSuite
import org.scalatest.matchers.should.Matchers

/**
 * `deploy/submit/kubernetes.sh` through Spark's own Kubernetes submission client (from the stand-in distribution)
 * to a Kubernetes API server that keeps what it is sent (module integration-tests/k8s-api, in its own JVM).
 * No cluster runs the pod here (no Docker engine or Kubernetes), so this checks the submission: the driver pod
 * Spark creates runs our image and the application jar the image holds, with our command, and its Spark
 * configuration carries the JVM flags of conf/spark-defaults.conf.
 */
class KubernetesSubmitSuite extends AnyFunSuite with Matchers with BeforeAndAfterAll {
  private val projectRoot = Paths.get(sys.props.getOrElse("sparkpoint.root", "..")).toAbsolutePath.normalize
  private val json = new ObjectMapper()
  private var server: Process = _
  private var apiUrl: String = _

  override def beforeAll(): Unit = {
    val module = projectRoot.resolve("integration-tests/k8s-api/target")
    val classpath = module.resolve("k8s-api.classpath")
    require(Files.isRegularFile(classpath), s"$classpath is missing: build the project first (mvn -B -DskipTests install)")
    val javaBin = Paths.get(sys.props("java.home"), "bin", "java").toString
    server = new ProcessBuilder(javaBin, "-cp", module.resolve("classes").toString + java.io.File.pathSeparator + Files.readString(classpath).trim,
      "io.sparkpoint.it.k8s.KubernetesApiServer").redirectError(ProcessBuilder.Redirect.DISCARD).start()
    val lines = new BufferedReader(new InputStreamReader(server.getInputStream))
    val first = Option(lines.readLine()).getOrElse(fail("the Kubernetes API server exited before listening"))
    first should startWith("listening ")
    apiUrl = first.stripPrefix("listening ")
  }

  override def afterAll(): Unit = if (server != null) {
    server.getOutputStream.close()
    if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly()
  }

  private def get(path: String): JsonNode = {
    val response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(apiUrl + path)).build(), HttpResponse.BodyHandlers.ofString())
    withClue(response.body()) { response.statusCode() shouldBe 200 }
    json.readTree(response.body())
  }

  test("kubernetes.sh submits a driver pod that runs our image and the image's application jar with the command, " +
    "and the JVM flags of conf/spark-defaults.conf") {
    val distribution = SparkDistribution.create(projectRoot)
    val image = "registry.example/sparkpoint:test"
    val err = Files.createTempFile("k8s-submit", ".err")
    val command = Seq(projectRoot.resolve("deploy/submit/kubernetes.sh").toString, "train", "@/opt/sparkpoint/conf/examples/train-hdfs.args")
    val builder = new ProcessBuilder(command.asJava).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile)
    builder.environment().putAll(distribution.environment.asJava)
    builder.environment().put("SPARKPOINT_K8S_MASTER", s"k8s://$apiUrl")
    builder.environment().put("SPARKPOINT_IMAGE", image)
    builder.environment().put("SPARKPOINT_K8S_NAMESPACE", "ml")
    // nothing runs the pod here, so don't wait for it to end
    builder.environment().put("SPARKPOINT_SUBMIT_OPTS", "--conf spark.kubernetes.submission.waitAppCompletion=false")
    val process = builder.start()
    process.waitFor(3, TimeUnit.MINUTES) shouldBe true
    withClue(Files.readString(err).takeRight(3000)) { process.exitValue() shouldBe 0 }

    val pods = get("/api/v1/namespaces/ml/pods").get("items").elements().asScala.toSeq
    pods should have size 1
    pods.head.at("/metadata/name").asText() should startWith("sparkpoint-train-")
    val container = pods.head.at("/spec/containers/0")
    container.get("image").asText() shouldBe image
    val args = container.get("args").elements().asScala.map(_.asText()).toSeq
    args.take(1) shouldBe Seq("driver")
    args should contain inOrderElementsOf Seq("--class", "io.sparkpoint.spark.cli.SparkpointCli",
      "local:///opt/sparkpoint/sparkpoint-spark-jobs-app.jar", "train", "@/opt/sparkpoint/conf/examples/train-hdfs.args")

    val maps = get("/api/v1/namespaces/ml/configmaps").get("items").elements().asScala.toSeq
    val sparkConf = maps.flatMap(m => Option(m.get("data")).toSeq.flatMap(_.fields().asScala.map(_.getValue.asText())))
      .find(_.contains("spark.driver.extraJavaOptions")).getOrElse(fail(s"no config map holds the driver's Spark configuration: $maps"))
    val properties = new Properties()
    properties.load(new java.io.StringReader(sparkConf))
    val defaults = new Properties()
    val in = Files.newBufferedReader(projectRoot.resolve("conf/spark-defaults.conf"))
    try defaults.load(in) finally in.close()
    properties.getProperty("spark.driver.extraJavaOptions") shouldBe defaults.getProperty("spark.driver.extraJavaOptions")
    properties.getProperty("spark.executor.extraJavaOptions") shouldBe defaults.getProperty("spark.executor.extraJavaOptions")
    properties.getProperty("spark.kubernetes.container.image") shouldBe image
  }
}
