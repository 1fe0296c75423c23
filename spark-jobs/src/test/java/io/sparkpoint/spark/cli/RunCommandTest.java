package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.GraphIO;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.npy.Npy;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparkpoint run} in-process: graphs built here with exact expected values, TensorFlow-written graphs, and errors. */
class RunCommandTest {
  private static final String NL = System.lineSeparator();
  private final LocalFileIO io = new LocalFileIO();
  @TempDir Path dir;
  private String mlp;
  private String x;

  /**
   * A two-layer MLP with Const weights: {@code y = relu(x @ W1 + b1) @ W2 + b2}. For x = [[1, 2],
   * [-1, 0.5]] the hidden layer is [[5.5, 0, 0], [0.5, 2, 0]] and y = [[11.25], [0.25]], exactly.
   */
  @BeforeEach
  void writeMlpAndInput() throws IOException {
    Graph graph = new Graph();
    Output input = placeholder(graph, "x", DType.FLOAT, -1, 2);
    Output w1 = constant(graph, "layer1/W", Tensor.ofFloats(Shape.of(2, 3), 1, -1, 0.5f, 2, 0, -1));
    Output b1 = constant(graph, "layer1/b", Tensor.ofFloats(Shape.of(3), 0.5f, 1, 0));
    Output h = op(graph, "Relu", "layer1/Relu", op(graph, "BiasAdd", "layer1/BiasAdd", op(graph, "MatMul", "layer1/MatMul", input, w1), b1));
    Output w2 = constant(graph, "out/W", Tensor.ofFloats(Shape.of(3, 1), 2, -0.5f, 4));
    Output b2 = constant(graph, "out/b", Tensor.ofFloats(Shape.of(1), 0.25f));
    op(graph, "AddV2", "y", op(graph, "MatMul", "out/MatMul", h, w2), b2);
    mlp = write(graph, "mlp.pb");
    x = npy("x.npy", Tensor.ofFloats(Shape.of(2, 2), 1, 2, -1, 0.5f));
  }

  @Test
  void eachFetchIsPrintedWithItsDtypeShapeAndValues() {
    CliRun run = CliRun.of("run", "--graph", mlp, "--feed", "x=" + x, "--fetch", "y", "--fetch", "layer1/Relu:0");
    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("y (float32) [2,1]" + NL + "[[11.25],\n [0.25]]" + NL
        + "layer1/Relu:0 (float32) [2,3]" + NL + "[[5.5, 0.0, 0.0],\n [0.5, 2.0, 0.0]]" + NL);
  }

  @Test
  void jsonMapsEachFetchToItsDtypeShapeAndFlatValues() {
    CliRun run = CliRun.of("run", "--graph", mlp, "--feed", "x=" + x, "--fetch", "y", "--json");
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo("{\"y\": {\"dtype\": \"float32\", \"shape\": [2, 1], \"values\": [11.25, 0.25]}}" + NL);
  }

  @Test
  void aTextGraphDefRunsTheSame() throws IOException {
    String text = dir.resolve("mlp.pbtxt").toString();
    GraphIO.write(io, GraphIO.readGraphDef(io, mlp), text, true);
    assertThat(CliRun.of("run", "--graph", text, "--feed", "x=" + x, "--fetch", "y", "--json").out()).contains("[11.25, 0.25]");
  }

  @Test
  void outWritesEachFetchAsNpyNamedAfterTheTensor() throws IOException {
    Path out = dir.resolve("fetched");
    CliRun run = CliRun.of("run", "--graph", mlp, "--feed", "x=" + x, "--fetch", "y", "--fetch", "layer1/Relu:0", "--out", out.toString());
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("y (float32) [2,1] -> " + out.resolve("y.npy") + NL)
        .contains("layer1/Relu:0 (float32) [2,3] -> " + out.resolve("layer1_Relu_0.npy") + NL);
    assertThat(Npy.read(io.newInputFile(out.resolve("y.npy").toString()))).isEqualTo(Tensor.ofFloats(Shape.of(2, 1), 11.25f, 0.25f));
    assertThat(Npy.read(io.newInputFile(out.resolve("layer1_Relu_0.npy").toString())).shape()).isEqualTo(Shape.of(2, 3));
  }

  @Test
  void nanAndInfinitiesAreJsonStrings() throws IOException {
    Graph graph = new Graph();
    constant(graph, "c", Tensor.ofFloats(Shape.of(4), Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1.5f));
    CliRun run = CliRun.of("run", "--graph", write(graph, "c.pb"), "--fetch", "c", "--json");
    assertThat(run.out()).isEqualTo(
        "{\"c\": {\"dtype\": \"float32\", \"shape\": [4], \"values\": [\"NaN\", \"Infinity\", \"-Infinity\", 1.5]}}" + NL);
  }

  @Test
  void bigTensorsAreSummarizedAsNumpyPrintsThemUnlessAllValuesAreAskedFor() throws IOException {
    int[] values = new int[1500];
    java.util.Arrays.setAll(values, i -> i);
    Graph graph = new Graph();
    constant(graph, "big", Tensor.ofInts(Shape.of(3, 500), values));
    String big = write(graph, "big.pb");
    assertThat(CliRun.of("run", "--graph", big, "--fetch", "big").out()).isEqualTo("big (int32) [3,500]" + NL
        + "[[0, 1, 2, ..., 497, 498, 499],\n [500, 501, 502, ..., 997, 998, 999],\n [1000, 1001, 1002, ..., 1497, 1498, 1499]]" + NL);
    String all = CliRun.of("run", "--graph", big, "--fetch", "big", "--all-values").out();
    assertThat(all).endsWith("1498, 1499]]" + NL).doesNotContain("...");
  }

  @Test
  void zeroDimensionalNpyFilesFeedScalarPlaceholders() throws IOException {
    CliRun run = CliRun.of("run", "--graph", TestFixtures.prefix("tf-rust/addition/model.pb"),
        "--feed", "x=" + npy("a.npy", Tensor.ofInts(Shape.scalar(), 40)), "--feed", "y=" + npy("b.npy", Tensor.ofInts(Shape.scalar(), 2)),
        "--fetch", "z");
    assertThat(run.out()).isEqualTo("z (int32) []" + NL + "42" + NL);
  }

  @Test
  void oldGraphsTakeAnyShapeForAScalarShapedPlaceholderAsTensorFlowDoes() throws IOException {
    CliRun run = CliRun.of("run", "--graph", TestFixtures.prefix("tf-rust/multiplication/multiplication.pb"),
        "--feed", "a=" + npy("a.npy", Tensor.ofFloats(Shape.of(3), 1, 2, 3)),
        "--feed", "b=" + npy("b.npy", Tensor.ofFloats(Shape.of(3), 4, 5, 6)), "--fetch", "c", "--json");
    assertThat(run.out()).contains("\"values\": [4.0, 10.0, 18.0]");
  }

  @Test
  void aFrozenGraphAndItsCheckpointScoreTheSame() throws IOException {
    String xs = npy("X.npy", Tensor.ofFloats(Shape.of(3), 1, 2, -3));
    String regression = TestFixtures.prefix("tf2onnx/regression");
    CliRun frozen = CliRun.of("run", "--graph", regression + "/graphdef/frozen.pb", "--feed", "X=" + xs, "--fetch", "pred", "--json");
    CliRun restored = CliRun.of("run", "--meta", regression + "/checkpoint/model.meta", "--checkpoint", regression + "/checkpoint",
        "--feed", "X=" + xs, "--fetch", "pred", "--json");
    float w = 0.21396178f;
    float b = 1.0495254f;
    String expected = "{\"pred\": {\"dtype\": \"float32\", \"shape\": [3], \"values\": [" + (double) (1 * w + b) + ", "
        + (double) (2 * w + b) + ", " + (double) (-3 * w + b) + "]}}" + NL;
    assertThat(frozen.err()).isEmpty();
    assertThat(frozen.out()).isEqualTo(expected);
    assertThat(restored.err()).isEmpty();
    assertThat(restored.out()).isEqualTo(expected);
  }

  @Test
  void aCheckpointAloneBringsItsOwnMetaGraph() throws IOException {
    CliRun run = CliRun.of("run", "--checkpoint", TestFixtures.prefix("tf2onnx/regression/checkpoint/model"), "--fetch", "W", "--fetch", "b");
    assertThat(run.out()).isEqualTo("W (float32) []" + NL + "0.21396178007125854" + NL + "b (float32) []" + NL + "1.0495253801345825" + NL);
  }

  @Test
  void repeatRunsTheTargetsNTimesFromTheRestoredValue() throws IOException {
    Graph graph = new Graph();
    Operation counter = graph.opBuilder("VariableV2", "counter").setAttr("dtype", DType.FLOAT).setAttr("shape", Shape.scalar()).build();
    Output read = op(graph, "Identity", "counter/read", counter.output(0));
    Output next = op(graph, "AddV2", "next", read, constant(graph, "one", Tensor.scalar(1f)));
    graph.opBuilder("Assign", "increment").addInput(counter.output(0)).addInput(next).setAttr("T", DType.FLOAT).build();
    String meta = dir.resolve("counter.meta").toString();
    GraphIO.write(io, MetaGraphDef.newBuilder().setGraphDef(graph.toGraphDef()).build(), meta, false);
    String prefix = dir.resolve("ckpt/model").toString();
    try (BundleWriter writer = BundleWriter.create(io, prefix)) {
      writer.add("counter", Tensor.scalar(10f));
      writer.finish();
    }

    CliRun run = CliRun.of("run", "--meta", meta, "--checkpoint", prefix, "--target", "increment", "--repeat", "3", "--fetch", "increment");
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo("increment (float32) []" + NL + "13.0" + NL);
    assertThat(CliRun.of("run", "--meta", meta, "--checkpoint", prefix, "--target", "increment", "--repeat", "2").out())
        .isEqualTo("Ran increment 2 times" + NL);

    String saved = dir.resolve("trained/model").toString();
    CliRun save = CliRun.of("run", "--meta", meta, "--checkpoint", prefix, "--target", "increment", "--repeat", "5", "--save", saved);
    assertThat(save.out()).isEqualTo("Ran increment 5 times" + NL + "Saved " + saved + NL);
    assertThat(CliRun.of("run", "--checkpoint", saved, "--fetch", "counter").out()).isEqualTo("counter (float32) []" + NL + "15.0" + NL);
    assertThat(dir.resolve("trained/checkpoint")).exists();
  }

  @Test
  void aMissingFeedIsTensorFlowsPlaceholderError() {
    CliRun run = CliRun.of("run", "--graph", mlp, "--fetch", "y");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("sparkpoint run: error: Node 'x' (op Placeholder): You must feed a value for placeholder "
        + "tensor 'x' with dtype float and shape [?,2]" + NL);
  }

  @Test
  void aFeedOfTheWrongDtypeNamesTheFeedTheFileAndTheFix() throws IOException {
    String doubles = npy("x64.npy", Tensor.ofDoubles(Shape.of(2, 2), 1, 2, 3, 4));
    CliRun run = CliRun.of("run", "--graph", mlp, "--feed", "x=" + doubles, "--fetch", "y");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("sparkpoint run: error: Cannot feed x from " + doubles + ": it holds float64 [2,2], but "
        + "placeholder x takes float32; save it with that dtype, e.g. np.save(path, arr.astype('float32'))" + NL);
  }

  @Test
  void aFeedOfTheWrongShapeNamesTheDeclaredShape() throws IOException {
    String row = npy("row.npy", Tensor.ofFloats(Shape.of(3), 1, 2, 3));
    CliRun run = CliRun.of("run", "--graph", mlp, "--feed", "x=" + row, "--fetch", "y");
    assertThat(run.err()).isEqualTo("sparkpoint run: error: Cannot feed x from " + row + ": it holds float32 [3], but "
        + "placeholder x takes shape [?,2]" + NL);
  }

  @Test
  void unknownFetchesAndFeedsAreTensorFlowsWords() {
    assertThat(CliRun.of("run", "--graph", mlp, "--feed", "x=" + x, "--fetch", "nope").err()).isEqualTo("sparkpoint run: error: "
        + "The name 'nope:0' refers to a Tensor which does not exist. The operation, 'nope', does not exist in the graph." + NL);
    assertThat(CliRun.of("run", "--graph", mlp, "--feed", "z=" + x, "--fetch", "y").err()).isEqualTo("sparkpoint run: error: "
        + "The name 'z:0' refers to a Tensor which does not exist. The operation, 'z', does not exist in the graph." + NL);
  }

  @Test
  void anUnsupportedOpIsNamedWithItsNode() throws IOException {
    Graph graph = new Graph();
    Output jpeg = constant(graph, "jpeg", Tensor.ofStrings(Shape.scalar(), "not really a jpeg"));
    graph.opBuilder("DecodeJpeg", "image").addInput(jpeg).build();
    CliRun run = CliRun.of("run", "--graph", write(graph, "decode.pb"), "--fetch", "image");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("sparkpoint run: error: Op DecodeJpeg is not supported by Sparkpoint (node image)" + NL);
  }

  @Test
  void aMissingFeedFileOrGraphIsOneLineNamingIt() {
    String missing = dir.resolve("missing.npy").toString();
    CliRun run = CliRun.of("run", "--graph", mlp, "--feed", "x=" + missing, "--fetch", "y");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("sparkpoint run: error: ").contains(missing);
    CliRun noGraph = CliRun.of("run", "--graph", dir.resolve("none.pb").toString(), "--fetch", "y");
    assertThat(noGraph.err()).isEqualTo("sparkpoint run: error: Cannot find the GraphDef " + dir.resolve("none.pb") + NL);
  }

  @Test
  void aVariableMissingFromTheCheckpointIsTensorFlowsKeyError() throws IOException {
    String prefix = dir.resolve("empty/model").toString();
    try (BundleWriter writer = BundleWriter.create(io, prefix)) {
      writer.add("other", Tensor.scalar(1f));
      writer.finish();
    }
    CliRun run = CliRun.of("run", "--meta", TestFixtures.prefix("tf2onnx/regression/checkpoint/model.meta"), "--checkpoint", prefix,
        "--fetch", "W");
    assertThat(run.err()).startsWith("sparkpoint run: error: Restoring from checkpoint failed. This is most likely due to a Variable name")
        .contains("Key W not found in checkpoint " + prefix);
  }

  @Test
  void badCombinationsAreBadUsage() {
    CliRun both = CliRun.of("run", "--graph", mlp, "--checkpoint", "c", "--fetch", "y");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--graph reads a GraphDef without variables; it cannot be combined with --meta or --checkpoint");
    CliRun none = CliRun.of("run", "--fetch", "y");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("Missing the graph: give --graph G.pb, or --meta M.meta and/or --checkpoint DIR_OR_PREFIX");
    CliRun nothing = CliRun.of("run", "--graph", mlp);
    assertThat(nothing.code()).isEqualTo(2);
    assertThat(nothing.err()).contains("Nothing to run: give at least one --fetch or --target");
    CliRun zero = CliRun.of("run", "--graph", mlp, "--fetch", "y", "--repeat", "0");
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("Invalid --repeat 0: must be at least 1");
    CliRun noEquals = CliRun.of("run", "--graph", mlp, "--feed", "x", "--fetch", "y");
    assertThat(noEquals.code()).isEqualTo(2);
    assertThat(noEquals.err()).contains("--feed");
  }

  private String write(Graph graph, String name) throws IOException {
    String location = dir.resolve(name).toString();
    GraphIO.write(io, graph.toGraphDef(), location, false);
    return location;
  }

  private String npy(String name, Tensor value) throws IOException {
    String location = dir.resolve(name).toString();
    Npy.write(io.newOutputFile(location), value);
    return location;
  }

  private static Output placeholder(Graph graph, String name, DType dtype, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long dim : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
    }
    return graph.opBuilder("Placeholder", name).setAttr("dtype", dtype)
        .setAttr("shape", AttrValue.newBuilder().setShape(shape).build()).build().output(0);
  }

  private static Output constant(Graph graph, String name, Tensor value) {
    return graph.opBuilder("Const", name).setAttr("value", value).setAttr("dtype", value.dtype()).build().output(0);
  }

  private static Output op(Graph graph, String type, String name, Output... inputs) {
    var builder = graph.opBuilder(type, name);
    for (Output input : inputs) {
      builder.addInput(input);
    }
    return builder.setAttr("T", DType.FLOAT).build().output(0);
  }
}
