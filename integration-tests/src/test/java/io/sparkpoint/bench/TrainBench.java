package io.sparkpoint.bench;

import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.model.ModelGenerator;
import io.sparkpoint.model.ModelSpec;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Training-step throughput, ours against TensorFlow 2.18 on the same GraphDef and batch size: the
 * graphs {@code sparkpoint model} generates (forward, our symbolic gradients, Adam, global step),
 * written once as a GraphDef; each side runs {@code init}, then {@code warmup} untimed and
 * {@code iters} timed steps ({@code train} with {@code loss:0} fetched), and the medians are
 * compared. Feeds: float32 uniform in [-1, 1) and int64 class ids, made before the clock starts.
 *
 * <p>Arguments: {@code [warmup=50] [iters=50] [dir]}.
 */
public final class TrainBench {
  private TrainBench() {}

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int iters = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("sparkpoint-train-bench");
    Files.createDirectories(dir);
    System.out.printf(Locale.ROOT, "Training step (forward, backward, Adam), median of %d steps after %d warm-up steps; "
        + "speed = TF time / our time%n%n", iters, warmup);
    System.out.println("| model | Sparkpoint ms | TensorFlow 2.18 ms | speed vs TF | examples/s (ours) |");
    System.out.println("|---|---|---|---|---|");
    compare("MLP 784-512-256-10, batch 256", new ModelSpec(ModelSpec.Kind.MLP, List.of(784L), 10, List.of(512L, 256L),
        ModelSpec.Optimizer.ADAM, 0.001, 1), 256, dir, warmup, iters);
    compare("CNN 2 conv + 2 pool + dense, batch 64", new ModelSpec(ModelSpec.Kind.CNN, List.of(28L, 28L, 1L), 10, List.of(32L, 64L),
        ModelSpec.Optimizer.ADAM, 0.001, 1), 64, dir, warmup, iters);
  }

  private static void compare(String label, ModelSpec spec, int batch, Path dir, int warmup, int iters) throws Exception {
    Graph graph = ModelGenerator.build(spec);
    Path file = dir.resolve(label.replaceAll("[^A-Za-z0-9]+", "_") + ".pb");
    Files.write(file, graph.toGraphDef().toByteArray());
    List<Long> dims = new ArrayList<>(List.of((long) batch));
    dims.addAll(spec.inputShape());
    Shape shape = Shape.of(dims.stream().mapToLong(Long::longValue).toArray());
    Random random = new Random(7);
    float[] x = new float[Math.toIntExact(shape.numElements())];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat() * 2 - 1;
    }
    long[] labels = new long[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = random.nextInt(spec.classes());
    }
    Map<String, Tensor> feeds = Map.of(ModelGenerator.INPUT, Tensor.ofFloats(shape, x), ModelGenerator.LABELS, Tensor.ofLongs(Shape.of(batch), labels));
    Session session = new Session(graph);
    session.run(Map.of(), List.of(), List.of(ModelGenerator.INIT));
    double[] times = new double[iters];
    for (int i = 0; i < warmup + iters; i++) {
      long start = System.nanoTime();
      session.run(feeds, List.of(ModelGenerator.LOSS), List.of(ModelGenerator.TRAIN));
      if (i >= warmup) {
        times[i - warmup] = (System.nanoTime() - start) / 1e6;
      }
    }
    double ours = BenchSupport.median(times);
    String dimsText = String.join("x", dims.stream().map(String::valueOf).toList());
    String output = BenchSupport.oracle("bench-graph", file.toString(), Integer.toString(warmup), Integer.toString(iters),
        "--random", "x=" + dimsText, "--classes", "labels=" + batch + ":" + spec.classes(), "--init", ModelGenerator.INIT,
        "--target", ModelGenerator.TRAIN, "--fetch", ModelGenerator.LOSS);
    double tf = Double.NaN;
    for (String line : output.split("\n")) {
      if (line.startsWith("bench-graph ")) {
        tf = Double.parseDouble(line.replaceAll(".*median_ms=([0-9.]+).*", "$1"));
      }
    }
    if (Double.isNaN(tf)) {
      throw new IllegalStateException("The oracle printed no timing: " + output);
    }
    System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.2fx | %.0f |%n", label, ours, tf, tf / ours, batch * 1000 / ours);
  }
}
