package io.sparkpoint.commit;

import io.sparkpoint.bundle.BundleMerger;
import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.checkpoint.CheckpointState;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.checkpoint.InvalidCheckpointStateException;
import io.sparkpoint.fs.AtomicFiles;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.SupportsDirectories;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.retention.CheckpointFiles;
import io.sparkpoint.retention.CheckpointHistory;
import io.sparkpoint.retention.PendingDeletions;
import io.sparkpoint.retention.RetentionRule;
import io.sparkpoint.retention.TimedCheckpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Commits checkpoints whose data shards were written elsewhere (by parallel tasks) into a checkpoint
 * directory, so that a crash at any moment leaves the previous checkpoint intact and the state file
 * never names a partial one. A save {@linkplain #begin begins} with a temporary directory under
 * {@code DIR/.sparkpoint-tmp/}, where each shard writer puts a complete single-shard bundle. The
 * commit then, in this order:
 * <ol>
 *   <li>writes {@code PREFIX.meta};
 *   <li>merges the shards' indexes into {@code PREFIX.index}, renaming their data files to
 *       {@code PREFIX.data-0000k-of-0000S} first and writing the index last;
 *   <li>applies retention (max_to_keep, keep every N hours) and records the checkpoints it drops in
 *       {@code DIR/.checkpoint.pending-deletions} ({@link PendingDeletions});
 *   <li>updates the {@code checkpoint} state file atomically, with timestamps (the commit point);
 *   <li>deletes the dropped checkpoints' files, then the record;
 *   <li>writes {@code PREFIX.manifest.json}, the marker a scheduler waits on: once it exists, the
 *       checkpoint is committed and retention has been applied.
 * </ol>
 * A crash between the state file and the deletions (which leaks them in TensorFlow) leaves the
 * record, so the next committer, save or retain on the directory deletes exactly those checkpoints;
 * checkpoints kept every N hours are never recorded. A new committer on the same directory finishes
 * such a record and takes over the checkpoints its state file lists, so retention holds across
 * restarts. Each {@link #begin} removes what a crashed save left: pending deletions, the temporary
 * directory, and files of checkpoints of this name newer than the latest committed one that the
 * state file does not list (a restarted run writes those steps again). One run writes a directory
 * at a time. Not thread-safe.
 */
public final class CheckpointCommitter {
  /** The directory, inside the checkpoint directory, where uncommitted shards are written. */
  public static final String TEMP_DIRECTORY = ".sparkpoint-tmp";
  /** The files of a dropped checkpoint besides its index and data files. */
  private static final List<String> ALSO_DELETED = List.of("meta", CheckpointManifest.SUFFIX);

  private final FileIO io;
  private final String directory;
  private final String basename;
  private final DoubleSupplier clock;
  private final CheckpointHistory history;
  private final Pattern ours;
  private final PendingDeletions pending;

  /** A save in progress: where its shards go. */
  public record PendingSave(String prefix, long step, String tempDirectory) implements java.io.Serializable {
    /** Where shard {@code k} of {@code count} is written by attempt {@code attempt} (retried attempts never collide). */
    public String shardPrefix(int k, int count, long attempt) {
      return BundleNaming.shardedFilename(tempDirectory + "/attempt-" + attempt + "/part", k, count);
    }
  }

  /** What a commit did. */
  public record Committed(String prefix, CheckpointManifest manifest, List<String> deleted) {}

  /**
   * @param basename the checkpoints' name in the directory ({@code model.ckpt}: checkpoints are {@code model.ckpt-STEP})
   * @param maxToKeep checkpoints to keep (at least 1)
   * @param keepCheckpointEveryNHours also keep one checkpoint every N hours, or null
   * @param clock the time in seconds
   * @throws IOException when the state file or a pending-deletions record cannot be read
   */
  public CheckpointCommitter(FileIO io, String directory, String basename, int maxToKeep, Double keepCheckpointEveryNHours, DoubleSupplier clock)
      throws IOException {
    if (maxToKeep < 1) {
      throw new IllegalArgumentException("--max-to-keep must be at least 1, got " + maxToKeep);
    }
    this.io = io;
    this.directory = directory.endsWith("/") ? directory.substring(0, directory.length() - 1) : directory;
    this.basename = basename;
    this.clock = clock;
    this.ours = Pattern.compile(Pattern.quote(basename) + "-(\\d+)");
    this.pending = PendingDeletions.of(io, this.directory, null);
    finishPendingDeletions();
    double now = clock.getAsDouble();
    this.history = new CheckpointHistory(RetentionRule.SAVER, maxToKeep, keepCheckpointEveryNHours, now);
    CheckpointState state = state();
    if (state != null) {
      String dir = this.directory + "/";
      history.recover(state, p -> p.startsWith(dir) && ours.matcher(p.substring(dir.length())).matches(), p -> CheckpointFiles.savedAt(io, p),
          now);
    }
  }

  /** The latest committed checkpoint of the directory (any name), or null. */
  public String latest() throws IOException {
    return Checkpoints.latestCheckpoint(io, directory, null);
  }

  /** The prefix of step {@code step}'s checkpoint. */
  public String prefix(long step) {
    return Locations.join(directory, basename + "-" + step);
  }

  /** Cleans what a crashed save left, then creates the temporary directory of a new save. */
  public PendingSave begin(long step) throws IOException {
    finishPendingDeletions();
    cleanLeftovers();
    String temp = Locations.join(Locations.join(directory, TEMP_DIRECTORY), basename + "-" + step + "-" + UUID.randomUUID().toString().replace("-", ""));
    if (io instanceof SupportsDirectories dirs) {
      dirs.createDirectories(temp);
    }
    return new PendingSave(prefix(step), step, temp);
  }

  /**
   * Commits a save whose shards are complete bundles at {@code shardPrefixes} (in shard order).
   *
   * @param meta the MetaGraphDef written as {@code PREFIX.meta}, or null for none
   * @param manifest the manifest's fields; its checkpoint, step, shard count and wall time are set here
   * @throws IOException when a step fails; before the state file is written, nothing the state file
   *     names has changed, and the next {@link #begin} removes the partial files
   */
  public Committed commit(PendingSave save, List<String> shardPrefixes, MetaGraphDef meta, CheckpointManifest manifest) throws IOException {
    String prefix = save.prefix();
    if (meta != null) {
      writeAtomically(BundleNaming.metaFile(prefix), meta.toByteArray());
    }
    BundleMerger.Result merged = BundleMerger.merge(io, shardPrefixes, prefix, false);
    removeTemporary(save);
    double now = clock.getAsDouble();
    CheckpointHistory.Sweep sweep = history.record(prefix, now);
    pending.record(sweep.deleted().stream().map(TimedCheckpoint::prefix).toList(), ALSO_DELETED);
    Checkpoints.updateCheckpointState(io, directory, history.toState(prefix, now), null, Checkpoints.PathStyle.RELATIVE);
    List<String> deleted;
    try {
      deleted = finishPendingDeletions();
    } catch (IOException | RuntimeException e) {
      deleted = List.of(); // committed all the same: the record makes the next begin retry
      System.err.println("sparkpoint: could not delete old checkpoints: " + e.getMessage());
    }
    CheckpointManifest written = new CheckpointManifest(prefix, save.step(), now, manifest.loss(), manifest.appId(), merged.numShards(),
        manifest.bytes(), merged.entries());
    writeAtomically(CheckpointManifest.location(prefix), (written.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
    return new Committed(prefix, written, deleted);
  }

  /** Drops an uncommitted save's temporary files (best effort). */
  public void abort(PendingSave save) {
    try {
      removeTemporary(save);
    } catch (IOException ignored) {
      // the next begin removes it
    }
  }

  /** The checkpoints retention keeps, oldest first. */
  public List<String> checkpoints() {
    return history.prefixes();
  }

  private CheckpointState state() throws IOException {
    try {
      return Checkpoints.getCheckpointState(io, directory, null);
    } catch (InvalidCheckpointStateException e) {
      throw new IOException("Cannot resume in " + directory + ": its state file is unreadable: " + e.getMessage(), e);
    }
  }

  /** Deletes what a sweep recorded and the state file no longer lists; a checkpoint that cannot be deleted only warns. */
  private List<String> finishPendingDeletions() throws IOException {
    PendingDeletions.Finished finished = pending.finish();
    finished.failures().forEach(failure -> System.err.println("sparkpoint: " + failure));
    return finished.files();
  }

  private void cleanLeftovers() throws IOException {
    if (!(io instanceof SupportsDirectories dirs)) {
      return;
    }
    deleteDirectory(Locations.join(directory, TEMP_DIRECTORY));
    CheckpointState state = state();
    long committed = -1;
    List<String> listed = new ArrayList<>();
    if (state != null) {
      listed.addAll(state.allModelCheckpointPaths());
      listed.add(state.modelCheckpointPath());
      for (String path : listed) {
        Matcher m = ours.matcher(Locations.name(path));
        if (m.matches()) {
          committed = Math.max(committed, Long.parseLong(m.group(1)));
        }
      }
    }
    Pattern file = Pattern.compile(
        Pattern.quote(basename) + "-(\\d+)\\.(?:index|meta|manifest\\.json|data-\\d{5}-of-\\d{5})(\\.tempstate\\d+|\\.tmp[0-9a-f]{32})?");
    for (String path : dirs.list(directory)) {
      Matcher m = file.matcher(Locations.name(path));
      if (!m.matches()) {
        String name = Locations.name(path);
        if (name.matches(Pattern.quote(Checkpoints.DEFAULT_STATE_FILE) + AtomicFiles.TEMP_SUFFIX_REGEX)
            || name.matches(Pattern.quote(Locations.name(pending.location())) + AtomicFiles.TEMP_SUFFIX_REGEX)) {
          io.deleteFile(path); // a state file or record update that crashed before its rename
        }
        continue;
      }
      boolean temporary = m.group(2) != null;
      boolean uncommitted = Long.parseLong(m.group(1)) > committed && !listed.contains(Locations.join(directory, basename + "-" + m.group(1)));
      if (temporary || uncommitted) {
        io.deleteFile(path);
      }
    }
  }

  /** The save's temporary directory, then the temporary root when nothing else is in it. */
  private void removeTemporary(PendingSave save) throws IOException {
    deleteDirectory(save.tempDirectory());
    String root = Locations.parent(save.tempDirectory());
    if (io instanceof SupportsDirectories dirs && dirs.isDirectory(root) && dirs.list(root).isEmpty()) {
      dirs.deleteDirectory(root);
    }
  }

  private void deleteDirectory(String location) throws IOException {
    if (io instanceof SupportsDirectories dirs && dirs.isDirectory(location)) {
      dirs.deleteDirectory(location);
    }
  }

  private void writeAtomically(String location, byte[] bytes) throws IOException {
    AtomicFiles.replace(io, location, bytes);
  }
}
