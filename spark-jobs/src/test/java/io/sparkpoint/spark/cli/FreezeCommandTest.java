package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.NodeDef;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparkpoint freeze} in-process: the JSON summary, text output and exit codes. */
class FreezeCommandTest {
  private static final String REGRESSION = "tf2onnx/regression/checkpoint";

  @TempDir Path dir;


  @Test
  void freezePrintsAOneLineJsonSummary() throws Exception {
    Path out = dir.resolve("frozen.pb");
    CliRun run = CliRun.of("freeze", "--checkpoint", TestFixtures.prefix(REGRESSION), "--outputs", "pred", "--out", out.toString());
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo(
        "{\"out\": \"" + out + "\", \"nodes_kept\": 8, \"variables_frozen\": 2, \"bytes\": " + Files.size(out) + "}"
            + System.lineSeparator());
    assertThat(GraphDef.parseFrom(Files.readAllBytes(out)).getNodeList()).extracting(NodeDef::getName).contains("W", "b", "pred");
  }

  @Test
  void severalOutputsAreCommaSeparatedAndTextIsWrittenOnRequest() throws Exception {
    Path out = dir.resolve("frozen.pbtxt");
    CliRun run = CliRun.of("freeze", "--checkpoint", TestFixtures.prefix(REGRESSION + "/model"), "--outputs", "pred,sub",
        "--out", out.toString(), "--as-text");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("\"nodes_kept\": 10");
    assertThat(Files.readString(out)).startsWith("node {\n  name: \"X\"\n");
  }

  @Test
  void aMetaGraphOverrideIsUsed() throws Exception {
    Path meta = dir.resolve("graph.meta");
    Files.copy(Path.of(TestFixtures.prefix(REGRESSION + "/model.meta")), meta);
    Path out = dir.resolve("frozen.pb");
    CliRun run = CliRun.of("freeze", "--checkpoint", TestFixtures.prefix(REGRESSION), "--outputs", "pred", "--out", out.toString(),
        "--meta", meta.toString());
    assertThat(run.code()).isZero();
  }

  @Test
  void anUnknownOutputExitsOneWithTensorFlowsWording() {
    CliRun run = CliRun.of("freeze", "--checkpoint", TestFixtures.prefix(REGRESSION), "--outputs", "pred:0", "--out",
        dir.resolve("frozen.pb").toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("sparkpoint freeze: error: pred:0 is not in graph" + System.lineSeparator());
    assertThat(dir.resolve("frozen.pb")).doesNotExist();
  }

  @Test
  void aMissingMetaGraphExitsOneNamingItAndSuggestingMeta() {
    Path missing = dir.resolve("nope.meta");
    CliRun run = CliRun.of("freeze", "--checkpoint", TestFixtures.prefix(REGRESSION), "--outputs", "pred", "--out",
        dir.resolve("frozen.pb").toString(), "--meta", missing.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("sparkpoint freeze: error: Cannot find the MetaGraphDef " + missing
        + " that holds the graph to freeze; give its location with --meta" + System.lineSeparator());
  }

  @Test
  void missingRequiredOptionsAreBadUsage() {
    assertThat(CliRun.of("freeze", "--checkpoint", "x", "--out", "y").code()).isEqualTo(2);
  }
}
