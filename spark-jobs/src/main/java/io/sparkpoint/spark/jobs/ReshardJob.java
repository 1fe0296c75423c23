package io.sparkpoint.spark.jobs;

import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.Resharder;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.spark.hadoop.HadoopPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Rewrites a checkpoint into N data shards (see {@link Resharder}), in this JVM or as Spark tasks
 * (see {@link Placement}): on Spark each task writes one new shard, the driver merges them, the
 * index last (see {@link ShardCopies}). The files are the same either way, byte for byte; a rerun
 * that finds the destination already written writes nothing.
 */
public final class ReshardJob {
  private ReshardJob() {}

  /**
   * @param source a checkpoint prefix or a directory with a state file
   * @param destination the prefix to write
   * @throws IllegalArgumentException for a shard count the source cannot fill, or a destination
   *     that is the source or holds another checkpoint
   */
  public static Resharder.Result run(FileIO io, String source, String destination, int shards, Placement placement) throws IOException {
    String sourcePrefix = Checkpoints.resolvePrefix(io, source);
    if (placement.mode() == Placement.Mode.LOCAL) {
      return Resharder.reshard(io, sourcePrefix, destination, shards);
    }
    try (BundleReader reader = BundleReader.open(io, sourcePrefix)) {
      Resharder.Plan plan = Resharder.plan(reader, destination, shards);
      if (!placement.usesSpark(Arrays.stream(plan.shardBytes()).sum(), plan.numShards())) {
        return Resharder.reshard(io, sourcePrefix, destination, shards);
      }
      if (Resharder.prepare(io, reader, plan)) {
        onSpark(placement.session("sparkpoint reshard"), io, plan);
      }
      return plan.result();
    }
  }

  /** Task k copies new shard k of the plan (shipped once, as a broadcast); the driver merges. */
  private static void onSpark(SparkSession spark, FileIO io, Resharder.Plan plan) throws IOException {
    Broadcast<Resharder.Plan> shipped = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(plan);
    String source = HadoopPaths.absolute(plan.source(), spark.sparkContext().hadoopConfiguration());
    List<Integer> shards = new ArrayList<>();
    for (int shard = 0; shard < plan.numShards(); shard++) {
      shards.add(shard);
    }
    ShardCopies.run(spark, io, plan.destination(), shards, "sparkpoint reshard " + plan.source() + " into " + plan.numShards() + " shards",
        (taskIO, shard, writer) -> {
          try (BundleReader reader = BundleReader.open(taskIO, source)) {
            Resharder.copyShard(reader, shipped.value(), shard, writer);
          }
        });
  }
}
