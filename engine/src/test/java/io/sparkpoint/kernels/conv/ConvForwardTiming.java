package io.sparkpoint.kernels.conv;

import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A rough forward timing of the benchmark CNN (not a test, not JMH): batch 64 of 28x28x1 through
 * conv 5x5x32 SAME + bias + relu, maxpool 2, conv 5x5x64 SAME + bias + relu, maxpool 2, dense 10,
 * run by a Session; then each conv layer alone, ours and libnd4j's conv2d op for comparison.
 * Prints the median of {@code repeats} runs after warm-up. Run from the engine module with
 * {@code java -cp target/test-classes:target/classes:<classpath> io.sparkpoint.kernels.conv.ConvForwardTiming [repeats]}.
 */
public final class ConvForwardTiming {
  private ConvForwardTiming() {}

  public static void main(String[] args) {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    SplittableRandom random = new SplittableRandom(42);
    Graph graph = new Graph();
    Operation x = graph.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT)
        .setAttr("shape", Shape.of(64, 28, 28, 1)).build();
    Operation conv1 = layer(graph, "l1", x, uniform(random, 5, 5, 1, 32), uniform(random, 32));
    Operation pool1 = maxPool(graph, "p1", conv1);
    Operation conv2 = layer(graph, "l2", pool1, uniform(random, 5, 5, 32, 64), uniform(random, 64));
    Operation pool2 = maxPool(graph, "p2", conv2);
    Operation flat = graph.opBuilder("Reshape", "flat").addInput(pool2.output(0))
        .addInput(constant(graph, "flat/shape", Tensor.ofInts(Shape.of(2), 64, 7 * 7 * 64)).output(0))
        .setAttr("T", DType.FLOAT).setAttr("Tshape", DType.INT32).build();
    Operation logits = graph.opBuilder("MatMul", "dense").addInput(flat.output(0))
        .addInput(constant(graph, "dense/w", uniform(random, 7 * 7 * 64, 10)).output(0)).setAttr("T", DType.FLOAT).build();
    Session session = new Session(graph);
    Map<String, Tensor> feed = Map.of("x", uniform(random, 64, 28, 28, 1));

    report("CNN forward (Session, 2 conv + 2 pool + dense)", repeats,
        () -> session.run(feed, List.of(logits.name())));
    report("  conv layer 1 alone (Conv2D only)", repeats, () -> session.run(feed, List.of("l1/conv")));
    Tensor h1 = session.run(feed, List.of(pool1.name())).get(0);
    Map<String, Tensor> feed2 = Map.of(pool1.name(), h1);
    report("  conv layer 2 alone (Conv2D only, fed 64x14x14x32)", repeats, () -> session.run(feed2, List.of("l2/conv")));
    Tensor c1 = session.run(feed, List.of("l1/conv")).get(0);
    Tensor r1 = session.run(feed, List.of(conv1.name())).get(0);
    report("  BiasAdd 64x28x28x32 alone", repeats, () -> session.run(Map.of("l1/conv", c1), List.of("l1/bias")));
    report("  Relu 64x28x28x32 alone", repeats, () -> session.run(Map.of("l1/bias", c1), List.of(conv1.name())));
    report("  MaxPool 64x28x28x32 alone", repeats, () -> session.run(Map.of(conv1.name(), r1), List.of(pool1.name())));
    INDArray in1 = NdArrays.toNd4j(feed.get("x"));
    INDArray w1 = NdArrays.toNd4j(constValue(graph, "l1/w"));
    INDArray in2 = NdArrays.toNd4j(h1);
    INDArray w2 = NdArrays.toNd4j(constValue(graph, "l2/w"));
    report("libnd4j conv2d layer 1 (arrays already in ND4J)", repeats, () -> nativeConv(in1, w1));
    report("libnd4j conv2d layer 2 (arrays already in ND4J)", repeats, () -> nativeConv(in2, w2));
  }

  private static Operation layer(Graph graph, String name, Operation input, Tensor filter, Tensor bias) {
    Operation conv = graph.opBuilder("Conv2D", name + "/conv").addInput(input.output(0))
        .addInput(constant(graph, name + "/w", filter).output(0)).setAttr("T", DType.FLOAT)
        .setAttr("strides", ints(1, 1, 1, 1)).setAttr("padding", "SAME").build();
    Operation biased = graph.opBuilder("BiasAdd", name + "/bias").addInput(conv.output(0))
        .addInput(constant(graph, name + "/b", bias).output(0)).setAttr("T", DType.FLOAT).build();
    return graph.opBuilder("Relu", name + "/relu").addInput(biased.output(0)).setAttr("T", DType.FLOAT).build();
  }

  private static Operation maxPool(Graph graph, String name, Operation input) {
    return graph.opBuilder("MaxPool", name).addInput(input.output(0)).setAttr("T", DType.FLOAT)
        .setAttr("ksize", ints(1, 2, 2, 1)).setAttr("strides", ints(1, 2, 2, 1)).setAttr("padding", "SAME").build();
  }

  private static Operation constant(Graph graph, String name, Tensor value) {
    OperationBuilder builder = graph.opBuilder("Const", name).setAttr("dtype", value.dtype()).setAttr("value", value);
    return builder.build();
  }

  private static Tensor constValue(Graph graph, String name) {
    return new Session(graph).fetch(name);
  }

  private static AttrValue ints(long... values) {
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    Arrays.stream(values).forEach(list::addI);
    return AttrValue.newBuilder().setList(list).build();
  }

  static Tensor uniform(SplittableRandom random, long... dims) {
    Shape shape = Shape.of(dims);
    float[] values = new float[Math.toIntExact(shape.numElements())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 0.2 - 0.1);
    }
    return Tensor.ofFloats(shape, values);
  }

  private static Object nativeConv(INDArray input, INDArray filter) {
    DynamicCustomOp op = DynamicCustomOp.builder("conv2d").addInputs(input, filter)
        .addIntegerArguments(5, 5, 1, 1, 0, 0, 1, 1, 1, 1, 0).build();
    return Nd4j.exec(op)[0];
  }

  static void report(String what, int repeats, java.util.function.Supplier<Object> run) {
    for (int i = 0; i < 3; i++) {
      run.get();
    }
    double[] ms = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long start = System.nanoTime();
      run.get();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf("%-55s median %7.1f ms  best %7.1f ms  (%d runs)%n", what, ms[repeats / 2], ms[0], repeats);
  }
}
