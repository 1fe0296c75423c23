package io.sparkpoint.spark.cli;

import io.sparkpoint.restore.PartialRestore;
import io.sparkpoint.restore.RestoreOptions;
import io.sparkpoint.restore.RestorePlan;
import io.sparkpoint.restore.RestorePlan.Outcome;
import io.sparkpoint.spark.jobs.RestorePartialJob;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "restore-partial",
    mixinStandardHelpOptions = true,
    description = {
      "Warm-start offline: write OUT holding every variable of DST, with values taken from SRC where names (after --map) and "
          + "shapes agree, and DST's own values for the rest. SRC and DST are never modified; tensors are copied byte for byte.",
      "Idempotent: a rerun finds OUT already holding its content and writes nothing.",
      "Runs as Spark tasks with --master, or without it when there are at least 4 GiB to copy in more than one tensor (then on "
          + "spark-submit's master, else local[*]); less, or any with --local, is copied in this JVM, which is faster than starting "
          + "Spark. On Spark each task copies a byte-balanced group of tensors and OUT has one data file per task; the tensors are "
          + "the same either way. --dry-run never starts Spark."
    })
final class RestorePartialCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SRC", description = "The checkpoint to take values from (a prefix or a directory).")
  String source;

  @Parameters(index = "1", paramLabel = "DST", description = "The checkpoint whose variables OUT holds, e.g. from 'sparkpoint model' (a prefix or a directory).")
  String target;

  @Option(names = "--out", required = true, paramLabel = "OUT", description = "The prefix of the checkpoint to write (OUT.index, OUT.data-*, OUT.meta).")
  String out;

  @Option(names = "--include", paramLabel = "RE", description = "Restore only DST variables whose name contains a match (repeatable).")
  List<String> includes = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "RE", description = "Keep DST's value for variables whose name contains a match; wins over --include (repeatable).")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--map", paramLabel = "FROM=TO",
      description = "Source key FROM feeds variable TO: exact names, or a regex over the whole key with $1 references in TO "
          + "('^old/(.*)$=new/$1'). The first entry to feed a variable wins (repeatable).")
  List<String> maps = new ArrayList<>();

  @Option(names = "--reshape", description = "Accept a source of another shape with the same number of elements.")
  boolean reshape;

  @Option(names = "--skip-mismatched", description = "Keep DST's value where dtype or shape differ, instead of failing.")
  boolean skipMismatched;

  @Option(names = "--overwrite", description = "Replace OUT when it holds other content.")
  boolean overwrite;

  @Option(names = "--dry-run", description = "Print the plan, one line per variable, and write nothing.")
  boolean dryRun;

  @Mixin PlacementOptions placement;

  @Override
  public Integer call() throws Exception {
    PartialRestore.Mode mode = dryRun ? PartialRestore.Mode.DRY_RUN : overwrite ? PartialRestore.Mode.OVERWRITE : PartialRestore.Mode.CREATE;
    PartialRestore.Result result = RestorePartialJob.run(SparkpointCli.fileIO(), source, target, out, options(), mode,
        placement.placement());
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    RestorePlan plan = result.plan();
    plan.warnings().forEach(warning -> stderr.println("sparkpoint restore-partial: warning: " + warning));
    if (result.dryRun()) {
      plan.lines().forEach(stdout::println);
    }
    if (result.status() == PartialRestore.Status.UNCHANGED) {
      stderr.println("sparkpoint restore-partial: " + result.out() + " already holds this restore; nothing written");
    }
    stdout.println(Json.write(summary(result)));
    if (result.problem() != null) {
      stderr.println("sparkpoint restore-partial: error: " + result.problem());
      return 1;
    }
    return 0;
  }

  private RestoreOptions options() {
    try {
      return RestoreOptions.fromFlags("", includes, excludes, maps, reshape, skipMismatched);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static Map<String, Object> summary(PartialRestore.Result result) {
    RestorePlan plan = result.plan();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("source", result.source());
    summary.put("target", result.target());
    summary.put("out", result.out());
    summary.put("dry_run", result.dryRun());
    summary.put("matched", plan.targets(Outcome.MATCHED));
    summary.put("renamed", plan.renamed());
    summary.put("reshaped", plan.reshaped());
    summary.put("missing", plan.targets(Outcome.MISSING));
    summary.put("excluded", plan.targets(Outcome.EXCLUDED));
    summary.put("mismatched", plan.targets(Outcome.MISMATCHED));
    summary.put("skipped", plan.skipped());
    summary.put("unused_source", plan.unusedSources());
    summary.put("unused_map", plan.unusedRenames());
    return summary;
  }
}
