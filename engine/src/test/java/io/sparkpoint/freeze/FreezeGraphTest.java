package io.sparkpoint.freeze;

import static io.sparkpoint.freeze.GraphDefs.find;
import static io.sparkpoint.freeze.GraphDefs.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.TextFormat;
import io.sparkpoint.TestFixtures;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorProtos;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The freeze_graph flow: checkpoint directory to frozen .pb, on TensorFlow's own files and in memory. */
class FreezeGraphTest {
  /** A TF1 linear regression (tf2onnx): {@code pred = X * W + b}, saved with a state file and model.meta. */
  private static final String REGRESSION = "tf2onnx/regression/checkpoint";

  @TempDir Path dir;
  private final InMemoryFileIO memory = TestFixtures.memory();

  @BeforeAll
  static void theFixturePredictsWithPred() throws IOException {
    MetaGraphDef meta = MetaGraphDef.parseFrom(Files.readAllBytes(Path.of(TestFixtures.prefix(REGRESSION + "/model.meta"))));
    NodeDef pred = find(meta.getGraphDef(), "pred");
    assertThat(pred.getOp()).isEqualTo("Identity");
    assertThat(pred.getInputList()).containsExactly("Add");
    assertThat(names(meta.getGraphDef())).contains("W/Assign", "init", "save/restore_all", "GradientDescent");
  }

  private static GraphDef readBinary(Path file) throws IOException {
    return GraphDef.parseFrom(Files.readAllBytes(file));
  }

  private static float scalar(GraphDef graph, String name) {
    return TensorProtos.fromProto(find(graph, name).getAttrMap().get("value").getTensor()).data().getFloat(0);
  }

  @Test
  void aTensorFlowCheckpointDirectoryFreezesToItsPrediction() throws IOException {
    Path out = dir.resolve("frozen.pb");
    FreezeGraph.Result result = FreezeGraph.freeze(
        new LocalFileIO(), TestFixtures.prefix(REGRESSION), null, List.of("pred"), out.toString(), FreezeGraph.Format.BINARY);
    GraphDef frozen = readBinary(out);
    assertThat(names(frozen)).containsExactly("X", "W", "W/read", "b", "b/read", "Mul", "Add", "pred");
    assertThat(find(frozen, "W").getOp()).isEqualTo("Const");
    assertThat(scalar(frozen, "W")).isEqualTo(0.21396178f);
    assertThat(scalar(frozen, "b")).isEqualTo(1.0495254f);
    assertThat(frozen.getNodeList()).extracting(NodeDef::getOp).doesNotContain("VariableV2", "Assign", "SaveV2", "RestoreV2");
    assertThat(result.prefix()).isEqualTo(TestFixtures.prefix(REGRESSION + "/model"));
    assertThat(result.metaGraph()).isEqualTo(TestFixtures.prefix(REGRESSION + "/model.meta"));
    assertThat(result.frozenVariables()).containsExactly("W", "b");
    assertThat(result.nodesKept()).isEqualTo(8);
    assertThat(result.bytes()).isEqualTo(Files.size(out));
  }

  @Test
  void textOutputHoldsTheSameGraphAsBinary() throws IOException {
    Path binary = dir.resolve("frozen.pb");
    Path text = dir.resolve("frozen.pbtxt");
    LocalFileIO io = new LocalFileIO();
    FreezeGraph.freeze(io, TestFixtures.prefix(REGRESSION), null, List.of("pred"), binary.toString(), FreezeGraph.Format.BINARY);
    FreezeGraph.Result result =
        FreezeGraph.freeze(io, TestFixtures.prefix(REGRESSION), null, List.of("pred"), text.toString(), FreezeGraph.Format.TEXT);
    GraphDef.Builder parsed = GraphDef.newBuilder();
    TextFormat.merge(Files.readString(text, StandardCharsets.UTF_8), parsed);
    assertThat(parsed.build()).isEqualTo(readBinary(binary));
    assertThat(result.bytes()).isEqualTo(Files.size(text));
  }

  @Test
  void theOutputDirectoryIsCreatedAndNoTemporaryFileRemains() throws IOException {
    Path out = dir.resolve("models/frozen/model.pb");
    FreezeGraph.freeze(new LocalFileIO(), TestFixtures.prefix(REGRESSION), null, List.of("pred"), out.toString(), FreezeGraph.Format.BINARY);
    try (var files = Files.list(out.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("model.pb");
    }
  }

  private String writeNoteCheckpoint() throws IOException {
    String prefix = "/mem/run/model.ckpt-1";
    GraphDefs.writeCheckpoint(memory, prefix, Map.of("v1", Tensor.ofFloats(Shape.of(1), 1f), "v2", Tensor.ofFloats(Shape.of(1), 2f)));
    return prefix;
  }

  @Test
  void aMissingMetaGraphNamesThePathAndSuggestsMeta() throws IOException {
    String prefix = writeNoteCheckpoint();
    assertThatThrownBy(() -> FreezeGraph.freeze(memory, prefix, null, List.of("add"), "/mem/out.pb", FreezeGraph.Format.BINARY))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessage("Cannot find the MetaGraphDef " + prefix + ".meta that holds the graph to freeze; give its location with --meta");
  }

  @Test
  void aMetaGraphOverrideIsReadInsteadOfThePrefixMeta() throws IOException {
    String prefix = writeNoteCheckpoint();
    memory.put("/mem/graphs/note.meta", MetaGraphDef.newBuilder().setGraphDef(GraphDefs.noteExample()).build().toByteArray());
    FreezeGraph.Result result =
        FreezeGraph.freeze(memory, prefix, "/mem/graphs/note.meta", List.of("add"), "/mem/out.pb", FreezeGraph.Format.BINARY);
    assertThat(names(GraphDef.parseFrom(memory.contents("/mem/out.pb")))).containsExactly("v1", "v1/read", "v2", "v2/read", "add");
    assertThat(result.metaGraph()).isEqualTo("/mem/graphs/note.meta");
  }

  @Test
  void aTextMetaGraphIsReadAsText() throws IOException {
    String prefix = writeNoteCheckpoint();
    String text = TextFormat.printer().printToString(MetaGraphDef.newBuilder().setGraphDef(GraphDefs.noteExample()).build());
    memory.put("/mem/graphs/note.pbtxt", text.getBytes(StandardCharsets.UTF_8));
    FreezeGraph.Result result =
        FreezeGraph.freeze(memory, prefix, "/mem/graphs/note.pbtxt", List.of("add"), "/mem/out.pb", FreezeGraph.Format.BINARY);
    assertThat(result.frozenVariables()).containsExactly("v1", "v2");
  }

  @Test
  void aFailedRenameLeavesNeitherTheOutputNorATemporaryFile() throws IOException {
    String prefix = writeNoteCheckpoint();
    memory.put(prefix + ".meta", MetaGraphDef.newBuilder().setGraphDef(GraphDefs.noteExample()).build().toByteArray());
    List<String> before = memory.allFiles();
    memory.failRenamesWhen(target -> target.equals("/mem/out.pb"));
    assertThatThrownBy(() -> FreezeGraph.freeze(memory, prefix, null, List.of("add"), "/mem/out.pb", FreezeGraph.Format.BINARY))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Injected failure renaming /mem/out.pb.tmp");
    assertThat(memory.allFiles()).isEqualTo(before);
  }

  @Test
  void anExistingOutputIsReplaced() throws IOException {
    String prefix = writeNoteCheckpoint();
    memory.put(prefix + ".meta", MetaGraphDef.newBuilder().setGraphDef(GraphDefs.noteExample()).build().toByteArray());
    memory.put("/mem/out.pb", new byte[] {1, 2, 3});
    FreezeGraph.Result result = FreezeGraph.freeze(memory, prefix, null, List.of("add"), "/mem/out.pb", FreezeGraph.Format.BINARY);
    assertThat((long) memory.contents("/mem/out.pb").length).isEqualTo(result.bytes());
  }

  @Test
  void noOutputNodesIsRefused() {
    assertThatThrownBy(() -> FreezeGraph.freeze(memory, "/mem/x", null, List.of(), "/mem/out.pb", FreezeGraph.Format.BINARY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot freeze without output nodes: give at least one output node name");
  }
}
