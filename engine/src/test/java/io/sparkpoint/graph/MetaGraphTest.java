package io.sparkpoint.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.SaverDef;
import io.sparkpoint.proto.VariableDef;
import io.sparkpoint.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MetaGraphTest {
  private static final HadoopFileIO LOCAL = HadoopFileIO.withDefaults();

  static List<Path> metaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(TestFixtures.tfReal())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".meta")).sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("metaFiles")
  void importThenExportKeepsGraphCollectionsAndSaver(Path file) throws IOException {
    MetaGraphDef meta = MetaGraphs.read(LOCAL, file.toString());
    Graph graph = new Graph();
    SaverDef saver = MetaGraphs.importMetaGraph(graph, meta, MetaGraphs.ImportOptions.defaults());
    MetaGraphDef exported = MetaGraphs.exportMetaGraph(LOCAL, graph, MetaGraphs.ExportOptions.defaults().withSaverDef(saver));
    assertThat(exported.getGraphDef()).isEqualTo(meta.getGraphDef());
    assertThat(exported.getCollectionDefMap()).isEqualTo(meta.getCollectionDefMap());
    assertThat(exported.getSaverDef()).isEqualTo(meta.getSaverDef());
  }

  private static MetaGraphDef regression() throws IOException {
    return MetaGraphs.read(LOCAL, TestFixtures.tfReal().resolve("tf2onnx/regression/checkpoint/model.meta").toString());
  }

  @Test
  void collectionsComeBackTyped() throws IOException {
    Graph graph = new Graph();
    SaverDef saver = MetaGraphs.importMetaGraph(graph, regression(), MetaGraphs.ImportOptions.defaults());
    assertThat(graph.getCollection("trainable_variables"))
        .extracting(v -> ((VariableDef) v).getVariableName()).containsExactly("W:0", "b:0");
    assertThat(saver.getFilenameTensorName()).isEqualTo("save/Const:0");
    assertThat(saver.getRestoreOpName()).isEqualTo("save/restore_all");
    assertThat(graph.getTensorByName(saver.getSaveTensorName())).isNotNull();
  }

  @Test
  void anImportScopePrefixesNodesCollectionsAndTheSaver() throws IOException {
    Graph graph = new Graph();
    SaverDef saver = MetaGraphs.importMetaGraph(graph, regression(), new MetaGraphs.ImportOptions(false, "net"));
    assertThat(graph.operation("net/W")).isNotNull();
    assertThat(saver.getFilenameTensorName()).isEqualTo("net/save/Const:0");
    assertThat(graph.getCollection("variables")).extracting(v -> ((VariableDef) v).getVariableName()).containsExactly("net/W:0", "net/b:0");
    assertThat(graph.getCollection("variables")).extracting(v -> ((VariableDef) v).getInitializerName()).containsExactly("net/W/Assign", "net/b/Assign");
  }

  @Test
  void clearDevicesEmptiesEveryDevice() {
    Graph graph = new Graph();
    graph.opBuilder("NoOp", "a").setDevice("/device:CPU:0").build();
    MetaGraphDef meta = MetaGraphs.export(graph, MetaGraphs.ExportOptions.defaults().withClearDevices(true));
    assertThat(meta.getGraphDef().getNode(0).getDevice()).isEmpty();
    Graph imported = new Graph();
    MetaGraphs.importMetaGraph(imported, MetaGraphs.export(graph, MetaGraphs.ExportOptions.defaults()), new MetaGraphs.ImportOptions(true, ""));
    assertThat(imported.operation("a").device()).isEmpty();
  }

  @Test
  void anExportScopeKeepsItsNodesAndMarksInputsFromOutside() {
    Graph graph = new Graph();
    Operation outside = graph.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT).build();
    try (Graph.NameScope scope = graph.nameScope("model")) {
      Operation w = graph.opBuilder("Const", "w").setAttr("dtype", DType.FLOAT).setAttr("value", io.sparkpoint.tensor.Tensor.scalar(2f)).build();
      Operation mul = graph.opBuilder("Mul", "mul").addInput(outside.output(0)).addInput(w.output(0)).setAttr("T", DType.FLOAT).build();
      graph.addToCollection("outputs", mul.output(0));
    }
    graph.addToCollection("outputs", outside.output(0));
    MetaGraphDef meta = MetaGraphs.export(graph, MetaGraphs.ExportOptions.defaults().withExportScope("model"));
    assertThat(meta.getGraphDef().getNodeList()).extracting(n -> n.getName()).containsExactly("w", "mul");
    assertThat(meta.getGraphDef().getNode(1).getInputList()).containsExactly("$unbound_inputs_x", "w");
    assertThat(meta.getCollectionDefOrThrow("outputs").getNodeList().getValueList()).containsExactly("mul:0");
  }

  @Test
  void clearExtraneousSaversDropsOtherSaversNodes() {
    Graph graph = new Graph();
    graph.opBuilder("NoOp", "save/restore_all").build();
    graph.opBuilder("Const", "save_1/Const").setAttr("dtype", DType.STRING)
        .setAttr("value", io.sparkpoint.tensor.Tensor.ofStrings(io.sparkpoint.tensor.Shape.scalar(), "model")).build();
    graph.opBuilder("NoOp", "save_1/restore_all").build();
    graph.opBuilder("NoOp", "train").build();
    SaverDef saver = SaverDef.newBuilder().setFilenameTensorName("save_1/Const:0").setRestoreOpName("save_1/restore_all").build();
    MetaGraphDef meta = MetaGraphs.export(graph, MetaGraphs.ExportOptions.defaults().withSaverDef(saver).withClearExtraneousSavers(true));
    assertThat(meta.getGraphDef().getNodeList()).extracting(n -> n.getName()).containsExactly("save_1/Const", "save_1/restore_all", "train");
  }

  @Test
  void aCollectionListAndAFileNameAreHonoured() throws IOException {
    Graph graph = new Graph();
    Operation a = graph.opBuilder("NoOp", "a").build();
    graph.addToCollection("keep", a);
    graph.addToCollection("drop", 7L);
    graph.addToCollection("floats", 1.5f);
    InMemoryFileIO io = TestFixtures.memory();
    MetaGraphs.exportMetaGraph(io, graph,
        MetaGraphs.ExportOptions.defaults().withCollectionList(List.of("keep", "floats")).withFilename("/mem/g.pbtxt").withAsText(true));
    MetaGraphDef meta = MetaGraphs.read(io, "/mem/g.pbtxt");
    assertThat(meta.getCollectionDefMap()).containsOnlyKeys("keep", "floats");
    Graph back = new Graph();
    MetaGraphs.importMetaGraph(back, meta, MetaGraphs.ImportOptions.defaults());
    assertThat(back.getCollection("keep")).containsExactly(back.operation("a"));
    assertThat(back.getCollection("floats")).containsExactly(1.5f);
  }

  @Test
  void exportListsTheKnownOpsAndCanStripDefaultAttrs() {
    Graph graph = new Graph();
    Operation a = graph.opBuilder("Const", "a").setAttr("dtype", DType.FLOAT).setAttr("value", io.sparkpoint.tensor.Tensor.ofFloats(io.sparkpoint.tensor.Shape.of(1, 1), 2f)).build();
    graph.opBuilder("MatMul", "m").addInput(a.output(0)).addInput(a.output(0)).setAttr("T", DType.FLOAT)
        .setAttr("transpose_a", false).setAttr("transpose_b", true).build();
    graph.opBuilder("FooBar", "f").build();
    MetaGraphDef meta = MetaGraphs.export(graph, MetaGraphs.ExportOptions.defaults().withStripDefaultAttrs(true));
    assertThat(meta.getMetaInfoDef().getStrippedOpList().getOpList()).extracting(op -> op.getName()).containsExactly("Const", "MatMul");
    assertThat(meta.getMetaInfoDef().getStrippedDefaultAttrs()).isTrue();
    assertThat(meta.getGraphDef().getNode(1).getAttrMap()).containsKeys("T", "transpose_b").doesNotContainKey("transpose_a");
  }

  @Test
  void buildingAKnownOpFillsDefaultsAndChecksIt() {
    Graph graph = new Graph();
    Operation a = graph.opBuilder("Placeholder", "a").setAttr("dtype", DType.FLOAT).build();
    Operation m = graph.opBuilder("MatMul", "m").addInput(a.output(0)).addInput(a.output(0)).setAttr("T", DType.FLOAT).build();
    assertThat(m.attr("transpose_a").getB()).isFalse();
    assertThatThrownBy(() -> graph.opBuilder("MatMul", "bad").addInput(a.output(0)).setAttr("T", DType.FLOAT).build())
        .hasMessage("Node 'bad' (op MatMul) expects 2 inputs, has 1");
  }

  @Test
  void importRestoresAttrsThatExportStripped() {
    Graph graph = new Graph();
    Operation a = graph.opBuilder("Placeholder", "a").setAttr("dtype", DType.FLOAT).build();
    graph.opBuilder("MatMul", "m").addInput(a.output(0)).addInput(a.output(0)).setAttr("T", DType.FLOAT).build();
    MetaGraphDef stripped = MetaGraphs.export(graph, MetaGraphs.ExportOptions.defaults().withStripDefaultAttrs(true));
    assertThat(stripped.getGraphDef().getNode(1).getAttrMap()).doesNotContainKey("transpose_a");
    Graph back = new Graph();
    MetaGraphs.importMetaGraph(back, stripped, MetaGraphs.ImportOptions.defaults());
    assertThat(back.operation("m").toNodeDef()).isEqualTo(graph.operation("m").toNodeDef());
  }

  @Test
  void aCollectionHoldsOneKindOfItem() {
    Graph graph = new Graph();
    graph.addToCollection("c", 1L);
    assertThatThrownBy(() -> graph.addToCollection("c", graph.opBuilder("NoOp", "a").build()))
        .hasMessage("Cannot add a Operation to collection 'c', which holds int64_list");
  }
}
