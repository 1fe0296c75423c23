package io.sparkpoint.spark.cli;

import io.sparkpoint.bundle.BundleValidator;
import io.sparkpoint.spark.jobs.ValidateJob;
import java.util.concurrent.Callable;
import org.apache.spark.network.util.JavaUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check a checkpoint like fsck: header, every data shard, every entry's bounds and every tensor's checksum.",
      "Exit 0 when valid; otherwise 1, with one line per problem naming the file and the tensor.",
      PlacementOptions.RULE
    })
final class ValidateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "A checkpoint prefix, or a directory whose 'checkpoint' file names one.")
  String path;

  @Mixin PlacementOptions placement;

  @Option(names = "--split-bytes", paramLabel = "SIZE", defaultValue = "64m",
      description = "On Spark, the most tensor bytes one task checks (67108864, 64m, 1g); a larger tensor is split into ranges "
          + "of this size (default: ${DEFAULT-VALUE}).")
  String splitBytes;

  @Override
  public Integer call() throws Exception {
    BundleValidator.Report report = ValidateJob.run(SparkpointCli.fileIO(), path, placement.placement(), splitBytes());
    for (BundleValidator.Problem problem : report.problems()) {
      spec.commandLine().getErr().println(problem);
    }
    java.util.Map<String, Object> summary = new java.util.LinkedHashMap<>();
    summary.put("prefix", report.prefix());
    summary.put("valid", report.isValid());
    summary.put("tensors_checked", report.tensorsChecked());
    summary.put("bytes_checked", report.bytesChecked());
    summary.put("problems", report.problems().size());
    spec.commandLine().getOut().println(Json.write(summary));
    return report.isValid() ? 0 : 1;
  }

  private long splitBytes() {
    long bytes;
    try {
      bytes = JavaUtils.byteStringAsBytes(splitBytes);
    } catch (NumberFormatException e) {
      throw new ParameterException(spec.commandLine(), "Invalid --split-bytes " + splitBytes + ": expected a size such as 67108864, 64m or 1g");
    }
    if (bytes < 1) {
      throw new ParameterException(spec.commandLine(), "Invalid --split-bytes " + splitBytes + ": expected at least one byte");
    }
    return bytes;
  }
}
