package io.sparkpoint.spark.cli;

import io.sparkpoint.spark.jobs.QuickstartJob;
import io.sparkpoint.spark.jobs.SparkSessions;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description = "The main job on the embedded default: generate a dataset and a model, train it on Spark with sharded checkpoints under "
        + "retention, freeze the result and validate it, all under --out. Run again, it resumes.")
final class QuickstartCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where everything goes (any Hadoop URI or local path).")
  String out;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--steps", defaultValue = "200", paramLabel = "N", description = "Training steps (default: ${DEFAULT-VALUE}).")
  long steps;

  @Override
  public Integer call() throws Exception {
    PrintWriter printer = spec.commandLine().getOut();
    QuickstartJob.Result result = QuickstartJob.run(SparkSessions.getOrCreate(master, "sparkpoint quickstart"), out, steps, printer);
    printer.println();
    printer.println("dataset:        " + result.data());
    printer.println("model:          " + result.model());
    printer.println("checkpoints:    " + String.join(", ", result.training().checkpoints()));
    printer.println("events:         " + result.training().eventFile());
    printer.println("frozen graph:   " + result.frozen() + " (" + result.nodesKept() + " nodes; feed x:0, fetch probabilities:0)");
    printer.println("validation:     " + (result.validation().isValid()
        ? "valid, " + result.validation().tensorsChecked() + " tensors, " + result.validation().bytesChecked() + " bytes checked"
        : "INVALID " + result.validation().problems()));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("checkpoint_dir", result.checkpointDir());
    summary.put("latest_checkpoint", result.training().latestCheckpoint());
    summary.put("last_step", result.training().lastStep());
    summary.put("loss", Double.isNaN(result.training().loss()) ? null : result.training().loss());
    summary.put("frozen", result.frozen());
    summary.put("valid", result.validation().isValid());
    printer.println(Json.write(summary));
    return result.validation().isValid() ? 0 : 1;
  }
}
