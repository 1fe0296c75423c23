package io.sparkpoint.spark.jobs;

import io.sparkpoint.bundle.Resharder;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.FileIO;
import java.io.IOException;

/** Rewrites a checkpoint into N data shards (see {@link Resharder}). */
public final class ReshardJob {
  private ReshardJob() {}

  public static Resharder.Result run(FileIO io, String source, String destination, int shards) throws IOException {
    return Resharder.reshard(io, Checkpoints.resolvePrefix(io, source), destination, shards);
  }
}
