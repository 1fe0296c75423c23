package io.sparkpoint.saver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.checkpoint.CheckpointReader;
import io.sparkpoint.checkpoint.CheckpointState;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.exec.Session;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.freeze.FreezeGraph;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.GraphIO;
import io.sparkpoint.graph.GraphImporter;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.graph.Output;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.SaverDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The note's executable examples (§1, §2, §3.1, §3.2, §3.3, §5), in Java, behaving as the note says. */
class NoteExamplesTest {
  @TempDir Path dir;
  private final FileIO io = HadoopFileIO.shared();

  /** §1.1: v1 = [1.0], v2 = [2.0], result = v1 + v2, tf.add_to_collection('var', v1). */
  private static Graph noteGraph(float v2Initial, String v1Name, String v2Name) {
    Graph graph = new Graph();
    Output v1 = Variables.variable(graph, v1Name, Tensor.ofFloats(Shape.of(1), 1.0f));
    Output v2 = Variables.variable(graph, v2Name, Tensor.ofFloats(Shape.of(1), v2Initial));
    graph.opBuilder("AddV2", "add").addInput(v1).addInput(v2).setAttr("T", DType.FLOAT).build();
    graph.addToCollection("var", graph.getTensorByName(v1Name + ":0"));
    return graph;
  }

  private String saveNoteModel() {
    Graph graph = noteGraph(2.0f, "v1", "v2");
    Variables.globalVariablesInitializer(graph);
    Saver saver = Saver.builder(graph).build();
    Session session = new Session(graph);
    session.runTargets("init");
    assertThat(session.fetch("add:0")).isEqualTo(Tensor.ofFloats(Shape.of(1), 3.0f));
    return saver.save(session, dir.resolve("save1/model.ckpt").toString(), 100);
  }

  @Test
  void section1_1_saveWritesTheFourFilesAndTheStateFile() throws Exception {
    String prefix = saveNoteModel();

    assertThat(prefix).isEqualTo(dir.resolve("save1/model.ckpt-100").toString());
    try (Stream<Path> files = Files.list(dir.resolve("save1"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "checkpoint", "model.ckpt-100.index", "model.ckpt-100.data-00000-of-00001", "model.ckpt-100.meta");
    }
    CheckpointState state = Checkpoints.getCheckpointState(io, dir.resolve("save1").toString(), null);
    assertThat(state.modelCheckpointPath()).isEqualTo(prefix);
    assertThat(state.allModelCheckpointPaths()).containsExactly(prefix);
  }

  @Test
  void section1_2_restoreActsAsInitializationAndOverridesADifferentInitialValue() {
    String prefix = saveNoteModel();
    Graph graph = noteGraph(3.0f, "v1", "v2"); // v2 initialized to 3 this time
    Variables.globalVariablesInitializer(graph);
    Saver saver = Saver.builder(graph).build();
    Session session = new Session(graph);

    saver.restore(session, prefix); // no initializer run first

    assertThat(session.fetch("add:0")).isEqualTo(Tensor.ofFloats(Shape.of(1), 3.0f));
  }

  @Test
  void section3_1_importMetaGraphThenRestoreGivesAddAndTheVarCollection() throws Exception {
    String prefix = saveNoteModel();
    Graph graph = new Graph();
    MetaGraphDef meta = MetaGraphs.read(io, prefix + ".meta");
    SaverDef saverDef = MetaGraphs.importMetaGraph(graph, meta, MetaGraphs.ImportOptions.defaults());
    Saver saver = Saver.fromSaverDef(graph, saverDef);
    Session session = new Session(graph);

    saver.restore(session, prefix);

    assertThat(session.fetch("add:0")).isEqualTo(Tensor.ofFloats(Shape.of(1), 3.0f));
    assertThat(graph.getCollection("var")).hasSize(1);
    assertThat(graph.getCollection("var").get(0).toString()).contains("v1:0");
  }

  @Test
  void section3_2_aPartialSaveOfV1LeavesV2OutOfTheCheckpoint() throws Exception {
    Graph graph = noteGraph(2.0f, "v1", "v2");
    Variables.globalVariablesInitializer(graph);
    Saver partial = Saver.builder(graph).varList(List.of("v1")).build();
    Session session = new Session(graph);
    session.runTargets("init");
    String prefix = partial.save(session, dir.resolve("partial/model.ckpt").toString());

    try (CheckpointReader reader = CheckpointReader.open(io, prefix)) {
      assertThat(reader.variableToShapeMap()).containsOnlyKeys("v1");
    }
    Graph fresh = noteGraph(2.0f, "v1", "v2");
    Session restored = new Session(fresh);
    Saver all = Saver.builder(fresh).build();
    assertThatThrownBy(() -> all.restore(restored, prefix))
        .isInstanceOf(SaverException.class)
        .hasMessageContaining("Restoring from checkpoint failed")
        .hasMessageContaining("Key v2 not found in checkpoint");
    Saver onlyV1 = Saver.builder(fresh).varList(List.of("v1")).build();
    onlyV1.restore(restored, prefix);
    assertThat(restored.fetch("v1:0")).isEqualTo(Tensor.ofFloats(Shape.of(1), 1.0f));
    assertThatThrownBy(() -> restored.fetch("v2:0")).hasMessageContaining("Attempting to use uninitialized value v2");
  }

  @Test
  void section3_2_aMapRestoresNewV1FromV1WhileAListFailsForNewV1() {
    String prefix = saveNoteModel();
    Graph graph = noteGraph(9.0f, "new_v1", "new_v2");
    Session session = new Session(graph);

    Saver map = Saver.builder(graph).varMap(Map.of("v1", "new_v1", "v2", "new_v2:0")).build();
    map.restore(session, prefix);
    assertThat(session.fetch("add:0")).isEqualTo(Tensor.ofFloats(Shape.of(1), 3.0f));

    Saver list = Saver.builder(graph).varList(List.of("new_v1", "new_v2")).build();
    assertThatThrownBy(() -> list.restore(session, prefix))
        .isInstanceOf(SaverException.class)
        .hasMessageContaining("Key new_v1 not found in checkpoint");
  }

  @Test
  void section3_3_freezeThenLoadGraphUnderPrefixGivesPrefixAdd() throws Exception {
    String prefix = saveNoteModel();
    Path pb = dir.resolve("frozen.pb");
    FreezeGraph.freeze(io, prefix, null, List.of("add"), pb.toString(), FreezeGraph.Format.BINARY);

    Graph loaded = new Graph();
    GraphImporter.importGraphDef(loaded, GraphIO.readGraphDef(io, pb.toString()), "prefix", Map.of(), List.of());
    assertThat(loaded.operations()).allMatch(op -> !op.type().startsWith("Variable"));
    Session session = new Session(loaded);

    assertThat(session.fetch("prefix/add:0")).isEqualTo(Tensor.ofFloats(Shape.of(1), 3.0f));
  }

  @Test
  void section5_theReadersShapeMapAndGetCheckpointState() throws Exception {
    String prefix = saveNoteModel();

    try (CheckpointReader reader = CheckpointReader.open(io, prefix)) {
      assertThat(reader.variableToShapeMap()).isEqualTo(Map.of("v1", Shape.of(1), "v2", Shape.of(1)));
    }
    CheckpointState state = Checkpoints.getCheckpointState(io, dir.resolve("save1").toString(), null);
    assertThat(state.modelCheckpointPath()).endsWith("model.ckpt-100");
    assertThat(Checkpoints.latestCheckpoint(io, dir.resolve("save1").toString(), null)).isEqualTo(prefix);
  }

  @Test
  void aRunOfAnUnsupportedOpNamesTheOpAndTheNode() {
    Graph graph = Graph.fromGraphDef(GraphDef.newBuilder()
        .addNode(NodeDef.newBuilder().setName("erf").setOp("Erf")).build());

    assertThatThrownBy(() -> new Session(graph).fetch("erf:0"))
        .isInstanceOf(KernelException.class)
        .hasMessageContaining("Op Erf is not supported by Sparkpoint (node erf)");
  }
}
