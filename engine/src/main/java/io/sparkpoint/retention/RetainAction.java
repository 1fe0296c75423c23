package io.sparkpoint.retention;

import io.sparkpoint.checkpoint.CheckpointState;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Retention as a batch job ({@code sparkpoint retain}): takes over the checkpoints a directory's
 * state file lists (with their timestamps and {@code last_preserved_timestamp}, or the index files'
 * times), applies {@code max_to_keep} and keep-every-N-hours as a Saver would have, writes the
 * state file (atomically, before anything is deleted, so it never names a deleted checkpoint), then
 * deletes exactly the swept checkpoints' files, recorded first in {@link PendingDeletions} so a
 * crash in between leaks nothing. Files the state file does not list are never touched, except the
 * checkpoints such a record names, left by a crashed save, commit or retain: those are deleted
 * first (a dry run lists them). Running it again changes nothing.
 */
public final class RetainAction {
  /**
   * What a run decided (and, unless a dry run, did).
   *
   * @param pending the checkpoints an interrupted sweep had recorded for deletion and the state file no longer lists
   * @param deletedFiles every file deleted, the pending checkpoints' included
   */
  public record Result(String directory, List<String> kept, List<String> preserved, List<String> deleted, List<String> pending,
      List<String> deletedFiles, boolean dryRun) {}

  private RetainAction() {}

  /**
   * @param maxToKeep checkpoints to keep, at least 1
   * @param keepCheckpointEveryNHours how often a checkpoint is preserved, or null for never
   * @param now the time, in seconds
   * @throws FileNotFoundException when the directory has no state file
   * @throws IllegalArgumentException for a bad max_to_keep or keep-every-N-hours
   */
  public static Result run(FileIO io, String directory, int maxToKeep, Double keepCheckpointEveryNHours, boolean dryRun, double now)
      throws IOException {
    if (maxToKeep < 1) {
      throw new IllegalArgumentException("--max-to-keep must be at least 1, got " + maxToKeep);
    }
    CheckpointState state = Checkpoints.getCheckpointState(io, directory, null);
    if (state == null) {
      throw new FileNotFoundException("No checkpoint state file in " + directory + ": expected "
          + Locations.join(directory, Checkpoints.DEFAULT_STATE_FILE));
    }
    PendingDeletions journal = PendingDeletions.of(io, directory, null);
    List<String> deletedFiles = new ArrayList<>();
    List<String> pending;
    if (dryRun) {
      pending = journal.leftovers();
    } else {
      PendingDeletions.Finished finished = journal.finish().requireComplete();
      pending = finished.prefixes();
      deletedFiles.addAll(finished.files());
    }
    // the preservation clock: the state file's last_preserved_timestamp; without one (TF1's files), the oldest checkpoint
    double windowStart = Math.min(now, state.allModelCheckpointTimestamps().stream().mapToDouble(Double::doubleValue).min().orElse(now));
    CheckpointHistory history = new CheckpointHistory(RetentionRule.SAVER, maxToKeep, keepCheckpointEveryNHours, windowStart);
    String dir = directory.endsWith("/") ? directory : directory + "/";
    history.recover(state, p -> p.startsWith(dir), p -> CheckpointFiles.savedAt(io, p), now);
    CheckpointHistory.Sweep sweep = history.enforce();
    List<String> deleted = sweep.deleted().stream().map(TimedCheckpoint::prefix).toList();
    if (!dryRun && !(deleted.isEmpty() && sweep.preserved().isEmpty())) {
      journal.record(deleted, List.of("meta"));
      Checkpoints.updateCheckpointState(io, directory, history.toState(state.modelCheckpointPath(), now), null,
          Checkpoints.PathStyle.RELATIVE);
      deletedFiles.addAll(journal.finish().requireComplete().files());
    }
    return new Result(directory, history.prefixes(), sweep.preserved().stream().map(TimedCheckpoint::prefix).toList(), deleted, pending,
        deletedFiles, dryRun);
  }
}
