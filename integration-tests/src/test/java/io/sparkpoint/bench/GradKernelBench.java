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
import java.util.function.BiFunction;

/**
 * The gradient kernels on the MLP benchmark's largest activation (float32 [256, 512]) in our Session
 * and in TensorFlow 2.18 (the tf-oracle's {@code bench-graph}): each op in a chain of 1 and of 21
 * nodes fed the same two random inputs, a Sum at the end; the time per op is the difference of the
 * medians over 20. In the chain each node's input is the previous node's fresh output, so both
 * runtimes may write in place (TF forwards buffers, we overwrite), as in a training step.
 * BiasAddGrad, whose result is a [512] vector, is timed as the difference between a chain of
 * BiasAdd(x, BiasAddGrad(x)) and one of BiasAdd(x, c) (side-by-side BiasAddGrads of one input would
 * be merged by TF's graph optimizer).
 *
 * <p>Arguments: {@code [warmup=200] [iters=200] [dir]}. Run from integration-tests, after a build, with
 * {@code java -Dsparkpoint.oracle.classes=tf-oracle/target/classes -cp <its test classpath>
 * io.sparkpoint.bench.GradKernelBench 300 300}. On a loaded 2-vCPU machine the figures move by tens
 * of percent between runs.
 */
public final class GradKernelBench {
  private static final Shape SHAPE = Shape.of(256, 512);

  private GradKernelBench() {}

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int iters = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("sparkpoint-grad-bench");
    Files.createDirectories(dir);
    // the first graph a JVM runs is slow for longer than its warm-up: one untimed round first
    time("warm-up", chain(21, (g, in) -> op(g, "ReluGrad", in, g.getTensorByName("b:0"))), dir, warmup, 1);
    System.out.println("| op on [256,512] float32 | Sparkpoint µs/op | TensorFlow 2.18 µs/op | speed vs TF | chains of 1 and 21, ms: ours; TF |");
    System.out.println("|---|---|---|---|---|");
    row("ReluGrad(gradients, features)", (g, in) -> op(g, "ReluGrad", in, g.getTensorByName("b:0")), dir, warmup, iters);
    row("SigmoidGrad(y, dy)", (g, in) -> op(g, "SigmoidGrad", g.getTensorByName("b:0"), in), dir, warmup, iters);
    row("TanhGrad(y, dy)", (g, in) -> op(g, "TanhGrad", g.getTensorByName("b:0"), in), dir, warmup, iters);
    row("AddN(x, b)", (g, in) -> g.opBuilder("AddN", "n" + g.size()).addInput(in).addInput(g.getTensorByName("b:0"))
        .setAttr("N", 2L).setAttr("T", DType.FLOAT).build().output(0), dir, warmup, iters);
    row("BiasAdd(x, c), for the next row", (g, in) -> biasAdd(g, in, g.getTensorByName("c:0")), dir, warmup, iters);
    row("BiasAdd(x, BiasAddGrad(x))", (g, in) -> biasAdd(g, in,
        g.opBuilder("BiasAddGrad", "bg" + g.size()).addInput(in).setAttr("T", DType.FLOAT).build().output(0)), dir, warmup, iters);
  }

  private static Output biasAdd(Graph g, Output value, Output bias) {
    return g.opBuilder("BiasAdd", "ba" + g.size()).addInput(value).addInput(bias).setAttr("T", DType.FLOAT).build().output(0);
  }

  private static Output op(Graph g, String type, Output x, Output y) {
    return g.opBuilder(type, type + g.size()).addInput(x).addInput(y).setAttr("T", DType.FLOAT).build().output(0);
  }

  private static void row(String label, BiFunction<Graph, Output, Output> link, Path dir, int warmup, int iters)
      throws Exception {
    double[] one = time(label, chain(1, link), dir, warmup, iters);
    double[] many = time(label, chain(21, link), dir, warmup, iters);
    double ours = (many[0] - one[0]) * 1000 / 20;
    double tf = (many[1] - one[1]) * 1000 / 20;
    System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2fx | %.3f, %.3f; %.3f, %.3f |%n", label, ours, tf, tf / ours,
        one[0], many[0], one[1], many[1]);
  }

  /** A chain of {@code length} links from placeholder a (b, and a Const c [512], are there to use). */
  private static Graph chain(int length, BiFunction<Graph, Output, Output> link) {
    Graph g = new Graph();
    Output v = placeholder(g, "a");
    placeholder(g, "b");
    g.opBuilder("Const", "c").setAttr("dtype", DType.FLOAT).setAttr("value", uniform(Shape.of(512), 3)).build();
    for (int i = 0; i < length; i++) {
      v = link.apply(g, v);
    }
    Output axes = g.opBuilder("Const", "axes").setAttr("dtype", DType.INT32)
        .setAttr("value", Tensor.ofInts(Shape.of(2), 0, 1)).build().output(0);
    g.opBuilder("Sum", "sum").addInput(v).addInput(axes).setAttr("T", DType.FLOAT).build();
    return g;
  }

  private static Output placeholder(Graph g, String name) {
    return g.opBuilder("Placeholder", name).setAttr("dtype", DType.FLOAT).setAttr("shape", SHAPE).build().output(0);
  }

  /** {ours ms, tf ms}: medians. */
  private static double[] time(String label, Graph graph, Path dir, int warmup, int iters) throws Exception {
    Path file = dir.resolve(label.replaceAll("[^A-Za-z0-9]+", "_") + graph.size() + ".pb");
    Files.write(file, graph.toGraphDef().toByteArray());
    Session session = new Session(graph);
    Map<String, Tensor> feeds = Map.of("a:0", uniform(SHAPE, 1), "b:0", uniform(SHAPE, 2));
    double[] times = new double[iters];
    for (int i = 0; i < warmup + iters; i++) {
      long start = System.nanoTime();
      session.run(feeds, List.of("sum:0"));
      if (i >= warmup) {
        times[i - warmup] = (System.nanoTime() - start) / 1e6;
      }
    }
    List<String> args = new ArrayList<>(List.of("bench-graph", file.toString(), Integer.toString(warmup),
        Integer.toString(iters), "--random", "a=256x512", "--random", "b=256x512", "--fetch", "sum:0"));
    String output = BenchSupport.oracle(args.toArray(String[]::new));
    double tf = Double.NaN;
    for (String line : output.split("\n")) {
      if (line.startsWith("bench-graph ")) {
        tf = Double.parseDouble(line.replaceAll(".*median_ms=([0-9.]+).*", "$1"));
      }
    }
    return new double[] {BenchSupport.median(times), tf};
  }

  private static Tensor uniform(Shape shape, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[Math.toIntExact(shape.numElements())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    return Tensor.ofFloats(shape, values);
  }
}
