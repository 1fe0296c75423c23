package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.proto.GraphDef;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphCommandTest {
  @TempDir Path dir;

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SparkpointCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void summaryListsNodesOpsCollectionsAndTheSaver() {
    String[] run = run("graph", TestFixtures.prefix("tf2onnx/regression/checkpoint/model.meta"));
    assertThat(run[0]).isEqualTo("0");
    assertThat(run[1]).startsWith("MetaGraphDef: ").contains("  op VariableV2 x2\n")
        .contains("  collection trainable_variables: bytes_list of 2\n")
        .contains("  saver: restore save/restore_all")
        .contains("  node W (VariableV2)\n");
  }

  @Test
  void binaryConvertsToTextAndBackUnchanged() throws Exception {
    String text = dir.resolve("graph.pbtxt").toString();
    String binary = dir.resolve("graph.pb").toString();
    String source = TestFixtures.prefix("tfcr-write-graph/graph.pb");
    assertThat(run("graph", source, "--out", text)[1]).contains("\"format\": \"text\"");
    assertThat(run("graph", text, "--out", binary)[1]).contains("\"format\": \"binary\"");
    assertThat(GraphDef.parseFrom(Files.readAllBytes(Path.of(binary)))).isEqualTo(GraphDef.parseFrom(Files.readAllBytes(Path.of(source))));
    assertThat(run("graph", source, "--as-text")[1]).contains("op: \"Mul\"");
  }

  @Test
  void aBrokenTextGraphIsOneLineWithLineAndColumn() throws Exception {
    Path bad = dir.resolve("bad.pbtxt");
    Files.writeString(bad, "node { name: \"a\" op: }\n");
    String[] run = run("graph", bad.toString());
    assertThat(run[0]).isEqualTo("1");
    assertThat(run[2]).startsWith("sparkpoint graph: error: Cannot parse " + bad + " as a text GraphDef: line 1, column 22:");
  }
}
