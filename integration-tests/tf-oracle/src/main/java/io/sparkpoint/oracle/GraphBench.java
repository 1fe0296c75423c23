package io.sparkpoint.oracle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The {@code bench-graph <graph.pb> <warmup> <iters> --random NAME=SHAPE ... [--classes NAME=SHAPE:N ...]
 * [--init OP] [--target OP] --fetch T} command: times TensorFlow's Session.run of one fetch (and the
 * target, for a training step) with float32 feeds of uniform [-1, 1) values and int64 feeds of class
 * ids in [0, N) (made before the clock starts), after running {@code --init} once; {@code warmup}
 * untimed runs, then {@code iters} timed ones. Prints {@code bench-graph median_ms=M best_ms=B iters=N}.
 * An empty SHAPE is a scalar. One session, default thread pools (all cores).
 */
final class GraphBench {
  private GraphBench() {}

  /** The median of sorted values: the middle one, or the mean of the two middle ones (as the benchmarks compute ours). */
  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static int command(String[] a) throws IOException {
    List<String> positional = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<long[]> shapes = new ArrayList<>();
    String fetch = null;
    String init = null;
    String target = null;
    List<String> classNames = new ArrayList<>();
    List<long[]> classShapes = new ArrayList<>();
    List<Long> classCounts = new ArrayList<>();
    for (int i = 0; i < a.length; i++) {
      switch (a[i]) {
        case "--classes" -> {
          String[] spec = a[++i].split("=", 2);
          String[] shapeAndCount = spec[1].split(":", 2);
          classNames.add(spec[0]);
          classShapes.add(Arrays.stream(shapeAndCount[0].split("x")).mapToLong(Long::parseLong).toArray());
          classCounts.add(Long.parseLong(shapeAndCount[1]));
        }
        case "--init" -> init = a[++i];
        case "--target" -> target = a[++i];
        case "--random" -> {
          String[] spec = a[++i].split("=", 2);
          names.add(spec[0]);
          shapes.add(spec[1].isEmpty() ? new long[0] : Arrays.stream(spec[1].split("x")).mapToLong(Long::parseLong).toArray());
        }
        case "--fetch" -> fetch = a[++i];
        default -> positional.add(a[i]);
      }
    }
    if (positional.size() != 3 || fetch == null) {
      throw new IllegalArgumentException("bench-graph needs <graph.pb> <warmup> <iters> --random NAME=SHAPE ... --fetch T");
    }
    int warmup = Integer.parseInt(positional.get(1));
    int iters = Integer.parseInt(positional.get(2));
    List<Tensor> feeds = new ArrayList<>();
    Rng rng = new Rng(20261127L);
    for (long[] shape : shapes) {
      int n = Math.toIntExact(Manifest.numElements(shape));
      ByteBuffer data = ByteBuffer.allocate(n * 4).order(ByteOrder.nativeOrder());
      for (int i = 0; i < n; i++) {
        data.putFloat((float) ((rng.nextLong() >>> 11) * 0x1.0p-53 * 2 - 1));
      }
      feeds.add(Tensor.of(TFloat32.class, Shape.of(shape), DataBuffers.of(data.array(), true, false)));
    }
    for (int c = 0; c < classNames.size(); c++) {
      long[] shape = classShapes.get(c);
      long[] ids = new long[Math.toIntExact(Manifest.numElements(shape))];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = Math.floorMod(rng.nextLong(), classCounts.get(c));
      }
      feeds.add(org.tensorflow.types.TInt64.tensorOf(Shape.of(shape), DataBuffers.of(ids, true, false)));
      names.add(classNames.get(c));
    }
    double[] times = new double[iters];
    try (Graph graph = new Graph()) {
      graph.importGraphDef(GraphRun.readGraph(Path.of(positional.get(0))));
      try (Session session = new Session(graph)) {
        if (init != null) {
          session.runner().addTarget(init).run().close();
        }
        for (int i = 0; i < warmup + iters; i++) {
          Session.Runner runner = session.runner();
          for (int f = 0; f < feeds.size(); f++) {
            runner.feed(names.get(f), feeds.get(f));
          }
          long start = System.nanoTime();
          if (target != null) {
            runner.addTarget(target);
          }
          runner.fetch(fetch).run().close();
          if (i >= warmup) {
            times[i - warmup] = (System.nanoTime() - start) / 1e6;
          }
        }
      }
    } finally {
      feeds.forEach(Tensor::close);
    }
    double[] sorted = times.clone();
    Arrays.sort(sorted);
    System.out.println(String.format(Locale.ROOT, "bench-graph median_ms=%.4f best_ms=%.4f iters=%d",
        median(sorted), sorted[0], iters));
    return iters;
  }
}
