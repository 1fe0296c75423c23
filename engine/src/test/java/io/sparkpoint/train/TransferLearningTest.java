package io.sparkpoint.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.checkpoint.CheckpointReader;
import io.sparkpoint.exec.Session;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.graph.Output;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.saver.Saver;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The note's transfer-learning recipe (§3.6): a small VGG-style net is trained and saved; a new job
 * imports its meta graph, takes {@code conv1_2:0} by name, applies stop_gradient, adds a 1x1 conv
 * with bias and relu and a dense head, and trains only those. Then the same by partial restore: the
 * base weights go into a freshly built graph through a name map.
 */
class TransferLearningTest {
  private static final List<String> BASE = List.of("conv1_1/weights", "conv1_1/biases", "conv1_2/weights", "conv1_2/biases");
  private final FileIO io = new LocalFileIO();
  private final Random random = new Random(3);
  @TempDir Path dir;
  private String base;
  private Map<String, Tensor> batch;

  private Tensor normal(Shape shape, double stddev) {
    float[] v = new float[Math.toIntExact(shape.numElements())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextGaussian() * stddev);
    }
    return Tensor.ofFloats(shape, v);
  }

  private static AttrValue ints(long... values) {
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    for (long v : values) {
      list.addI(v);
    }
    return AttrValue.newBuilder().setList(list).build();
  }

  private static Output op(Graph g, String type, String name, Output... inputs) {
    var builder = g.opBuilder(type, name);
    for (Output input : inputs) {
      builder.addInput(input);
    }
    return builder.setAttr("T", DType.FLOAT).build().output(0);
  }

  private static Output conv(Graph g, String name, Output x, Output w) {
    return g.opBuilder("Conv2D", name).addInput(x).addInput(w).setAttr("T", DType.FLOAT).setAttr("strides", ints(1, 1, 1, 1))
        .setAttr("padding", "SAME").build().output(0);
  }

  private static Output constInts(Graph g, String name, int... values) {
    return g.opBuilder("Const", name).setAttr("dtype", DType.INT32).setAttr("value", Tensor.ofInts(Shape.of(values.length), values))
        .build().output(0);
  }

  /** Mean sparse softmax cross-entropy of logits against the int64 {@code labels} placeholder. */
  private static Output loss(Graph g, String name, Output logits, Output labels) {
    Output xent = g.opBuilder("SparseSoftmaxCrossEntropyWithLogits", name + "/xent").addInput(logits).addInput(labels)
        .setAttr("T", DType.FLOAT).setAttr("Tlabels", DType.INT64).build().output(0);
    return g.opBuilder("Mean", name).addInput(xent).addInput(constInts(g, name + "/axis", 0)).setAttr("T", DType.FLOAT).build().output(0);
  }

  /** input [n,8,8,1] → conv1_1 (3x3x1x4, relu) → conv1_2 (3x3x4x4, relu) → max-pool → fc → loss. */
  private Graph baseNet(String scope) {
    Graph g = new Graph();
    Output x = g.opBuilder("Placeholder", "input").setAttr("dtype", DType.FLOAT).build().output(0);
    Output labels = g.opBuilder("Placeholder", "labels").setAttr("dtype", DType.INT64).build().output(0);
    Output w11 = Variables.variable(g, scope + "conv1_1/weights", normal(Shape.of(3, 3, 1, 4), 0.3));
    Output b11 = Variables.variable(g, scope + "conv1_1/biases", Tensor.ofFloats(Shape.of(4), 0.1f, 0.1f, 0.1f, 0.1f));
    Output w12 = Variables.variable(g, scope + "conv1_2/weights", normal(Shape.of(3, 3, 4, 4), 0.3));
    Output b12 = Variables.variable(g, scope + "conv1_2/biases", Tensor.ofFloats(Shape.of(4), 0.1f, 0.1f, 0.1f, 0.1f));
    Output c11 = op(g, "Relu", "conv1_1", op(g, "BiasAdd", "conv1_1/BiasAdd", conv(g, "conv1_1/Conv2D", x, w11), b11));
    Output c12 = op(g, "Relu", "conv1_2", op(g, "BiasAdd", "conv1_2/BiasAdd", conv(g, "conv1_2/Conv2D", c11, w12), b12));
    Output pool = g.opBuilder("MaxPool", "pool1").addInput(c12).setAttr("T", DType.FLOAT).setAttr("ksize", ints(1, 2, 2, 1))
        .setAttr("strides", ints(1, 2, 2, 1)).setAttr("padding", "VALID").build().output(0);
    Output flat = g.opBuilder("Reshape", "flatten").addInput(pool).addInput(constInts(g, "flatten/shape", -1, 64)).setAttr("T", DType.FLOAT)
        .build().output(0);
    Output wf = Variables.variable(g, scope + "fc/weights", normal(Shape.of(64, 3), 0.2));
    Output bf = Variables.variable(g, scope + "fc/biases", Tensor.ofFloats(Shape.of(3), 0, 0, 0));
    loss(g, "loss", op(g, "BiasAdd", "fc/BiasAdd", op(g, "MatMul", "fc/MatMul", flat, wf), bf), labels);
    return g;
  }

  private float loss(Session session, String loss, String train) {
    return (float) session.run(batch, List.of(loss), train == null ? List.of() : List.of(train)).get(0).doubleAt(0);
  }

  @BeforeEach
  void trainAndSaveTheBase() {
    float[] images = new float[4 * 64];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) Math.sin(i * 0.37);
    }
    batch = Map.of("input:0", Tensor.ofFloats(Shape.of(4, 8, 8, 1), images), "labels:0", Tensor.ofLongs(Shape.of(4), 0, 1, 2, 1));
    Graph g = baseNet("");
    String train = new GradientDescentOptimizer(0.1).minimize(g, g.getTensorByName("loss:0")).name();
    Variables.globalVariablesInitializer(g);
    Session session = new Session(g).withService(FileIO.class, io);
    session.run(Map.of(), List.of(), List.of("init"));
    float first = loss(session, "loss:0", train);
    for (int step = 0; step < 10; step++) {
      loss(session, "loss:0", train);
    }
    assertThat(loss(session, "loss:0", null)).as("the base net learned").isLessThan(first);
    base = Saver.builder(g).build().save(session, dir.resolve("base").resolve("vgg.ckpt").toString());
  }

  /** Adds the new head on top of {@code features} [n,8,8,4]; returns the new variables' names and the head's loss. */
  private List<String> head(Graph g, Output features) {
    Output sg = op(g, "StopGradient", "StopGradient", features);
    Output w1 = Variables.variable(g, "W1", normal(Shape.of(1, 1, 4, 8), 0.1));
    Output b1 = Variables.variable(g, "b1", Tensor.ofFloats(Shape.of(8), 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f));
    Output a = op(g, "Relu", "Relu", op(g, "AddV2", "add", conv(g, "Conv2D", sg, w1), b1));
    Output flat = g.opBuilder("Reshape", "head/flatten").addInput(a).addInput(constInts(g, "head/shape", -1, 512)).setAttr("T", DType.FLOAT)
        .build().output(0);
    Output w2 = Variables.variable(g, "W2", normal(Shape.of(512, 3), 0.05));
    Output b2 = Variables.variable(g, "b2", Tensor.ofFloats(Shape.of(3), 0, 0, 0));
    loss(g, "head_loss", op(g, "BiasAdd", "head/BiasAdd", op(g, "MatMul", "head/MatMul", flat, w2), b2), g.getTensorByName("labels:0"));
    return List.of("W1", "b1", "W2", "b2");
  }

  private Map<String, Tensor> values(Session session, List<String> variables) {
    Map<String, Tensor> values = new LinkedHashMap<>();
    List<String> fetches = variables.stream().map(v -> v + ":0").toList();
    List<Tensor> got = session.run(Map.of(), fetches);
    for (int i = 0; i < variables.size(); i++) {
      values.put(variables.get(i), got.get(i));
    }
    return values;
  }

  private void trainTheHead(Graph g, Session session, List<TrainableVariable> varList, List<String> baseNames, List<String> newNames)
      throws Exception {
    String train = new GradientDescentOptimizer(0.05).minimize(g, g.getTensorByName("head_loss:0"), varList, null).name();
    Map<String, Tensor> newBefore = values(session, newNames);
    float first = loss(session, "head_loss:0", train);
    for (int step = 0; step < 15; step++) {
      loss(session, "head_loss:0", train);
    }
    assertThat(loss(session, "head_loss:0", null)).as("the head's loss fell").isLessThan(first);
    CheckpointReader reader = CheckpointReader.open(io, base);
    Map<String, Tensor> baseAfter = values(session, baseNames);
    for (int i = 0; i < BASE.size(); i++) {
      assertThat(baseAfter.get(baseNames.get(i))).as("%s is frozen, bit for bit", baseNames.get(i)).isEqualTo(reader.getTensor(BASE.get(i)));
    }
    Map<String, Tensor> newAfter = values(session, newNames);
    for (String name : newNames) {
      assertThat(newAfter.get(name)).as("%s was trained", name).isNotEqualTo(newBefore.get(name));
    }
  }

  @Test
  void importTakeAnIntermediateTensorStopGradientAndTrainOnlyTheNewLayers() throws Exception {
    Graph g = new Graph();
    Saver baseSaver = Saver.fromSaverDef(g, MetaGraphs.importMetaGraph(g, MetaGraphs.read(io, base + ".meta"),
        MetaGraphs.ImportOptions.defaults()));
    List<String> newNames = head(g, g.getTensorByName("conv1_2:0"));
    List<TrainableVariable> newVariables = newNames.stream().map(n -> TrainableVariable.named(g, n)).toList();
    String init = Variables.globalVariablesInitializer(g).name();
    Session session = new Session(g).withService(FileIO.class, io);
    session.run(Map.of(), List.of(), List.of(init));
    baseSaver.restore(session, base);

    trainTheHead(g, session, newVariables, BASE, newNames);

    String both = Saver.builder(g).build().save(session, dir.resolve("transfer").resolve("model.ckpt").toString());
    assertThat(CheckpointReader.open(io, both).variableToShapeMap()).containsKeys("conv1_1/weights", "conv1_2/biases", "fc/weights",
        "W1", "b1", "W2", "b2");
  }

  @Test
  void trainingEveryVariableStillLeavesTheFrozenPartAlone() throws Exception {
    Graph g = new Graph();
    Saver baseSaver = Saver.fromSaverDef(g, MetaGraphs.importMetaGraph(g, MetaGraphs.read(io, base + ".meta"),
        MetaGraphs.ImportOptions.defaults()));
    List<String> newNames = head(g, g.getTensorByName("conv1_2:0"));
    List<GradAndVar> grads = new GradientDescentOptimizer(0.05).computeGradients(g, g.getTensorByName("head_loss:0"),
        TrainableVariable.all(g));
    assertThat(grads.stream().filter(p -> p.grad() == null).map(p -> p.variable().name()))
        .as("stop_gradient gives the base (and fc) null gradients").containsExactly(
            "conv1_1/weights", "conv1_1/biases", "conv1_2/weights", "conv1_2/biases", "fc/weights", "fc/biases");
    String init = Variables.globalVariablesInitializer(g).name();
    Session session = new Session(g).withService(FileIO.class, io);
    session.run(Map.of(), List.of(), List.of(init));
    baseSaver.restore(session, base);
    trainTheHead(g, session, TrainableVariable.all(g), BASE, newNames);
  }

  @Test
  void partialRestoreMapsTheBaseWeightsIntoAFreshGraph() throws Exception {
    Graph g = baseNet("vgg/");
    List<String> baseNames = BASE.stream().map(n -> "vgg/" + n).toList();
    Map<String, String> keyToVariable = new LinkedHashMap<>();
    for (int i = 0; i < BASE.size(); i++) {
      keyToVariable.put(BASE.get(i), baseNames.get(i));
    }
    Saver partial = Saver.builder(g).varMap(keyToVariable).build();
    List<String> newNames = head(g, g.getTensorByName("conv1_2:0"));
    String init = Variables.globalVariablesInitializer(g).name();
    Session session = new Session(g).withService(FileIO.class, io);
    session.run(Map.of(), List.of(), List.of(init));
    partial.restore(session, base);
    List<TrainableVariable> newVariables = new ArrayList<>();
    newNames.forEach(n -> newVariables.add(TrainableVariable.named(g, n)));
    trainTheHead(g, session, newVariables, baseNames, newNames);
  }
}
