package io.sparkpoint.spark.cli;

import io.sparkpoint.spark.jobs.InspectJob;
import io.sparkpoint.tensor.TensorFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "List a checkpoint's tensors (name, dtype, shape), like TensorFlow's inspect_checkpoint.",
      "Runs in this JVM, never as Spark tasks: it reads only the index, plus the data of the tensors whose values it prints."
    })
final class InspectCommand implements Callable<Integer> {
  /** Values printed per tensor before "..." in plain output, as numpy summarizes. */
  private static final int PRINT_LIMIT = 1000;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "A checkpoint prefix, or a directory whose 'checkpoint' file names one.")
  String path;

  @Option(names = "--tensor", paramLabel = "NAME", description = "Print this tensor with its values.")
  String tensor;

  @Option(names = "--all-tensors", description = "Print every tensor with its values.")
  boolean allTensors;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    InspectJob.Result result = InspectJob.run(SparkpointCli.fileIO(), path, tensor, allTensors);
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(toJson(result)));
      return 0;
    }
    for (InspectJob.TensorInfo info : result.tensors()) {
      if (info.value() == null) {
        out.println(info.name() + " (" + info.dtype().tfName() + ") " + info.shape());
      } else {
        out.println("tensor_name:  " + info.name());
        out.println(TensorFormat.values(info.value(), PRINT_LIMIT));
      }
    }
    return 0;
  }

  private static Map<String, Object> toJson(InspectJob.Result result) {
    List<Object> tensors = new ArrayList<>();
    for (InspectJob.TensorInfo info : result.tensors()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("name", info.name());
      item.put("dtype", info.dtype().pythonName());
      item.put("shape", info.shape().dims());
      if (info.value() != null) {
        item.put("values", TensorValues.of(info.value()));
      }
      tensors.add(item);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("prefix", result.prefix());
    root.put("tensors", tensors);
    return root;
  }
}
