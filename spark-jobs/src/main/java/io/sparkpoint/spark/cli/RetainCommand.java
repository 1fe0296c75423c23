package io.sparkpoint.spark.cli;

import io.sparkpoint.retention.RetainAction;
import io.sparkpoint.spark.jobs.RetainJob;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "retain",
    mixinStandardHelpOptions = true,
    description = "Apply max_to_keep and keep-every-N-hours to a checkpoint directory, as a Saver would have: the state file is "
        + "rewritten first, then exactly the swept checkpoints' files are deleted. Files the state file does not list are never touched, "
        + "except the checkpoints a crashed sweep recorded in .checkpoint.pending-deletions, which are deleted first.")
final class RetainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The checkpoint directory (holding the 'checkpoint' state file).")
  String directory;

  @Option(names = "--max-to-keep", required = true, paramLabel = "N", description = "How many of the newest checkpoints to keep (at least 1).")
  int maxToKeep;

  @Option(names = "--keep-checkpoint-every-n-hours", paramLabel = "H",
      description = "Also keep one checkpoint every H hours (counted from the state file's last_preserved_timestamp).")
  Double keepHours;

  @Option(names = "--dry-run", description = "Print what would be kept, preserved and deleted (and pending from a crashed sweep), and change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    RetainAction.Result result = RetainJob.run(SparkpointCli.fileIO(), directory, maxToKeep, keepHours, dryRun);
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun) {
      result.kept().forEach(p -> out.println("keep     " + p));
      result.preserved().forEach(p -> out.println("preserve " + p));
      result.deleted().forEach(p -> out.println("delete   " + p));
      result.pending().forEach(p -> out.println("pending  " + p));
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("directory", result.directory());
    summary.put("dry_run", result.dryRun());
    summary.put("kept", result.kept());
    summary.put("preserved", result.preserved());
    summary.put("deleted", result.deleted());
    summary.put("pending", result.pending());
    summary.put("files_deleted", result.deletedFiles().size());
    out.println(Json.write(summary));
    return 0;
  }
}
