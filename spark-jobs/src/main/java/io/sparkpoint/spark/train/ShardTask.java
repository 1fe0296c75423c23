package io.sparkpoint.spark.train;

import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.commit.CheckpointCommitter;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;

/** A checkpoint shard written by an executor: a complete single-shard bundle under the save's temporary directory. */
final class ShardTask {
  private ShardTask() {}

  /** What a shard task wrote. */
  record Written(int shard, String prefix, long bytes) implements Serializable {}

  /**
   * Writes the values of {@code keys} (sorted) from the broadcast to this attempt's shard prefix,
   * named after the task attempt's id, so a retried task never collides
   * with a failed one.
   */
  static Written write(Broadcast<TrainContext> context, Broadcast<VariableValues> values, CheckpointCommitter.PendingSave save, int shard,
      int shards, List<String> keys) throws IOException {
    long attempt = TaskContext.get() == null ? 0 : TaskContext.get().taskAttemptId();
    String prefix = save.shardPrefix(shard, shards, attempt);
    FileIO io = context.value().hadoop().fileIO();
    Map<String, Tensor> all = values.value().values();
    long bytes = 0;
    try (BundleWriter writer = BundleWriter.create(io, prefix)) {
      for (String key : keys) {
        Tensor value = all.get(key);
        writer.add(key, value);
        bytes += value.data().remaining();
      }
      writer.finish();
    }
    return new Written(shard, prefix, bytes);
  }
}
