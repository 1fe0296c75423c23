package io.sparkpoint.saver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.checkpoint.CheckpointReader;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.exec.Session;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.SaverDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every argument of tf.train.Saver, the nodes it adds, and its errors. */
class SaverTest {
  @TempDir Path dir;
  private final FileIO io = HadoopFileIO.shared();
  private final Graph graph = new Graph();

  private Session initialized() {
    Variables.globalVariablesInitializer(graph);
    Session session = new Session(graph);
    session.runTargets("init");
    return session;
  }

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void itAddsTensorFlowsNodeNamesAndSaverDef() {
    Variables.variable(graph, "v1", Tensor.ofFloats(Shape.of(1), 1));
    Variables.variable(graph, "v2", Tensor.ofFloats(Shape.of(1), 2));

    SaverDef def = Saver.builder(graph).build().saverDef();

    assertThat(graph.operations().stream().map(Operation::name).filter(n -> n.startsWith("save/"))).containsExactly(
        "save/filename/input", "save/filename", "save/Const", "save/SaveV2/tensor_names", "save/SaveV2/shape_and_slices",
        "save/SaveV2", "save/control_dependency", "save/RestoreV2/tensor_names", "save/RestoreV2/shape_and_slices",
        "save/RestoreV2", "save/Assign", "save/Assign_1", "save/restore_all");
    assertThat(def).isEqualTo(SaverDef.newBuilder().setFilenameTensorName("save/Const:0")
        .setSaveTensorName("save/control_dependency:0").setRestoreOpName("save/restore_all").setMaxToKeep(5)
        .setKeepCheckpointEveryNHours(10000f).setVersion(SaverDef.CheckpointFormatVersion.V2).build());
    assertThat(graph.operation("save/SaveV2").inputs().stream().map(o -> o.name()))
        .containsExactly("save/Const:0", "save/SaveV2/tensor_names:0", "save/SaveV2/shape_and_slices:0", "v1:0", "v2:0");
    assertThat(graph.operation("save/RestoreV2").device()).isEqualTo("/device:CPU:0");
    assertThat(Saver.builder(graph).build().saverDef().getRestoreOpName()).isEqualTo("save_1/restore_all");
  }

  @Test
  void resourceVariablesRestoreThroughIdentityAndAssignVariableOp() {
    Variables.resourceVariable(graph, "w", Tensor.ofFloats(Shape.of(2), 1, 2));
    Session session = initialized();
    Saver saver = Saver.builder(graph).build();
    String prefix = saver.save(session, path("res/model"));

    assertThat(graph.operation("save/Identity").type()).isEqualTo("Identity");
    assertThat(graph.operation("save/AssignVariableOp").type()).isEqualTo("AssignVariableOp");
    assertThat(graph.operation("save/SaveV2").inputs().get(3).name()).isEqualTo("w/Read/ReadVariableOp:0");
    Session fresh = new Session(graph);
    saver.restore(fresh, prefix);
    assertThat(fresh.fetch("w/Read/ReadVariableOp:0")).isEqualTo(Tensor.ofFloats(Shape.of(2), 1, 2));
  }

  @Test
  void reshapeRestoresAValueOfTheSameSizeAndOtherwiseTheShapesMustMatch() {
    Variables.variable(graph, "m", Tensor.ofFloats(Shape.of(4), 1, 2, 3, 4));
    String prefix = Saver.builder(graph).build().save(initialized(), path("flat/model"));
    Graph other = new Graph();
    Variables.variable(other, "m", Tensor.ofFloats(Shape.of(2, 2), 0, 0, 0, 0));

    assertThatThrownBy(() -> Saver.builder(other).build().restore(new Session(other), prefix))
        .isInstanceOf(SaverException.class)
        .hasMessageContaining("mismatch between the current graph and the graph from the checkpoint")
        .hasMessageContaining("Assign requires shapes of both tensors to match. lhs shape= [2,2] rhs shape= [4]");
    Session session = new Session(other);
    Saver.builder(other).reshape(true).build().restore(session, prefix);
    assertThat(session.fetch("m:0")).isEqualTo(Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4));
  }

  @Test
  void aShardedSaverWritesNBalancedDataFilesMergedIntoOneCheckpoint() throws Exception {
    for (int i = 0; i < 7; i++) {
      Variables.variable(graph, "v" + i, Tensor.ofFloats(Shape.of(i + 1), new float[i + 1]));
    }
    Saver saver = Saver.builder(graph).sharded(true).numShards(3).build();
    Files.createDirectories(dir.resolve("sharded")); // as in TensorFlow, a sharded save needs its directory
    String prefix = saver.save(initialized(), path("sharded/model"));

    assertThat(saver.saverDef().getSaveTensorName()).isEqualTo("save/Identity:0");
    assertThat(saver.saverDef().getSharded()).isTrue();
    try (Stream<Path> files = Files.list(dir.resolve("sharded"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("checkpoint", "model.index",
          "model.data-00000-of-00003", "model.data-00001-of-00003", "model.data-00002-of-00003", "model.meta");
    }
    try (CheckpointReader reader = CheckpointReader.open(io, prefix)) {
      assertThat(reader.variableToShapeMap()).hasSize(7);
      assertThat(reader.bundle().numShards()).isEqualTo(3);
    }
    Session fresh = new Session(graph);
    saver.restore(fresh, prefix);
    assertThat(fresh.fetch("v6:0").shape()).isEqualTo(Shape.of(7));
    assertThat(graph.operation("save/restore_shard_2").type()).isEqualTo("NoOp");
  }

  @Test
  void restoreSequentiallyChainsOneRestorePerVariable() {
    Variables.variable(graph, "a", Tensor.ofFloats(Shape.of(1), 1));
    Variables.variable(graph, "b", Tensor.ofFloats(Shape.of(1), 2));
    Saver saver = Saver.builder(graph).restoreSequentially(true).build();
    String prefix = saver.save(initialized(), path("seq/model"));

    assertThat(graph.operation("save/RestoreV2_1").controlInputs()).containsExactly(graph.operation("save/Assign"));
    Session fresh = new Session(graph);
    saver.restore(fresh, prefix);
    assertThat(fresh.fetch("b:0")).isEqualTo(Tensor.ofFloats(Shape.of(1), 2));
  }

  @Test
  void globalStepAsIntOrTensorAndPadStepNumber() {
    Variables.variable(graph, "global_step", Tensor.ofLongs(Shape.scalar(), 42));
    Session session = initialized();

    assertThat(Saver.builder(graph).build().save(session, path("steps/model"), 7)).endsWith("model-7");
    assertThat(Saver.builder(graph).build().save(session, path("steps/model"), SaveOptions.defaults().withGlobalStep("global_step:0")))
        .endsWith("model-42");
    assertThat(Saver.builder(graph).padStepNumber(true).build().save(session, path("steps/model"), 7)).endsWith("model-00000007");
  }

  @Test
  void emptyAndUnsupportedConfigurationsFailInTensorFlowsWords() {
    assertThatThrownBy(() -> Saver.builder(graph).build()).isInstanceOf(IllegalArgumentException.class).hasMessage("No variables to save");
    Saver empty = Saver.builder(graph).allowEmpty(true).build();
    assertThat(empty.save(new Session(graph), path("empty/model"))).isNull();
    assertThat(dir.resolve("empty/model.meta")).exists();
    assertThatThrownBy(() -> Saver.builder(graph).writeVersion(SaverDef.CheckpointFormatVersion.V1))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("V1 is not supported");
  }

  @Test
  void badArgumentsAreRefusedNamingWhatIsWrong() {
    Variables.variable(graph, "v", Tensor.ofFloats(Shape.of(1), 1));
    graph.opBuilder("Const", "c").setAttr("dtype", DType.FLOAT).setAttr("value", Tensor.scalar(1f)).build();

    assertThatThrownBy(() -> Saver.builder(graph).numShards(0)).hasMessage("numShards must be at least 1, got 0");
    assertThatThrownBy(() -> Saver.builder(graph).maxToKeep(-1)).hasMessage("max_to_keep must not be negative, got -1");
    assertThatThrownBy(() -> Saver.builder(graph).keepCheckpointEveryNHours(0)).hasMessage("keep_checkpoint_every_n_hours must be positive, got 0.0");
    assertThatThrownBy(() -> Saver.builder(graph).varList(List.of("c")).build())
        .hasMessage("var_list names c, which is not a variable: its op is Const (expected VariableV2, Variable or VarHandleOp)");
    assertThatThrownBy(() -> Saver.builder(graph).varList(List.of("nope")).build())
        .hasMessage("var_list names nope, but the graph has no operation nope");
    assertThatThrownBy(() -> Saver.builder(graph).varList(List.of("v", "v/read:0")).build())
        .hasMessage("At least two variables have the same name: v");
    assertThatThrownBy(() -> Saver.builder(graph).varMap(java.util.Map.of("a", "v", "b", "v:0")).build())
        .hasMessageStartingWith("The same saveable will be restored with two names: ");
    Session session = initialized();
    assertThatThrownBy(() -> Saver.builder(graph).build().save(session, path("s/model"), SaveOptions.defaults().withGlobalStep("c:0")))
        .hasMessage("The step tensor c:0 must be an integer scalar, got float32 []");
  }

  @Test
  void deferBuildAddsNodesOnlyOnBuild() {
    Variables.variable(graph, "v", Tensor.ofFloats(Shape.of(1), 1));
    Saver saver = Saver.builder(graph).deferBuild(true).build();
    assertThat(graph.operation("save/SaveV2")).isNull();
    assertThatThrownBy(() -> saver.save(new Session(graph), path("x"))).hasMessageContaining("build() should be called before save");

    saver.build();

    assertThat(graph.operation("save/SaveV2")).isNotNull();
  }

  @Test
  void saveChecksItsPathsAsTensorFlowDoes() {
    Variables.variable(graph, "v", Tensor.ofFloats(Shape.of(1), 1));
    Session session = initialized();
    Saver saver = Saver.builder(graph).build();

    assertThatThrownBy(() -> saver.save(session, path("missing/deeper/model")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Parent directory of " + path("missing/deeper/model") + " doesn't exist, can't save.");
    assertThatThrownBy(() -> saver.save(session, path("a/model"), SaveOptions.defaults().withLatestFilename("x/y")))
        .hasMessage("'latest_filename' must not contain path components");
    assertThatThrownBy(() -> saver.save(session, path("a/checkpoint")))
        .hasMessageContaining("'latest_filename' collides with 'save_path'");
    assertThatThrownBy(() -> saver.restore(session, path("a/nothing")))
        .hasMessage("The passed save_path is not a valid checkpoint: " + path("a/nothing"));
    assertThatThrownBy(() -> saver.restore(session, null)).hasMessage("Can't load save_path when it is None.");
  }

  @Test
  void saveRelativePathsLatestFilenameAndNoStateOrMeta() throws Exception {
    Variables.variable(graph, "v", Tensor.ofFloats(Shape.of(1), 1));
    Session session = initialized();
    Saver.builder(graph).saveRelativePaths(true).build()
        .save(session, path("rel/model"), SaveOptions.defaults().withLatestFilename("latest").withGlobalStep(1));
    Saver.builder(graph).build()
        .save(session, path("none/model"), SaveOptions.defaults().withWriteState(false).withWriteMetaGraph(false));

    assertThat(Files.readString(dir.resolve("rel/latest"))).contains("model_checkpoint_path: \"model-1\"");
    try (Stream<Path> files = Files.list(dir.resolve("none"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.index", "model.data-00000-of-00001");
    }
  }

  @Test
  void theFilenameTensorDefaultsToTheConfiguredFilename() {
    Variables.variable(graph, "v", Tensor.ofFloats(Shape.of(1), 1));
    Saver saver = Saver.builder(graph).filename(path("dflt/model")).build();
    Session session = initialized();
    session.run(java.util.Map.of(), List.of(saver.saverDef().getSaveTensorName()));

    assertThat(dir.resolve("dflt/model.index")).exists();
  }

  @Test
  void aSaverDefRoundTripsThroughExportAndImport() throws Exception {
    Variables.variable(graph, "v", Tensor.ofFloats(Shape.of(1), 5));
    Saver saver = Saver.builder(graph).maxToKeep(3).build();
    String prefix = saver.save(initialized(), path("rt/model"));
    saver.exportMetaGraph(io, path("rt/again.meta"), MetaGraphs.ExportOptions.defaults());

    MetaGraphDef meta = MetaGraphs.read(io, path("rt/again.meta"));
    assertThat(meta.getSaverDef().getMaxToKeep()).isEqualTo(3);
    Graph imported = new Graph();
    Saver again = Saver.fromSaverDef(imported, MetaGraphs.importMetaGraph(imported, meta, MetaGraphs.ImportOptions.defaults()));
    Session session = new Session(imported);
    again.restore(session, prefix);
    assertThat(session.fetch("v:0")).isEqualTo(Tensor.ofFloats(Shape.of(1), 5));
  }

  @Test
  void checkpointsGoThroughTheSessionsFileIo() throws Exception {
    InMemoryFileIO memory = new InMemoryFileIO();
    Variables.variable(graph, "v", Tensor.ofFloats(Shape.of(1), 5));
    Session session = initialized().withService(FileIO.class, memory);
    String prefix = Saver.builder(graph).build().save(session, "mem/model", 3);

    assertThat(memory.allFiles()).contains("mem/model-3.index", "mem/model-3.meta", "mem/checkpoint");
    assertThat(Checkpoints.latestCheckpoint(memory, "mem", null)).isEqualTo(prefix);
  }
}
