package io.sparkpoint.spark.train;

import io.sparkpoint.restore.RestoreOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run's settings, as {@code sparkpoint train} spells them.
 *
 * @param initRestore how {@code initCheckpoint} maps onto the variables (include/exclude, renames, reshape); mismatches are skipped
 * @param feeds placeholder name to its columns (one array or vector column, or numeric columns in order)
 * @param steps the global step to train to, or null to use {@code epochs}
 * @param partitions how many partitions the dataset is spread over, or null for Spark's default parallelism
 */
public record TrainOptions(String meta, String initCheckpoint, RestoreOptions initRestore, String data, String format, Map<String, List<String>> feeds, int batchSize,
    Long steps, Integer epochs, long seed, String checkpointDir, Long saveEverySteps, Double saveEverySeconds, int maxToKeep,
    Double keepCheckpointEveryNHours, int shards, Mode mode, int localSteps, boolean asyncSave, String trainOp, String loss, Integer partitions,
    int logEverySteps) {
  /** How replicas combine their work. */
  public enum Mode {
    /** Every step, gradients of each partition's slice of the global batch are averaged and applied once. */
    SYNC,
    /** Each partition runs {@code localSteps} steps on its slices, then the variables are averaged. */
    AVERAGE
  }

  public TrainOptions {
    feeds = new LinkedHashMap<>(feeds);
    initRestore = initRestore == null ? RestoreOptions.defaults() : initRestore;
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
    }
    if (steps == null && epochs == null) {
      throw new IllegalArgumentException("Give --steps or --epochs");
    }
    if (steps != null && steps < 0 || epochs != null && epochs < 1) {
      throw new IllegalArgumentException("--steps must not be negative and --epochs must be at least 1");
    }
    if (shards < 1) {
      throw new IllegalArgumentException("--shards must be at least 1, got " + shards);
    }
    if (maxToKeep < 1) {
      throw new IllegalArgumentException("--max-to-keep must be at least 1, got " + maxToKeep);
    }
    if (localSteps < 1) {
      throw new IllegalArgumentException("--local-steps must be at least 1, got " + localSteps);
    }
    if (saveEverySteps != null && saveEverySteps < 1 || saveEverySeconds != null && !(saveEverySeconds > 0)) {
      throw new IllegalArgumentException("--save-every-steps and --save-every-seconds must be positive");
    }
    if (feeds.isEmpty()) {
      throw new IllegalArgumentException("Give at least one --feed PLACEHOLDER=COLUMN[,COLUMN...]");
    }
  }
}
