package io.sparkpoint.oracle;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TString;

/**
 * The {@code run} command: TensorFlow imports a GraphDef ({@code .pb}, or text when the name ends
 * in {@code .pbtxt}) with {@code importGraphDef}, optionally under an import prefix, runs the
 * targets (if any) in one session run, then the fetches with the feeds in a second one, and writes
 * one line per fetch: {@code name \t dtype \t shape \t values} (TF Python dtype names; dims joined
 * by ','; values row-major, comma separated, floats as %.9g, which gives every float32 back exactly;
 * float16 and bfloat16 as the float32 they widen to). Fetches of float, int32, int64, uint8, uint16
 * and bool dtypes print; int8, int16, uint32, uint64 and complex ones have no TF Java class.
 *
 * <p>With {@code --keep-going} every fetch runs in a session run of its own (after the targets, if
 * any, ran once), and a fetch that fails gets the line {@code name \t error \t \t message} (the
 * message on one line) instead of failing the whole command: one launch then reports many expected
 * errors.
 *
 * <p>With {@code --runs N} the fetches run N times in the same session (stateful ops such as the
 * random ones go on with their sequences); run r's lines name the fetch {@code name#r} from the
 * second run on.
 *
 * <p>A feed is {@code NAME=DTYPE:SHAPE:VALUES}: a tensor name ({@code x} or {@code x:0}, taken as
 * given, so under an import prefix write {@code prefix/x}), a dtype of float32, float64, int32,
 * int64, bool or string, dims joined by 'x' (empty for a scalar) and the row-major values joined
 * by ',' (strings cannot contain ','). Example: {@code x=float32:2x3:1,2,3,4,5,6}.
 *
 * <p>The session allows soft placement, so nodes pinned to a GPU run on the CPU.
 */
final class GraphRun {
  private GraphRun() {}

  static final String USAGE = "run needs <graph.pb|.pbtxt> <valuesOut> --fetch T[,T...] "
      + "[--feed NAME=DTYPE:SHAPE:VALUES]... [--target OP]... [--import-prefix P] [--keep-going] [--runs N]";

  /** One tensor to feed: its name in the graph and the value. */
  record Feed(String name, DType dtype, long[] shape, List<String> values) {
    /**
     * Parses {@code NAME=DTYPE:SHAPE:VALUES}.
     *
     * @throws IllegalArgumentException naming the spec when it is malformed
     */
    static Feed parse(String spec) {
      int eq = spec.indexOf('=');
      String[] parts = eq < 0 ? new String[0] : spec.substring(eq + 1).split(":", 3);
      if (eq <= 0 || parts.length != 3) {
        throw new IllegalArgumentException("--feed '" + spec + "' is not NAME=DTYPE:SHAPE:VALUES");
      }
      DType dtype = DType.of(parts[0]);
      if (!FEEDABLE.contains(dtype)) {
        throw new IllegalArgumentException("--feed '" + spec + "': cannot feed " + dtype + "; use one of " + FEEDABLE);
      }
      long[] shape;
      try {
        shape = parts[1].isEmpty() ? new long[0]
            : Arrays.stream(parts[1].split("x", -1)).mapToLong(Long::parseLong).toArray();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--feed '" + spec + "': invalid shape '" + parts[1] + "'");
      }
      long n = Manifest.numElements(shape);
      List<String> values = n == 0 && parts[2].isEmpty() ? List.of() : Arrays.asList(parts[2].split(",", -1));
      if (values.size() != n) {
        throw new IllegalArgumentException("--feed '" + spec + "': " + values.size() + " values for shape ["
            + Manifest.formatShape(shape) + "] (" + n + " elements)");
      }
      return new Feed(spec.substring(0, eq), dtype, shape, values);
    }

    /** A new tensor holding the value (caller closes it). */
    Tensor tensor() {
      Shape s = Shape.of(shape);
      if (dtype == DType.STRING) {
        byte[][] arr = values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        return TString.tensorOfBytes(s, DataBuffers.of(arr, true, false));
      }
      ByteBuffer data = ByteBuffer.allocate(values.size() * dtype.size).order(ByteOrder.nativeOrder());
      try {
        for (String v : values) {
          switch (dtype) {
            case FLOAT32 -> data.putFloat(Float.parseFloat(v));
            case FLOAT64 -> data.putDouble(Double.parseDouble(v));
            case INT32 -> data.putInt(Integer.parseInt(v));
            case INT64 -> data.putLong(Long.parseLong(v));
            case BOOL -> data.put(parseBool(v));
            default -> throw new IllegalStateException("unreachable: " + dtype);
          }
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--feed " + name + ": invalid " + dtype + " value: " + e.getMessage());
      }
      return Tensor.of(dtype.javaType, s, DataBuffers.of(data.array(), true, false));
    }

    private static byte parseBool(String v) {
      return switch (v) {
        case "true", "1" -> 1;
        case "false", "0" -> 0;
        default -> throw new IllegalArgumentException("invalid bool value '" + v + "' (true, false, 1 or 0)");
      };
    }

    /** The spec again, {@code NAME=DTYPE:SHAPE:VALUES}. */
    String spec() {
      return name + "=" + dtype + ":" + Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x"))
          + ":" + String.join(",", values);
    }
  }

  /**
   * Lets nodes pinned to a device this process lacks (e.g. {@code /device:GPU:0} in old serving
   * models) run on the CPU instead of failing; graphs without devices run as before.
   */
  private static final ConfigProto SOFT_PLACEMENT = ConfigProto.newBuilder().setAllowSoftPlacement(true).build();

  static final List<DType> FEEDABLE = List.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.BOOL, DType.STRING);

  /** Parses the command line (see {@link #USAGE}); returns the number of fetches. */
  static int command(String[] a) throws IOException {
    List<String> positional = new ArrayList<>();
    List<String> fetches = new ArrayList<>();
    List<Feed> feeds = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    String prefix = null;
    boolean keepGoing = false;
    int runs = 1;
    for (int i = 0; i < a.length; i++) {
      switch (a[i]) {
        case "--fetch" -> fetches.addAll(Arrays.asList(value(a, ++i, "--fetch").split(",")));
        case "--feed" -> feeds.add(Feed.parse(value(a, ++i, "--feed")));
        case "--target" -> targets.add(value(a, ++i, "--target"));
        case "--import-prefix" -> prefix = value(a, ++i, "--import-prefix");
        case "--keep-going" -> keepGoing = true;
        case "--runs" -> runs = positive(value(a, ++i, "--runs"), "--runs");
        default -> positional.add(a[i]);
      }
    }
    if (positional.size() != 2 || fetches.isEmpty()) {
      throw new IllegalArgumentException(USAGE);
    }
    GraphDef graph = readGraph(Path.of(positional.get(0)));
    List<String> lines = keepGoing ? runEach(graph, fetches, feeds, targets, prefix, runs) : run(graph, fetches, feeds, targets, prefix, runs);
    Path out = Path.of(positional.get(1)).toAbsolutePath();
    Files.createDirectories(out.getParent());
    Files.write(out, lines, StandardCharsets.UTF_8);
    lines.forEach(System.out::println);
    return lines.size();
  }

  private static String value(String[] a, int i, String option) {
    if (i >= a.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return a[i];
  }

  private static int positive(String text, String option) {
    try {
      int n = Integer.parseInt(text);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " needs a positive count, got '" + text + "'");
  }

  /** The name of a fetch's line in run {@code r} (from 1). */
  private static String runName(String fetch, int r) {
    return r == 1 ? fetch : fetch + "#" + r;
  }

  static GraphDef readGraph(Path file) throws IOException {
    if (file.getFileName().toString().endsWith(".pbtxt")) {
      GraphDef.Builder builder = GraphDef.newBuilder();
      TextFormat.merge(Files.readString(file, StandardCharsets.UTF_8), builder);
      return builder.build();
    }
    return GraphDef.parseFrom(Files.readAllBytes(file));
  }

  /**
   * Imports and runs: the targets first (with the feeds) in one session run, then the fetches with
   * the feeds, {@code runs} times; one formatted line per fetch and run, in run and fetch order.
   */
  static List<String> run(GraphDef graphDef, List<String> fetches, List<Feed> feeds, List<String> targets, String prefix,
      int runs) {
    return inSession(graphDef, feeds, prefix, fedRunner -> {
      runTargets(fedRunner, targets);
      List<String> lines = new ArrayList<>();
      for (int r = 1; r <= runs; r++) {
        Session.Runner runner = fedRunner.get();
        fetches.forEach(runner::fetch);
        try (Result result = runner.run()) {
          for (int i = 0; i < fetches.size(); i++) {
            lines.add(format(runName(fetches.get(i), r), result.get(i)));
          }
        }
      }
      return lines;
    });
  }

  /**
   * Imports, runs the targets (if any) once, then each fetch on its own with the feeds, {@code runs}
   * times: one line per fetch and run, an error line when it fails.
   */
  static List<String> runEach(GraphDef graphDef, List<String> fetches, List<Feed> feeds, List<String> targets, String prefix,
      int runs) {
    return inSession(graphDef, feeds, prefix, fedRunner -> {
      runTargets(fedRunner, targets);
      List<String> lines = new ArrayList<>();
      for (int r = 1; r <= runs; r++) {
        for (String fetch : fetches) {
          try (Result result = fedRunner.get().fetch(fetch).run()) {
            lines.add(format(runName(fetch, r), result.get(0)));
          } catch (RuntimeException e) { // TF Java's exceptions for a failed run (TFInvalidArgumentException...)
            // on one line, its spaces kept: TF's wording has double spaces
            lines.add(runName(fetch, r) + "\terror\t\t" + String.valueOf(e.getMessage()).replaceAll("[\t\r\n]", " ").trim());
          }
        }
      }
      return lines;
    });
  }

  /** Runs the targets, if any, in one session run with the feeds. */
  private static void runTargets(Supplier<Session.Runner> fedRunner, List<String> targets) {
    if (!targets.isEmpty()) {
      Session.Runner runner = fedRunner.get();
      targets.forEach(runner::addTarget);
      runner.run().close(); // nothing fetched
    }
  }

  /** Session work: gets runners with every feed already set, returns the output lines. */
  private interface SessionWork {
    List<String> run(Supplier<Session.Runner> fedRunner);
  }

  /** Imports the graph, creates the feed tensors and a session, and runs {@code work} in it. */
  private static List<String> inSession(GraphDef graphDef, List<Feed> feeds, String prefix, SessionWork work) {
    List<Tensor> tensors = new ArrayList<>();
    try (Graph graph = new Graph()) {
      if (prefix == null) {
        graph.importGraphDef(graphDef);
      } else {
        graph.importGraphDef(graphDef, prefix);
      }
      for (Feed feed : feeds) {
        tensors.add(feed.tensor());
      }
      try (Session session = new Session(graph, SOFT_PLACEMENT)) {
        return work.run(() -> {
          Session.Runner runner = session.runner();
          feed(runner, feeds, tensors);
          return runner;
        });
      }
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  private static void feed(Session.Runner runner, List<Feed> feeds, List<Tensor> tensors) {
    for (int i = 0; i < feeds.size(); i++) {
      runner.feed(feeds.get(i).name(), tensors.get(i));
    }
  }

  static String format(String name, Tensor tensor) {
    long[] dims = tensor.shape().asArray();
    String shape = Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining(","));
    return name + "\t" + dtypeName(tensor.dataType()) + "\t" + shape + "\t" + String.join(",", values(tensor));
  }

  private static String dtypeName(DataType type) {
    for (DType d : DType.values()) {
      if (d.tf == type) {
        return d.pyName;
      }
    }
    return type.name();
  }

  private static List<String> values(Tensor tensor) {
    List<String> values = new ArrayList<>();
    if (tensor instanceof TString strings) {
      strings.asBytes().scalars().forEach(s -> values.add(new String(s.getObject(), StandardCharsets.UTF_8)));
      return values;
    }
    if (tensor instanceof TFloat16 || tensor instanceof TBfloat16) { // printed as the float32 they widen to
      ((FloatNdArray) tensor).scalars().forEach(s -> values.add(String.format(Locale.ROOT, "%.9g", s.getFloat())));
      return values;
    }
    byte[] bytes = new byte[Math.toIntExact(tensor.numBytes())];
    tensor.asRawTensor().data().read(bytes);
    ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    long count = tensor.shape().size();
    for (int i = 0; i < count; i++) {
      values.add(switch (tensor.dataType()) {
        case DT_FLOAT -> String.format(Locale.ROOT, "%.9g", data.getFloat(i * 4));
        case DT_DOUBLE -> String.format(Locale.ROOT, "%.17g", data.getDouble(i * 8));
        case DT_INT32 -> Integer.toString(data.getInt(i * 4));
        case DT_INT64 -> Long.toString(data.getLong(i * 8));
        case DT_UINT8 -> Integer.toString(data.get(i) & 0xFF);
        case DT_UINT16 -> Integer.toString(data.getShort(i * 2) & 0xFFFF);
        case DT_BOOL -> data.get(i) != 0 ? "true" : "false";
        default -> throw new IllegalArgumentException("run cannot print " + tensor.dataType() + " values of " + tensor);
      });
    }
    return values;
  }
}
