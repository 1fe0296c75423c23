package io.sparkpoint.spark.source;

import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.checkpoint.CheckpointState;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Writes small checkpoints and state files for the data source's tests. */
final class TestCheckpoints {
  private TestCheckpoints() {}

  /** A single-shard checkpoint holding {@code tensors}, in map order. */
  static String write(FileIO io, String prefix, Map<String, Tensor> tensors) {
    try {
      BundleWriter writer = BundleWriter.create(io, prefix);
      for (Map.Entry<String, Tensor> tensor : tensors.entrySet()) {
        writer.add(tensor.getKey(), tensor.getValue());
      }
      writer.finish();
      return prefix;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The state file of {@code directory}, listing {@code prefixes} oldest first; the last is the latest. */
  static void state(FileIO io, String directory, String... prefixes) {
    CheckpointState state = new CheckpointState(prefixes[prefixes.length - 1], List.of(prefixes), List.of(), 0);
    try {
      Checkpoints.updateCheckpointState(io, directory, state, null, Checkpoints.PathStyle.RELATIVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
