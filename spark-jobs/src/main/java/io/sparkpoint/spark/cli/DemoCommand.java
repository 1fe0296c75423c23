package io.sparkpoint.spark.cli;

import io.sparkpoint.bundle.BundleValidator;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.spark.jobs.DemoJob;
import io.sparkpoint.spark.jobs.InspectJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Write a small two-shard demonstration checkpoint with a state file, then inspect and validate it.")
final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Checkpoint directory (any Hadoop URI or local path).")
  String directory;

  @Option(names = "--step", defaultValue = "1", paramLabel = "N", description = "Global step of the checkpoint (default: ${DEFAULT-VALUE}).")
  long step;

  @Override
  public Integer call() throws Exception {
    FileIO io = SparkpointCli.fileIO();
    String prefix = DemoJob.run(io, directory, step);
    var out = spec.commandLine().getOut();
    out.println("Wrote checkpoint " + prefix);
    for (InspectJob.TensorInfo info : InspectJob.run(io, directory, null, false).tensors()) {
      out.println(info.name() + " (" + info.dtype().tfName() + ") " + info.shape());
    }
    BundleValidator.Report report = BundleValidator.validate(io, prefix);
    out.println(report.isValid()
        ? "Valid: " + report.tensorsChecked() + " tensors, " + report.bytesChecked() + " bytes checked"
        : "INVALID: " + report.problems());
    return report.isValid() ? 0 : 1;
  }
}
