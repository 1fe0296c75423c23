package io.sparkpoint.bench;

import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Forward-pass throughput of the same GraphDef and batch in our Session and in TensorFlow 2.18 (the
 * tf-oracle's {@code bench-graph}, its own JVM, run right after ours):
 * <ul>
 *   <li>MLP 784-512-256-10 (MatMul, BiasAdd, Relu, Softmax), batch 256;
 *   <li>small CNN, batch 64: 28x28x1, Conv2D 5x5x32 SAME + BiasAdd + Relu, MaxPool 2x2, Conv2D 5x5x64 SAME + BiasAdd + Relu,
 *       MaxPool 2x2, Reshape, MatMul 3136x10, BiasAdd, Softmax;
 *   <li>per-op overhead: a chain of 1000 AddV2 on float scalars, time per op.
 * </ul>
 * Weights are Consts (a frozen model, as users score it); inputs are uniform [-1, 1). Each side runs
 * {@code warmup} untimed iterations, then {@code iters} timed ones; medians are compared.
 *
 * <p>Arguments: {@code [warmup=20] [iters=100] [dir]}.
 */
public final class ForwardBench {
  private ForwardBench() {}

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int iters = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("sparkpoint-forward-bench");
    Files.createDirectories(dir);
    System.out.printf(Locale.ROOT, "Forward pass, median of %d runs after %d warm-up runs; speed = TF time / our time%n%n", iters, warmup);
    System.out.println("| model | Sparkpoint ms | TensorFlow 2.18 ms | speed vs TF | examples/s (ours) |");
    System.out.println("|---|---|---|---|---|");
    compare("MLP 784-512-256-10, batch 256", mlp(), "x", Shape.of(256, 784), "probs:0", dir, warmup, iters, 256);
    compare("MLP's first MatMul alone (256x784 by 784x512)", firstMatMul(), "x", Shape.of(256, 784), "layer1/MatMul:0", dir, warmup,
        iters, 256);
    compare("CNN 2 conv + 2 pool + dense, batch 64", cnn(), "x", Shape.of(64, 28, 28, 1), "probs:0", dir, warmup, iters, 64);
    int chain = 1000;
    double[] perOp = compare("chain of " + chain + " scalar AddV2 (per-op overhead)", chain(chain), "x", Shape.scalar(),
        "add_" + (chain - 1) + ":0", dir, warmup, iters, 1);
    System.out.printf(Locale.ROOT, "%nPer-op overhead: Sparkpoint %.2f µs/op, TensorFlow %.2f µs/op%n",
        perOp[0] * 1000 / chain, perOp[1] * 1000 / chain);
  }

  /** Times ours, then TF's; prints a row; returns {ours ms, tf ms}. */
  private static double[] compare(String label, Graph graph, String input, Shape shape, String fetch, Path dir, int warmup,
      int iters, int examples) throws Exception {
    Path file = dir.resolve(label.replaceAll("[^A-Za-z0-9]+", "_") + ".pb");
    Files.write(file, graph.toGraphDef().toByteArray());
    Session session = new Session(graph);
    Map<String, Tensor> feeds = Map.of(input + ":0", uniform(shape, 7));
    double[] times = new double[iters];
    for (int i = 0; i < warmup + iters; i++) {
      long start = System.nanoTime();
      session.run(feeds, List.of(fetch));
      if (i >= warmup) {
        times[i - warmup] = (System.nanoTime() - start) / 1e6;
      }
    }
    double ours = BenchSupport.median(times);
    String dims = shape.isScalar() ? "" : joinDims(shape);
    List<String> args = new ArrayList<>(List.of("bench-graph", file.toString(), Integer.toString(warmup), Integer.toString(iters)));
    args.addAll(List.of("--random", input + "=" + dims, "--fetch", fetch));
    double tf = parseMedian(BenchSupport.oracle(args.toArray(String[]::new)));
    System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.2fx | %.0f |%n", label, ours, tf, tf / ours, examples * 1000 / ours);
    return new double[] {ours, tf};
  }

  private static double parseMedian(String output) {
    for (String line : output.split("\n")) {
      if (line.startsWith("bench-graph ")) {
        return Double.parseDouble(line.replaceAll(".*median_ms=([0-9.]+).*", "$1"));
      }
    }
    throw new IllegalStateException("The oracle printed no timing: " + output);
  }

  private static String joinDims(Shape shape) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < shape.rank(); i++) {
      text.append(i == 0 ? "" : "x").append(shape.dim(i));
    }
    return text.toString();
  }

  // ------------------------------------------------------------------ models

  static Graph mlp() {
    Graph g = new Graph();
    Output x = placeholder(g, -1, 784);
    Output h1 = dense(g, "layer1", x, 784, 512, true);
    Output h2 = dense(g, "layer2", h1, 512, 256, true);
    Output logits = dense(g, "logits", h2, 256, 10, false);
    g.opBuilder("Softmax", "probs").addInput(logits).setAttr("T", DType.FLOAT).build();
    return g;
  }

  /** Only the MLP's first layer's MatMul: our GEMM against TF's, everything else left out. */
  static Graph firstMatMul() {
    Graph g = new Graph();
    Output x = placeholder(g, -1, 784);
    Output w = constant(g, "layer1/kernel", uniform(Shape.of(784, 512), "layer1".hashCode(), Math.sqrt(1.0 / 784)));
    g.opBuilder("MatMul", "layer1/MatMul").addInput(x).addInput(w).setAttr("T", DType.FLOAT).build();
    return g;
  }

  static Graph cnn() {
    Graph g = new Graph();
    Output x = placeholder(g, -1, 28, 28, 1);
    Output c1 = pool(g, "pool1", conv(g, "conv1", x, 1, 32));
    Output c2 = pool(g, "pool2", conv(g, "conv2", c1, 32, 64));
    Output flat = g.opBuilder("Reshape", "flatten").addInput(c2).addInput(constant(g, "flatten/shape", Tensor.ofInts(Shape.of(2), -1, 7 * 7 * 64)))
        .setAttr("T", DType.FLOAT).build().output(0);
    Output logits = dense(g, "logits", flat, 7 * 7 * 64, 10, false);
    g.opBuilder("Softmax", "probs").addInput(logits).setAttr("T", DType.FLOAT).build();
    return g;
  }

  static Graph chain(int length) {
    Graph g = new Graph();
    Output x = g.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT).setAttr("shape", Shape.scalar()).build().output(0);
    Output one = constant(g, "one", Tensor.scalar(1f));
    Output v = x;
    for (int i = 0; i < length; i++) {
      v = g.opBuilder("AddV2", "add_" + i).addInput(v).addInput(one).setAttr("T", DType.FLOAT).build().output(0);
    }
    return g;
  }

  /** A float Placeholder {@code x}; -1 is an unknown dimension (the batch). */
  private static Output placeholder(Graph g, long... dims) {
    io.sparkpoint.proto.TensorShapeProto.Builder shape = io.sparkpoint.proto.TensorShapeProto.newBuilder();
    for (long dim : dims) {
      shape.addDim(io.sparkpoint.proto.TensorShapeProto.Dim.newBuilder().setSize(dim));
    }
    return g.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT)
        .setAttr("shape", io.sparkpoint.proto.AttrValue.newBuilder().setShape(shape).build()).build().output(0);
  }

  private static Output dense(Graph g, String name, Output in, int from, int to, boolean relu) {
    Output w = constant(g, name + "/kernel", uniform(Shape.of(from, to), name.hashCode(), Math.sqrt(1.0 / from)));
    Output b = constant(g, name + "/bias", uniform(Shape.of(to), name.hashCode() + 1, 0.1));
    Output mm = g.opBuilder("MatMul", name + "/MatMul").addInput(in).addInput(w).setAttr("T", DType.FLOAT).build().output(0);
    Output out = g.opBuilder("BiasAdd", name + "/BiasAdd").addInput(mm).addInput(b).setAttr("T", DType.FLOAT).build().output(0);
    return relu ? g.opBuilder("Relu", name + "/Relu").addInput(out).setAttr("T", DType.FLOAT).build().output(0) : out;
  }

  private static Output conv(Graph g, String name, Output in, int inChannels, int outChannels) {
    Output w = constant(g, name + "/kernel", uniform(Shape.of(5, 5, inChannels, outChannels), name.hashCode(), Math.sqrt(1.0 / (25 * inChannels))));
    Output b = constant(g, name + "/bias", uniform(Shape.of(outChannels), name.hashCode() + 1, 0.1));
    io.sparkpoint.proto.AttrValue strides = ints(1, 1, 1, 1);
    Output c = g.opBuilder("Conv2D", name + "/Conv2D").addInput(in).addInput(w).setAttr("T", DType.FLOAT).setAttr("strides", strides)
        .setAttr("padding", "SAME").build().output(0);
    Output out = g.opBuilder("BiasAdd", name + "/BiasAdd").addInput(c).addInput(b).setAttr("T", DType.FLOAT).build().output(0);
    return g.opBuilder("Relu", name + "/Relu").addInput(out).setAttr("T", DType.FLOAT).build().output(0);
  }

  private static Output pool(Graph g, String name, Output in) {
    return g.opBuilder("MaxPool", name).addInput(in).setAttr("T", DType.FLOAT).setAttr("ksize", ints(1, 2, 2, 1))
        .setAttr("strides", ints(1, 2, 2, 1)).setAttr("padding", "VALID").build().output(0);
  }

  private static io.sparkpoint.proto.AttrValue ints(long... values) {
    io.sparkpoint.proto.AttrValue.ListValue.Builder list = io.sparkpoint.proto.AttrValue.ListValue.newBuilder();
    for (long v : values) {
      list.addI(v);
    }
    return io.sparkpoint.proto.AttrValue.newBuilder().setList(list).build();
  }

  private static Output constant(Graph g, String name, Tensor value) {
    return g.opBuilder("Const", name).setAttr("dtype", value.dtype()).setAttr("value", value).build().output(0);
  }

  private static Tensor uniform(Shape shape, long seed) {
    return uniform(shape, seed, 1.0);
  }

  private static Tensor uniform(Shape shape, long seed, double scale) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[Math.toIntExact(shape.numElements())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
    }
    return Tensor.ofFloats(shape, values);
  }
}
