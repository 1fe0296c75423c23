package io.sparkpoint.checkpoint;

import java.util.List;

/**
 * The contents of a checkpoint directory's state file ({@code checkpoint}): the newest checkpoint,
 * the retained ones oldest first, their save times, and the time of the last checkpoint kept by
 * keep-every-N-hours. Timestamps are seconds since the epoch; the lists may be empty.
 */
public record CheckpointState(
    String modelCheckpointPath,
    List<String> allModelCheckpointPaths,
    List<Double> allModelCheckpointTimestamps,
    double lastPreservedTimestamp) {

  public CheckpointState {
    allModelCheckpointPaths = List.copyOf(allModelCheckpointPaths);
    allModelCheckpointTimestamps = List.copyOf(allModelCheckpointTimestamps);
    if (!allModelCheckpointTimestamps.isEmpty() && allModelCheckpointTimestamps.size() != allModelCheckpointPaths.size()) {
      throw new IllegalArgumentException(
          "Checkpoint timestamps, if provided, must match checkpoint paths (got paths " + allModelCheckpointPaths
              + " and timestamps " + allModelCheckpointTimestamps + ")");
    }
  }

  /** A state naming just {@code path}, as a save without retention writes it. */
  public static CheckpointState of(String path) {
    return new CheckpointState(path, List.of(path), List.of(), 0);
  }
}
