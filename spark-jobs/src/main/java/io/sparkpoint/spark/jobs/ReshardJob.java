package io.sparkpoint.spark.jobs;

import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.Resharder;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.FileIO;
import java.io.IOException;
import java.util.Arrays;

/**
 * Rewrites a checkpoint into N data shards (see {@link Resharder}), in this JVM or as Spark tasks
 * (see {@link Placement}): on Spark each task writes one new shard, the driver merges them, the
 * index last. The files are the same either way, byte for byte; a rerun that finds the destination
 * already written writes nothing.
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
        ShardCopies.run(placement.session("sparkpoint reshard"), io, plan);
      }
      return plan.result();
    }
  }
}
