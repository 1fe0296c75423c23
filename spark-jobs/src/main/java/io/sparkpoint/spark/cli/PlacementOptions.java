package io.sparkpoint.spark.cli;

import io.sparkpoint.spark.jobs.Placement;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --master} and {@code --local}: where a command that can run as Spark tasks runs (see {@link Placement}). */
final class PlacementOptions {
  /** The rule, for the commands' descriptions. */
  static final String RULE = "Runs as Spark tasks with --master, or without it when the checkpoint holds at least 4 GiB to read in more than one "
      + "task (then on spark-submit's master, else local[*]); a smaller checkpoint, or any with --local, is handled in this JVM, "
      + "which is faster than starting Spark. The output is the same either way.";

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--master", paramLabel = "URL", description = "Run as Spark tasks on this master, whatever the size.")
  String master;

  @Option(names = "--local", description = "Run in this JVM, without Spark, whatever the size.")
  boolean local;

  /**
   * @throws ParameterException (exit 2) when both are given
   */
  Placement placement() {
    if (local && master != null) {
      throw new ParameterException(mixee.commandLine(), "--local and --master exclude each other: choose one");
    }
    return local ? Placement.LOCAL : master != null ? Placement.spark(master) : Placement.AUTO;
  }
}
