package io.sparkpoint.spark.cli;

import io.sparkpoint.spark.jobs.RunJob;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a graph like TensorFlow 1's sess.run: feed tensors from NumPy .npy files, print the fetched tensors.",
      "The graph is a GraphDef (--graph, e.g. a frozen graph) or a MetaGraphDef (--meta) whose variables are restored "
          + "from --checkpoint; with --checkpoint alone, the graph is the checkpoint's <prefix>.meta.",
      "Text output: per fetch, 'NAME (dtype) [shape]' and its values nested by shape; a tensor of more than 1000 values is "
          + "summarized as numpy prints it (the first and last 3 entries along each axis) unless --all-values.",
      "--json prints {\"NAME\": {\"dtype\", \"shape\", \"values\"}}: values flat in row-major order; NaN and infinities as the "
          + "strings \"NaN\", \"Infinity\", \"-Infinity\"; strings as text, or {\"base64\": ...} when not UTF-8."
    })
final class RunCommand implements Callable<Integer> {
  /** Tensors with more values are summarized in text output: numpy's print threshold. */
  private static final int PRINT_LIMIT = 1000;
  /** Entries kept at each end of a summarized axis, as numpy keeps them. */
  private static final int EDGE_ITEMS = 3;

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--graph", paramLabel = "G.pb", description = "A GraphDef: binary .pb, or text .pbtxt.")
  String graph;

  @Option(names = "--meta", paramLabel = "M.meta", description = "A MetaGraphDef (binary, or text for .pbtxt names).")
  String meta;

  @Option(names = "--checkpoint", paramLabel = "DIR_OR_PREFIX",
      description = "Restore every variable from this checkpoint: a prefix, or a directory whose 'checkpoint' file names one.")
  String checkpoint;

  @Option(names = "--feed", paramLabel = "NAME=FILE.npy", description = "Feed tensor NAME (op or op:port) with the array in FILE.npy.")
  Map<String, String> feeds = new LinkedHashMap<>();

  @Option(names = "--fetch", paramLabel = "NAME[:port]", description = "A tensor to compute and print.")
  List<String> fetches = new ArrayList<>();

  @Option(names = "--target", paramLabel = "OP", description = "An op to run for its effects (e.g. an initializer or a train op).")
  List<String> targets = new ArrayList<>();

  @Option(names = "--repeat", defaultValue = "1", paramLabel = "N", description = "Run N times with the same feeds; print the last run's fetches.")
  int repeat;

  @Option(names = "--out", paramLabel = "DIR", description = "Also write each fetch to DIR/NAME.npy ('/' and ':' in NAME become '_'); "
      + "with --json, each fetch also names its file as \"npy\".")
  String outDir;

  @Option(names = "--save", paramLabel = "OUT_PREFIX",
      description = "After the runs, save every variable as a checkpoint OUT_PREFIX (.index, .data-*, .meta) with the Saver.")
  String save;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--all-values", description = "Print every value in text output, never a summary.")
  boolean allValues;

  @Override
  public Integer call() throws Exception {
    checkUsage();
    RunJob.Result result = RunJob.run(SparkpointCli.fileIO(),
        new RunJob.Request(graph, meta, checkpoint, feeds, fetches, targets, repeat, outDir, save));
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(toJson(result)));
      if (result.savedTo() != null) {
        spec.commandLine().getErr().println("Saved " + result.savedTo()); // stdout stays one JSON object
      }
      return 0;
    }
    for (int i = 0; i < fetches.size(); i++) {
      Tensor value = result.fetched().get(i);
      String file = result.files().isEmpty() ? "" : " -> " + result.files().get(i);
      out.println(fetches.get(i) + " (" + value.dtype().pythonName() + ") " + value.shape() + file);
      out.println(allValues || value.numElements() <= PRINT_LIMIT
          ? TensorFormat.values(value, Long.MAX_VALUE) : TensorFormat.summarized(value, EDGE_ITEMS));
    }
    if (fetches.isEmpty()) {
      out.println("Ran " + String.join(", ", targets) + (repeat == 1 ? " once" : " " + repeat + " times"));
    }
    if (result.savedTo() != null) {
      out.println("Saved " + result.savedTo());
    }
    return 0;
  }

  private void checkUsage() {
    if (graph != null && (meta != null || checkpoint != null)) {
      throw usage("--graph reads a GraphDef without variables; it cannot be combined with --meta or --checkpoint");
    }
    if (graph == null && meta == null && checkpoint == null) {
      throw usage("Missing the graph: give --graph G.pb, or --meta M.meta and/or --checkpoint DIR_OR_PREFIX");
    }
    if (fetches.isEmpty() && targets.isEmpty()) {
      throw usage("Nothing to run: give at least one --fetch or --target");
    }
    if (repeat < 1) {
      throw usage("Invalid --repeat " + repeat + ": must be at least 1");
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private Map<String, Object> toJson(RunJob.Result result) {
    Map<String, Object> root = new LinkedHashMap<>();
    for (int i = 0; i < fetches.size(); i++) {
      Tensor value = result.fetched().get(i);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("dtype", value.dtype().pythonName());
      item.put("shape", value.shape().dims());
      item.put("values", TensorValues.of(value));
      if (!result.files().isEmpty()) {
        item.put("npy", result.files().get(i));
      }
      root.put(fetches.get(i), item);
    }
    return root;
  }
}
