package io.sparkpoint.spark.jobs;

import io.sparkpoint.bundle.BundleMerger;
import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.bundle.Resharder;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.SupportsDirectories;
import io.sparkpoint.spark.hadoop.HadoopConf;
import io.sparkpoint.spark.hadoop.HadoopPaths;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * A {@link Resharder.Plan} carried out by Spark tasks: task k copies the stored bytes of new shard
 * k into a single-shard bundle of its own under {@code DST_temp_<id>/attempt-<task attempt>/}, so
 * two attempts never share files; the driver then merges the bundles into {@code DST}
 * ({@link BundleMerger}: data files renamed first, the index last) and deletes the temporary
 * directory. A task that fails (a corrupt source tensor) returns its exception instead of throwing
 * it, so the job ends only when every task has, and the driver deletes the temporary directory with
 * no task still writing there, then throws that exception as the single-JVM reshard would.
 */
final class ShardCopies {
  private ShardCopies() {}

  /** What one task did: wrote new shard {@code shard} at {@code prefix}, or failed with {@code failure} (else null). */
  record Written(int shard, String prefix, Exception failure) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Writes every shard of the plan on Spark and merges them into its destination, whose directory exists. */
  static void run(SparkSession spark, FileIO io, Resharder.Plan plan) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String temp = plan.destination() + "_temp_" + UUID.randomUUID().toString().replace("-", "");
    if (io instanceof SupportsDirectories dirs) {
      dirs.createDirectories(temp);
    }
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Broadcast<Resharder.Plan> shipped = jsc.broadcast(plan);
      HadoopConf hadoop = new HadoopConf(conf);
      String source = HadoopPaths.absolute(plan.source(), conf);
      String tempDirectory = HadoopPaths.absolute(temp, conf);
      List<Integer> shards = new ArrayList<>();
      for (int shard = 0; shard < plan.numShards(); shard++) {
        shards.add(shard);
      }
      spark.sparkContext().setJobDescription("sparkpoint reshard " + plan.source() + " into " + plan.numShards() + " shards");
      List<Written> written = new ArrayList<>(
          jsc.parallelize(shards, shards.size()).map(shard -> write(hadoop, shipped.value(), source, tempDirectory, shard)).collect());
      written.sort(Comparator.comparingInt(Written::shard));
      for (Written task : written) {
        if (task.failure() instanceof RuntimeException e) {
          throw e;
        } else if (task.failure() != null) {
          throw (IOException) task.failure(); // write() returns only these two kinds
        }
      }
      BundleMerger.merge(io, written.stream().map(Written::prefix).toList(), plan.destination(), true);
    } finally {
      if (io instanceof SupportsDirectories dirs) {
        try {
          dirs.deleteDirectory(temp);
        } catch (IOException ignored) {
          // best effort: a leftover temporary directory never looks like a checkpoint
        }
      }
    }
  }

  /**
   * On an executor: copies new shard {@code shard} of the plan from {@code source} into a bundle of
   * this attempt's own; a failure leaves nothing behind and is returned.
   */
  static Written write(HadoopConf hadoop, Resharder.Plan plan, String source, String tempDirectory, int shard) {
    long attempt = TaskContext.get() == null ? 0 : TaskContext.get().taskAttemptId();
    String prefix = BundleNaming.shardedFilename(tempDirectory + "/attempt-" + attempt + "/part", shard, plan.numShards());
    FileIO io = hadoop.fileIO();
    try (BundleReader reader = BundleReader.open(io, source); BundleWriter writer = BundleWriter.create(io, prefix)) {
      Resharder.copyShard(reader, plan, shard, writer);
      writer.finish();
      return new Written(shard, prefix, null);
    } catch (IOException | RuntimeException e) {
      return new Written(shard, prefix, e);
    }
  }
}
