package io.sparkpoint.spark.cli;

import io.sparkpoint.spark.jobs.SparkSessions;
import io.sparkpoint.spark.train.TrainJob;
import io.sparkpoint.spark.train.TrainOptions;
import java.io.PrintWriter;
import io.sparkpoint.restore.RestoreOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Data-parallel training on Spark: executors compute gradients of their slices of each global batch (or run local steps "
        + "that are averaged), the driver applies them; executors write sharded checkpoints that the driver commits. Restarted on the same "
        + "--checkpoint-dir, it resumes from the latest checkpoint.")
final class TrainCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--meta", required = true, paramLabel = "M.meta", description = "The training graph: a MetaGraphDef with a train op.")
  String meta;

  @Option(names = "--train-op", defaultValue = "train", paramLabel = "OP", description = "The op one step runs (default: ${DEFAULT-VALUE}).")
  String trainOp;

  @Option(names = "--loss", defaultValue = "loss:0", paramLabel = "TENSOR", description = "The loss, a mean over the batch (default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(names = "--init-checkpoint", paramLabel = "PREFIX_OR_DIR",
      description = "Warm start a fresh run: variables this checkpoint holds under the same name, dtype and shape start from its values.")
  String initCheckpoint;

  @Option(names = "--init-include", paramLabel = "RE", description = "Warm start only variables matching RE (searched anywhere in the name). Repeatable.")
  List<String> initInclude = new ArrayList<>();

  @Option(names = "--init-exclude", paramLabel = "RE", description = "Warm start no variable matching RE; an exclude wins. Repeatable.")
  List<String> initExclude = new ArrayList<>();

  @Option(names = "--init-map", paramLabel = "SOURCE=TARGET",
      description = "Warm start TARGET from checkpoint key SOURCE (exact, or a regex over the whole key with $1 in TARGET), as restore-partial's --map. Repeatable.")
  List<String> initMap = new ArrayList<>();

  @Option(names = "--init-reshape", description = "Warm start also from tensors with the same number of elements in another shape.")
  boolean initReshape;

  @Option(names = "--data", required = true, paramLabel = "PATH_OR_TABLE", description = "The dataset (any Hadoop URI, or a table name).")
  String data;

  @Option(names = "--format", defaultValue = "parquet", paramLabel = "FORMAT", description = "parquet, orc, json, csv (with a header) or table.")
  String format;

  @Option(names = "--feed", required = true, paramLabel = "PLACEHOLDER=COLUMN[,COLUMN...]",
      description = "Feed a placeholder from one array or vector column, or from numeric columns in order. Repeatable.")
  List<String> feeds;

  @Option(names = "--batch-size", required = true, paramLabel = "N", description = "The global batch size.")
  int batchSize;

  @Option(names = "--steps", paramLabel = "N", description = "Train until the global step reaches N.")
  Long steps;

  @Option(names = "--epochs", paramLabel = "N", description = "Train N passes over the dataset (when --steps is not given).")
  Integer epochs;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Seeds the order of the examples (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--checkpoint-dir", required = true, paramLabel = "DIR", description = "Where checkpoints, manifests and event files go.")
  String checkpointDir;

  @Option(names = "--save-every-steps", paramLabel = "N", description = "Save a checkpoint every N steps.")
  Long saveEverySteps;

  @Option(names = "--save-every-seconds", paramLabel = "S", description = "Save a checkpoint every S seconds.")
  Double saveEverySeconds;

  @Option(names = "--max-to-keep", defaultValue = "5", paramLabel = "N", description = "Checkpoints to keep (default: ${DEFAULT-VALUE}).")
  int maxToKeep;

  @Option(names = "--keep-checkpoint-every-n-hours", paramLabel = "H", description = "Also keep one checkpoint every H hours.")
  Double keepHours;

  @Option(names = "--shards", defaultValue = "1", paramLabel = "S", description = "Data shards per checkpoint, written by S tasks (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--mode", defaultValue = "sync", paramLabel = "sync|average", description = "sync (default): average gradients every step; "
      + "average: --local-steps steps per partition, then average the variables.")
  String mode;

  @Option(names = "--local-steps", defaultValue = "1", paramLabel = "K", description = "Steps per averaging round (average mode).")
  int localSteps;

  @Option(names = "--async-save", description = "Keep training while the shard tasks write; the commit follows when they finish.")
  boolean asyncSave;

  @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the dataset (default: Spark's default parallelism).")
  Integer partitions;

  @Option(names = "--log-every-steps", defaultValue = "10", paramLabel = "N", description = "Progress line and event every N steps.")
  int logEvery;

  @Override
  public Integer call() throws Exception {
    Map<String, List<String>> feedMap = new LinkedHashMap<>();
    for (String feed : feeds) {
      int eq = feed.indexOf('=');
      if (eq <= 0 || eq == feed.length() - 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--feed must be PLACEHOLDER=COLUMN[,COLUMN...], got '" + feed + "'");
      }
      feedMap.put(feed.substring(0, eq), Arrays.asList(feed.substring(eq + 1).split(",")));
    }
    TrainOptions.Mode parsedMode = switch (mode) {
      case "sync" -> TrainOptions.Mode.SYNC;
      case "average" -> TrainOptions.Mode.AVERAGE;
      default -> throw new CommandLine.ParameterException(spec.commandLine(), "--mode must be sync or average, got '" + mode + "'");
    };
    TrainOptions options;
    try {
      RestoreOptions restore = RestoreOptions.fromFlags("init-", initInclude, initExclude, initMap, initReshape, false);
      options = new TrainOptions(meta, initCheckpoint, restore, data, format, feedMap, batchSize, steps, epochs, seed, checkpointDir, saveEverySteps,
          saveEverySeconds, maxToKeep, keepHours, shards, parsedMode, localSteps, asyncSave, trainOp, loss, partitions, Math.max(1, logEvery));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    SparkSession spark = SparkSessions.getOrCreate(master, "sparkpoint train");
    TrainJob.Result result = TrainJob.run(spark, options, out);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("checkpoint_dir", result.checkpointDir());
    summary.put("resumed", result.resumed());
    summary.put("first_step", result.firstStep());
    summary.put("last_step", result.lastStep());
    summary.put("loss", Double.isNaN(result.loss()) ? null : result.loss());
    summary.put("latest_checkpoint", result.latestCheckpoint());
    summary.put("checkpoints", result.checkpoints());
    summary.put("examples", result.examples());
    summary.put("examples_per_second", Math.round(result.examplesPerSecond() * 10) / 10.0);
    summary.put("event_file", result.eventFile());
    out.println(Json.write(summary));
    return 0;
  }
}
