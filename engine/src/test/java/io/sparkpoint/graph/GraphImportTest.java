package io.sparkpoint.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.SavedModel;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GraphImportTest {
  private static final HadoopFileIO LOCAL = HadoopFileIO.withDefaults();

  /** Every GraphDef under tf-real: .pb files, the graphs inside .meta files and SavedModels, and .pbtxt. */
  static List<Path> graphFiles() throws IOException {
    try (Stream<Path> files = Files.walk(TestFixtures.tfReal())) {
      return files.filter(p -> {
        String name = p.getFileName().toString();
        return (name.endsWith(".pb") && !name.equals("fingerprint.pb") && !name.equals("keras_metadata.pb"))
            || name.endsWith(".meta") || name.equals("expected_graph") || name.endsWith(".pbtxt");
      }).sorted().toList();
    }
  }

  static List<GraphDef> graphsIn(Path file) throws IOException {
    String name = file.getFileName().toString();
    String location = file.toString();
    List<GraphDef> graphs = new ArrayList<>();
    if (name.endsWith(".meta")) {
      MetaGraphDef.Builder meta = MetaGraphDef.newBuilder();
      GraphIO.read(LOCAL, location, meta);
      graphs.add(meta.getGraphDef());
    } else if (name.startsWith("saved_model")) {
      SavedModel.Builder model = SavedModel.newBuilder();
      GraphIO.read(LOCAL, location, model);
      model.getMetaGraphsList().forEach(m -> graphs.add(m.getGraphDef()));
    } else {
      graphs.add(GraphIO.readGraphDef(LOCAL, location));
    }
    return graphs;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("graphFiles")
  void everyRealGraphImportsAndExportsUnchanged(Path file) throws IOException {
    for (GraphDef def : graphsIn(file)) {
      Graph graph = Graph.fromGraphDef(def);
      assertThat(graph.size()).isEqualTo(def.getNodeCount());
      GraphDef exported = graph.toGraphDef();
      for (int i = 0; i < def.getNodeCount(); i++) {
        assertThat(exported.getNode(i)).as("%s node %d", file, i).isEqualTo(def.getNode(i));
      }
      assertThat(exported.toBuilder().clearNode().build()).as("%s header", file).isEqualTo(def.toBuilder().clearNode().build());
      assertThat(exported).isEqualTo(def);
      for (Operation op : graph.operations()) {
        op.inputs();
        op.controlInputs(); // every reference resolves
      }
    }
  }

  @Test
  void textAndBinaryForms() throws IOException {
    Path dir = TestFixtures.tfReal().resolve("tfcr-write-graph");
    GraphDef binary = GraphIO.readGraphDef(LOCAL, dir.resolve("graph.pb").toString());
    GraphDef text = GraphIO.readGraphDef(LOCAL, dir.resolve("graph.pbtxt").toString());
    assertThat(text).isEqualTo(binary);
    InMemoryFileIO io = TestFixtures.memory();
    String written = GraphIO.writeGraph(io, binary, "/mem/logs/run1", "graph.pbtxt", true);
    assertThat(written).isEqualTo("/mem/logs/run1/graph.pbtxt");
    assertThat(GraphIO.readGraphDef(io, written)).isEqualTo(binary);
    GraphIO.writeGraph(io, binary, "/mem/logs/run1", "graph.pb", false);
    assertThat(io.contents("/mem/logs/run1/graph.pb")).isEqualTo(binary.toByteArray());
  }

  @Test
  void malformedTextNamesLineAndColumn() {
    InMemoryFileIO io = TestFixtures.memory();
    io.put("/mem/bad.pbtxt", "node {\n  name: \"a\"\n  op: Const\n}\n".getBytes());
    assertThatThrownBy(() -> GraphIO.readGraphDef(io, "/mem/bad.pbtxt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot parse /mem/bad.pbtxt as a text GraphDef: line 3, column 7:");
  }

  private static GraphDef addGraph() {
    Graph graph = new Graph();
    Operation x = graph.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT).build();
    Operation one = graph.opBuilder("Const", "one").setAttr("dtype", DType.FLOAT).setAttr("value", Tensor.scalar(1f)).build();
    graph.opBuilder("AddV2", "add").addInput(x.output(0)).addInput(one.output(0)).setAttr("T", DType.FLOAT)
        .setAttr("_class", io.sparkpoint.proto.AttrValue.newBuilder().setList(
            io.sparkpoint.proto.AttrValue.ListValue.newBuilder().addS(com.google.protobuf.ByteString.copyFromUtf8("loc:@one"))).build())
        .addControlInput(one).build();
    return graph.toGraphDef();
  }

  @Test
  void importPrefixesNamesInputsAndColocation() {
    Graph graph = new Graph();
    List<Object> returned = GraphImporter.importGraphDef(graph, addGraph(), GraphImporter.DEFAULT_PREFIX, Map.of(), List.of("add", "add:0"));
    Operation add = (Operation) returned.get(0);
    assertThat(add.name()).isEqualTo("import/add");
    assertThat(((Output) returned.get(1)).name()).isEqualTo("import/add:0");
    assertThat(add.toNodeDef().getInputList()).containsExactly("import/x", "import/one", "^import/one");
    assertThat(add.attr("_class").getList().getS(0).toStringUtf8()).isEqualTo("loc:@import/one");
    GraphImporter.importGraphDef(graph, addGraph(), GraphImporter.DEFAULT_PREFIX, Map.of(), List.of());
    assertThat(graph.operation("import_1/add")).isNotNull();
  }

  @Test
  void inputMapReplacesImportedInputs() {
    Graph graph = new Graph();
    Operation feed = graph.opBuilder("Placeholder", "feed").setAttr("dtype", DType.FLOAT).build();
    List<Object> returned = GraphImporter.importGraphDef(graph, addGraph(), "net", Map.of("x:0", feed.output(0)), List.of("add"));
    assertThat(((Operation) returned.get(0)).inputs()).containsExactly(feed.output(0), graph.operation("net/one").output(0));
  }

  @Test
  void importMistakesAreNamed() {
    Graph graph = new Graph();
    assertThatThrownBy(() -> GraphImporter.importGraphDef(graph, addGraph(), "p", Map.of(), List.of("nope")))
        .hasMessage("Requested return node 'nope' not found in graph def");
    assertThatThrownBy(() -> GraphImporter.importGraphDef(graph, addGraph(), "p", Map.of(), List.of("nope:0")))
        .hasMessage("Requested return tensor 'nope:0' not found in graph def");
    Operation feed = graph.opBuilder("Placeholder", "feed").setAttr("dtype", DType.FLOAT).build();
    assertThatThrownBy(() -> GraphImporter.importGraphDef(graph, addGraph(), "p", Map.of("y:0", feed.output(0)), List.of()))
        .hasMessage("Attempted to map inputs that were not found in graph_def: [y:0]");
    GraphDef dangling = GraphDef.newBuilder().addNode(NodeDef.newBuilder().setName("a").setOp("Identity").addInput("b")).build();
    assertThatThrownBy(() -> GraphImporter.importGraphDef(graph, dangling, "p", Map.of(), List.of()))
        .hasMessageStartingWith("Node 'a': Unknown input node 'b'");
    GraphDef cycle = GraphDef.newBuilder()
        .addNode(NodeDef.newBuilder().setName("a").setOp("Identity").addInput("b"))
        .addNode(NodeDef.newBuilder().setName("b").setOp("Identity").addInput("a")).build();
    assertThatThrownBy(() -> GraphImporter.importGraphDef(graph, cycle, "p", Map.of(), List.of()))
        .hasMessage("GraphDef contains a cycle through the nodes [a, b]");
    GraphDef duplicate = GraphDef.newBuilder()
        .addNode(NodeDef.newBuilder().setName("a").setOp("NoOp"))
        .addNode(NodeDef.newBuilder().setName("a").setOp("NoOp")).build();
    assertThatThrownBy(() -> GraphImporter.importGraphDef(graph, duplicate, "p", Map.of(), List.of()))
        .hasMessage("Node 'a' is not unique");
    assertThat(graph.operation("p/a")).isNull(); // failed imports change nothing
  }

  @Test
  void namesAreMadeUniqueWithinScopes() {
    Graph graph = new Graph();
    assertThat(graph.opBuilder("NoOp", "add").build().name()).isEqualTo("add");
    assertThat(graph.opBuilder("NoOp", "add").build().name()).isEqualTo("add_1");
    try (Graph.NameScope scope = graph.nameScope("layer")) {
      assertThat(graph.opBuilder("NoOp", "w").build().name()).isEqualTo("layer/w");
    }
    try (Graph.NameScope scope = graph.nameScope("layer")) {
      assertThat(scope.name()).isEqualTo("layer_1");
    }
    assertThatThrownBy(() -> graph.opBuilder("NoOp", "_bad")).hasMessageStartingWith("'_bad' is not a valid node name");
  }

  @Test
  void lookupsUseTensorFlowsWording() {
    Graph graph = Graph.fromGraphDef(addGraph());
    assertThat(graph.getTensorByName("add:0").op().name()).isEqualTo("add");
    assertThatThrownBy(() -> graph.getTensorByName("add"))
        .hasMessage("The name 'add' looks like an (invalid) Operation name, not a Tensor. Tensor names must be of the form \"<op_name>:<output_index>\".");
    assertThatThrownBy(() -> graph.getTensorByName("sub:0"))
        .hasMessage("The name 'sub:0' refers to a Tensor which does not exist. The operation, 'sub', does not exist in the graph.");
    assertThatThrownBy(() -> graph.getOperationByName("sub")).hasMessage("The name 'sub' refers to an Operation not in the graph.");
    assertThatThrownBy(() -> graph.getOperationByName("add:0")).hasMessage("The name 'add:0' appears to refer to a Tensor, not an Operation.");
    assertThat(Shape.of(1)).isNotNull();
  }
}
