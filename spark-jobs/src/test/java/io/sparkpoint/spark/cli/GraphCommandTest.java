package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.proto.GraphDef;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphCommandTest {
  @TempDir Path dir;


  @Test
  void summaryListsNodesOpsCollectionsAndTheSaver() {
    CliRun run = CliRun.of("graph", TestFixtures.prefix("tf2onnx/regression/checkpoint/model.meta"));
    assertThat(run.code()).isZero();
    assertThat(run.out()).startsWith("MetaGraphDef: ").contains("  op VariableV2 x2\n")
        .contains("  collection trainable_variables: bytes_list of 2\n")
        .contains("  saver: restore save/restore_all")
        .contains("  node W (VariableV2)\n");
  }

  @Test
  void binaryConvertsToTextAndBackUnchanged() throws Exception {
    String text = dir.resolve("graph.pbtxt").toString();
    String binary = dir.resolve("graph.pb").toString();
    String source = TestFixtures.prefix("tfcr-write-graph/graph.pb");
    assertThat(CliRun.of("graph", source, "--out", text).out()).contains("\"format\": \"text\"");
    assertThat(CliRun.of("graph", text, "--out", binary).out()).contains("\"format\": \"binary\"");
    assertThat(GraphDef.parseFrom(Files.readAllBytes(Path.of(binary)))).isEqualTo(GraphDef.parseFrom(Files.readAllBytes(Path.of(source))));
    assertThat(CliRun.of("graph", source, "--as-text").out()).contains("op: \"Mul\"");
  }

  @Test
  void aBrokenTextGraphIsOneLineWithLineAndColumn() throws Exception {
    Path bad = dir.resolve("bad.pbtxt");
    Files.writeString(bad, "node { name: \"a\" op: }\n");
    CliRun run = CliRun.of("graph", bad.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("sparkpoint graph: error: Cannot parse " + bad + " as a text GraphDef: line 1, column 22:");
  }
}
