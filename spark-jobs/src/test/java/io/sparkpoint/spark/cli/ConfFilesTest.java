package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

/** conf/spark-defaults.conf is the one place for the JDK 17 flags: driver and executors get the same. */
class ConfFilesTest {
  @Test
  void theExecutorsGetTheDriversJvmFlags() throws Exception {
    Properties defaults = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of("../conf/spark-defaults.conf"))) {
      defaults.load(in);
    }
    String driver = defaults.getProperty("spark.driver.extraJavaOptions");
    assertThat(driver).contains("--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
    assertThat(defaults.getProperty("spark.executor.extraJavaOptions")).isEqualTo(driver);
  }

  @Test
  void everyExampleJobConfigurationParsesAsItsCommandsArguments() throws Exception {
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("../conf/examples"))) {
      examples = files.filter(f -> f.toString().endsWith(".args")).sorted().toList();
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
    for (Path example : examples) {
      CommandLine.ParseResult parsed = new CommandLine(new SparkpointCli()).parseArgs("@" + example);
      assertThat(parsed.subcommand()).as(example.toString()).isNotNull();
      assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("train");
      assertThat(parsed.subcommand().hasMatchedOption("--checkpoint-dir")).isTrue();
    }
  }
}
