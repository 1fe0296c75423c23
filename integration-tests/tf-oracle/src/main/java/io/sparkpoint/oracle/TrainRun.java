package io.sparkpoint.oracle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TString;

/**
 * The {@code train} command: TensorFlow imports a training graph, restores its variables, runs its
 * train op a number of steps and writes what it got.
 *
 * <pre>train &lt;graph&gt; &lt;valuesOut&gt; --target OP --steps N [--restore PREFIX] [--init OP] [--loss T]
 *       [--feed NAME=DTYPE:SHAPE:VALUES]... [--fetch T[,T...]]</pre>
 *
 * <p>{@code graph} is a MetaGraphDef ({@code .meta}), a SavedModel ({@code saved_model.pb}, its
 * first meta graph) or a GraphDef ({@code .pb}). {@code --restore} feeds the prefix to the
 * SaverDef's filename tensor and runs its restore op (a meta graph only); {@code --init} runs an op
 * instead (an initializer). Each step runs the target with the feeds, fetching {@code --loss} in
 * the same run (so step k's loss is the one before its update), written as {@code loss#k}; after the
 * last step the {@code --fetch} tensors are written, in {@link GraphRun#format}'s lines. One inter-op
 * thread, so the run is repeatable.
 */
final class TrainRun {
  static final String USAGE = "train needs <graph> <valuesOut> --target OP --steps N [--restore PREFIX] [--init OP] "
      + "[--loss T] [--feed NAME=DTYPE:SHAPE:VALUES]... [--fetch T[,T...]]";
  private static final ConfigProto CONFIG = ConfigProto.newBuilder().setAllowSoftPlacement(true).setInterOpParallelismThreads(1)
      .build();

  private TrainRun() {}

  static int command(String[] a) throws IOException {
    List<String> positional = new ArrayList<>();
    List<String> fetches = new ArrayList<>();
    List<GraphRun.Feed> feeds = new ArrayList<>();
    String target = null;
    String restore = null;
    String init = null;
    String loss = null;
    int steps = 0;
    for (int i = 0; i < a.length; i++) {
      switch (a[i]) {
        case "--fetch" -> fetches.add(value(a, ++i));
        case "--feed" -> feeds.add(GraphRun.Feed.parse(value(a, ++i)));
        case "--target" -> target = value(a, ++i);
        case "--restore" -> restore = value(a, ++i);
        case "--init" -> init = value(a, ++i);
        case "--loss" -> loss = value(a, ++i);
        case "--steps" -> steps = Integer.parseInt(value(a, ++i));
        default -> positional.add(a[i]);
      }
    }
    if (positional.size() != 2 || target == null || steps < 1) {
      throw new IllegalArgumentException(USAGE);
    }
    List<String> fetchList = fetches.stream().flatMap(f -> Arrays.stream(f.split(","))).filter(f -> !f.isEmpty()).toList();
    Path file = Path.of(positional.get(0));
    MetaGraphDef meta = readMeta(file);
    GraphDef graphDef = meta != null ? meta.getGraphDef() : GraphDef.parseFrom(Files.readAllBytes(file));
    List<String> lines = new ArrayList<>();
    List<Tensor> tensors = new ArrayList<>();
    try (Graph graph = new Graph()) {
      graph.importGraphDef(graphDef);
      for (GraphRun.Feed feed : feeds) {
        tensors.add(feed.tensor());
      }
      try (Session session = new Session(graph, CONFIG)) {
        if (restore != null) {
          if (meta == null || !meta.hasSaverDef()) {
            throw new IllegalArgumentException("--restore needs a meta graph with a SaverDef: " + file);
          }
          SaverDef saver = meta.getSaverDef();
          try (TString prefix = TString.scalarOf(restore)) {
            session.runner().feed(saver.getFilenameTensorName(), prefix).addTarget(saver.getRestoreOpName()).run().close();
          }
        }
        if (init != null) {
          session.runner().addTarget(init).run().close();
        }
        for (int step = 1; step <= steps; step++) {
          Session.Runner runner = session.runner().addTarget(target);
          for (int i = 0; i < feeds.size(); i++) {
            runner.feed(feeds.get(i).name(), tensors.get(i));
          }
          if (loss != null) {
            runner.fetch(loss);
          }
          try (Result result = runner.run()) {
            if (loss != null) {
              lines.add(GraphRun.format("loss#" + step, result.get(0)));
            }
          }
        }
        if (!fetchList.isEmpty()) {
          Session.Runner runner = session.runner();
          fetchList.forEach(runner::fetch);
          try (Result result = runner.run()) {
            for (int i = 0; i < fetchList.size(); i++) {
              lines.add(GraphRun.format(fetchList.get(i), result.get(i)));
            }
          }
        }
      }
    } finally {
      tensors.forEach(Tensor::close);
    }
    Path out = Path.of(positional.get(1)).toAbsolutePath();
    Files.createDirectories(out.getParent());
    Files.write(out, lines, StandardCharsets.UTF_8);
    return lines.size();
  }

  /** The meta graph in a {@code .meta} or {@code saved_model.pb} file; null for a plain GraphDef. */
  static MetaGraphDef readMeta(Path file) throws IOException {
    String name = file.getFileName().toString();
    byte[] bytes = Files.readAllBytes(file);
    if (name.equals("saved_model.pb")) {
      return SavedModel.parseFrom(bytes).getMetaGraphs(0);
    }
    return name.endsWith(".meta") ? MetaGraphDef.parseFrom(bytes) : null;
  }

  private static String value(String[] a, int i) {
    if (i >= a.length) {
      throw new IllegalArgumentException(USAGE);
    }
    return a[i];
  }
}
