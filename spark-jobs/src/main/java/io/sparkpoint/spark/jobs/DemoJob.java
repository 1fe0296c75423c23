package io.sparkpoint.spark.jobs;

import io.sparkpoint.bundle.ShardedBundleWriter;
import io.sparkpoint.checkpoint.CheckpointState;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.SupportsDirectories;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.util.List;

/**
 * Writes a small demonstration checkpoint (two data shards, a state file) the way a training job
 * will: a dense layer, a vocabulary and a global step. Training replaces it in a later release.
 */
public final class DemoJob {
  private DemoJob() {}

  /** Writes {@code directory/model.ckpt-<step>} and the state file; returns the prefix. */
  public static String run(FileIO io, String directory, long step) throws IOException {
    if (io instanceof SupportsDirectories dirs) {
      dirs.createDirectories(directory);
    }
    String prefix = Locations.join(directory, "model.ckpt-" + step);
    float[] kernel = new float[12];
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = (i - 6) / 8.0f;
    }
    try (ShardedBundleWriter writer = ShardedBundleWriter.create(io, prefix, 2)) {
      writer.shard(0).add("dense/kernel", Tensor.ofFloats(Shape.of(4, 3), kernel));
      writer.shard(0).add("dense/bias", Tensor.ofFloats(Shape.of(3), 0.1f, 0.2f, 0.3f));
      writer.shard(1).add("global_step", Tensor.scalar(step));
      writer.shard(1).add("vocab", Tensor.ofStrings(Shape.of(3), "alpha", "beta", "gamma"));
      writer.finish();
    }
    double now = System.currentTimeMillis() / 1000.0;
    Checkpoints.updateCheckpointState(
        io, directory, new CheckpointState(prefix, List.of(prefix), List.of(now), 0), null, Checkpoints.PathStyle.RELATIVE);
    return prefix;
  }
}
