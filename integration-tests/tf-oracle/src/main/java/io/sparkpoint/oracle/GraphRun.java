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
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TString;

/**
 * The {@code run} command: TensorFlow imports a GraphDef ({@code .pb}, or text when the name ends
 * in {@code .pbtxt}) with {@code importGraphDef}, optionally under an import prefix, runs the
 * fetches in a Session and writes one line per fetch: {@code name \t dtype \t shape \t values}
 * (TF Python dtype names; dims joined by ','; values row-major, comma separated, floats as %.9g).
 */
final class GraphRun {
  private GraphRun() {}

  /** Parses {@code <graph> <valuesOut> --fetch T[,T...] [--import-prefix P]}; returns the number of fetches. */
  static int command(String[] a) throws IOException {
    List<String> positional = new ArrayList<>();
    List<String> fetches = new ArrayList<>();
    String prefix = null;
    for (int i = 0; i < a.length; i++) {
      switch (a[i]) {
        case "--fetch" -> fetches.addAll(Arrays.asList(value(a, ++i, "--fetch").split(",")));
        case "--import-prefix" -> prefix = value(a, ++i, "--import-prefix");
        default -> positional.add(a[i]);
      }
    }
    if (positional.size() != 2 || fetches.isEmpty()) {
      throw new IllegalArgumentException("run needs <graph.pb|.pbtxt> <valuesOut> --fetch T[,T...] [--import-prefix P]");
    }
    List<String> lines = run(readGraph(Path.of(positional.get(0))), fetches, prefix);
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

  static GraphDef readGraph(Path file) throws IOException {
    if (file.getFileName().toString().endsWith(".pbtxt")) {
      GraphDef.Builder builder = GraphDef.newBuilder();
      TextFormat.merge(Files.readString(file, StandardCharsets.UTF_8), builder);
      return builder.build();
    }
    return GraphDef.parseFrom(Files.readAllBytes(file));
  }

  /** Imports and runs; one formatted line per fetch, in fetch order. */
  static List<String> run(GraphDef graphDef, List<String> fetches, String prefix) {
    List<String> lines = new ArrayList<>();
    try (Graph graph = new Graph()) {
      if (prefix == null) {
        graph.importGraphDef(graphDef);
      } else {
        graph.importGraphDef(graphDef, prefix);
      }
      try (Session session = new Session(graph)) {
        Session.Runner runner = session.runner();
        fetches.forEach(runner::fetch);
        try (Result result = runner.run()) {
          for (int i = 0; i < fetches.size(); i++) {
            lines.add(format(fetches.get(i), result.get(i)));
          }
        }
      }
    }
    return lines;
  }

  private static String format(String name, Tensor tensor) {
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
        case DT_BOOL -> data.get(i) != 0 ? "true" : "false";
        default -> throw new IllegalArgumentException("run cannot print " + tensor.dataType() + " values of " + tensor);
      });
    }
    return values;
  }
}
