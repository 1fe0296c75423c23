package io.sparkpoint.it

import java.nio.file.{Files, Path, Paths, StandardCopyOption}
import java.nio.file.attribute.PosixFilePermissions

/**
 * A stand-in for a Spark 4.0 distribution, for submitting the application jar the way a cluster runs it:
 * `jars/` holds Spark SQL and the Hadoop client and nothing of ours (module integration-tests/spark-dist lists
 * them), and `bin/spark-class` and `bin/spark-submit` have Spark's launcher build the java command lines. With it, a class missing
 * from `sparkpoint-spark-jobs-app.jar` fails here as it would on YARN or Kubernetes, on the driver and on
 * executors started in their own JVMs by a `local-cluster` master.
 */
final class SparkDistribution private (val home: Path) {
  /** The environment a process needs to use this distribution (and local-cluster executors to start from it). */
  def environment: Map[String, String] =
    Map("SPARK_HOME" -> home.toString, "SPARK_SCALA_VERSION" -> "2.13", "SPARK_LOCAL_IP" -> "127.0.0.1")
}

object SparkDistribution {
  /** Lays out a distribution under a new temporary directory, from the build of integration-tests/spark-dist. */
  def create(projectRoot: Path): SparkDistribution = {
    val classpath = projectRoot.resolve("integration-tests/spark-dist/target/spark-dist.classpath")
    require(Files.isRegularFile(classpath), s"$classpath is missing: build the project first (mvn -B -DskipTests install)")
    val home = Files.createTempDirectory("spark-dist")
    val jars = Files.createDirectories(home.resolve("jars"))
    for (jar <- Files.readString(classpath).trim.split(java.io.File.pathSeparator) if jar.nonEmpty) {
      val source = Paths.get(jar)
      Files.createSymbolicLink(jars.resolve(source.getFileName), source)
    }
    val bin = Files.createDirectories(home.resolve("bin"))
    for (name <- Seq("spark-class", "spark-submit")) {
      val script = getClass.getResourceAsStream(s"/spark-dist/$name")
      require(script != null, s"test resource /spark-dist/$name is missing")
      try Files.copy(script, bin.resolve(name), StandardCopyOption.REPLACE_EXISTING) finally script.close()
      Files.setPosixFilePermissions(bin.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"))
    }
    new SparkDistribution(home)
  }
}
