package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The deploy/ scripts parse, and the Airflow DAG compiles: a quoting slip can't wait for a cluster to show. */
class DeployScriptsTest {
  private static final Path DEPLOY = Path.of("../deploy");

  @Test
  void everyShellScriptParses() throws Exception {
    List<Path> scripts;
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      scripts = files.filter(Files::isRegularFile).filter(DeployScriptsTest::isBash).sorted().toList();
    }
    assertThat(scripts).extracting(p -> DEPLOY.relativize(p).toString())
        .contains("bin/sparkpoint", "bin/sparkpoint-submit", "submit/common.sh", "submit/yarn.sh", "submit/kubernetes.sh",
            "submit/standalone.sh", "docker/stage.sh");
    for (Path script : scripts) {
      Run run = run("bash", "-n", script.toString());
      assertThat(run.code).as(script + ": " + run.output).isZero();
    }
  }

  @Test
  void theAirflowDagCompiles() throws Exception {
    Path dag = DEPLOY.resolve("airflow/dags/sparkpoint_train.py");
    Assumptions.assumeTrue(commandExists("python3"), "python3 is not installed");
    Path out = Files.createTempFile("dag", ".pyc");
    Run run = run("python3", "-c", "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
        dag.toString(), out.toString());
    assertThat(run.code).as(run.output).isZero();
  }

  @Test
  void theLaunchersSayWhatIsNotBuiltAndHowToBuildIt() throws Exception {
    Path root = Files.createTempDirectory("unbuilt");
    for (String script : List.of("bin/sparkpoint-submit", "submit/common.sh", "submit/yarn.sh")) {
      Path copy = root.resolve("deploy").resolve(script);
      Files.createDirectories(copy.getParent());
      Files.copy(DEPLOY.resolve(script), copy);
      copy.toFile().setExecutable(true);
    }
    Files.createDirectories(root.resolve("conf"));
    Files.copy(Path.of("../conf/spark-defaults.conf"), root.resolve("conf/spark-defaults.conf"));
    Path sparkHome = Files.createTempDirectory("spark-home");
    Path sparkSubmit = Files.createDirectories(sparkHome.resolve("bin")).resolve("spark-submit");
    Files.writeString(sparkSubmit, "#!/bin/sh\nexit 0\n");
    sparkSubmit.toFile().setExecutable(true);
    String build = "run 'mvn -B -DskipTests install' in " + root.toRealPath();

    Run dev = run("env", "-u", "SPARK_HOME", root.resolve("deploy/bin/sparkpoint-submit").toString(), "validate", "x");
    assertThat(dev.code).isEqualTo(2);
    assertThat(dev.output).isEqualTo("sparkpoint-submit: " + root.toRealPath() + "/spark-jobs/target/sparkpoint-spark-jobs.jar is not built; "
        + build + "\n");
    Run cluster = run("env", "SPARK_HOME=" + sparkHome, root.resolve("deploy/bin/sparkpoint-submit").toString(), "validate", "x");
    assertThat(cluster.code).isEqualTo(2);
    assertThat(cluster.output).isEqualTo("sparkpoint-submit: " + root.toRealPath() + "/spark-jobs/target/sparkpoint-spark-jobs-app.jar is not "
        + "built; " + build + "\n");
    Run yarn = run("env", "SPARK_HOME=" + sparkHome, "HADOOP_CONF_DIR=/etc/hadoop", root.resolve("deploy/submit/yarn.sh").toString(), "validate", "x");
    assertThat(yarn.code).isEqualTo(2);
    assertThat(yarn.output).isEqualTo("sparkpoint: the application jar is not built; " + build + "\n");
  }

  private static boolean isBash(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return file.toString().endsWith(".sh") || (!lines.isEmpty() && lines.get(0).startsWith("#!") && lines.get(0).contains("bash"));
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  private static boolean commandExists(String command) throws Exception {
    return run("bash", "-c", "command -v " + command).code == 0;
  }

  private record Run(int code, String output) {}

  private static Run run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    return new Run(process.exitValue(), output);
  }
}
