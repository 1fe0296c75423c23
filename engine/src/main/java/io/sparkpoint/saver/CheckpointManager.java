package io.sparkpoint.saver;

import io.sparkpoint.checkpoint.CheckpointState;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.exec.Session;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.retention.CheckpointFiles;
import io.sparkpoint.retention.CheckpointHistory;
import io.sparkpoint.retention.PendingDeletions;
import io.sparkpoint.retention.RetentionRule;
import io.sparkpoint.retention.TimedCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TensorFlow 2's {@code tf.train.CheckpointManager} over a {@link Saver}: numbered checkpoints
 * {@code DIR/ckpt-N}, retention by {@code max_to_keep} and keep-every-N-hours (TF2's rule, see
 * {@link RetentionRule#MANAGER}), an optional step counter with a minimum interval between saves,
 * and a state file with relative paths and timestamps.
 *
 * <p>It picks up a directory's existing checkpoints when created, as TensorFlow does, and also
 * continues their numbering (TensorFlow keeps that counter in the checkpoint itself). Unlike
 * TensorFlow it writes a {@code .meta} with each checkpoint by default, so a new process can
 * restore without rebuilding the graph; retention then deletes it with the checkpoint. Not thread-safe.
 */
public final class CheckpointManager {
  private static final Pattern NUMBERED = Pattern.compile(".*-(\\d+)$");

  private final Saver saver;
  private final FileIO io;
  private final String directory;
  private final String prefix;
  private final Integer maxToKeep;
  private final String stepCounter;
  private final Long checkpointInterval;
  private final boolean writeMetaGraph;
  private final DoubleSupplier clock;
  private final CheckpointHistory history;
  private String latest;
  private long saveCounter;
  private Long lastSavedStep;

  private CheckpointManager(Builder b) {
    if (b.maxToKeep != null && b.maxToKeep <= 0) {
      throw new IllegalArgumentException("Expected a positive integer or None for `max_to_keep`, got " + b.maxToKeep + ".");
    }
    if (b.checkpointInterval != null && b.stepCounter == null) {
      throw new IllegalArgumentException("`step_counter` should be passed if `checkpoint_interval` is not None.");
    }
    this.saver = b.saver;
    this.io = b.io;
    this.directory = b.directory;
    this.prefix = Locations.join(b.directory, b.checkpointName);
    this.maxToKeep = b.maxToKeep;
    this.stepCounter = b.stepCounter;
    this.checkpointInterval = b.checkpointInterval;
    this.writeMetaGraph = b.writeMetaGraph;
    this.clock = b.clock;
    double now = clock.getAsDouble();
    this.history = new CheckpointHistory(RetentionRule.MANAGER, maxToKeep, b.keepCheckpointEveryNHours, now - 1);
    try {
      PendingDeletions.of(io, directory, null).finish().requireComplete();
      CheckpointState state = Checkpoints.getCheckpointState(io, directory, null);
      if (state != null) {
        latest = state.modelCheckpointPath();
        saveCounter = number(latest);
        Pattern ours = Pattern.compile(Pattern.quote(prefix) + "-\\d+");
        history.recover(state, p -> ours.matcher(p).matches(), p -> CheckpointFiles.savedAt(io, p), now);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the checkpoint state of " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * @param saver saves and restores the variables (its own retention is not used)
   * @param io where the directory is (the session's FileIO must reach it too)
   */
  public static Builder builder(Saver saver, FileIO io, String directory) {
    return new Builder(saver, io, directory);
  }

  /** The managed checkpoints, oldest first; preserved ones are not listed. */
  public List<String> checkpoints() {
    return history.prefixes();
  }

  /** The newest checkpoint, or null. */
  public String latestCheckpoint() {
    return latest;
  }

  /** {@link #save(Session, Long, boolean)} numbered by the save counter, checking the interval. */
  public String save(Session session) {
    return save(session, null, true);
  }

  /**
   * Saves {@code DIR/ckpt-N}, N being {@code checkpointNumber} or the incremented save counter.
   * With a step counter and an interval, returns null instead when the step has not moved on far
   * enough (or, ignoring the interval, has not moved at all) since the last save.
   *
   * @return the new checkpoint's prefix, or null when skipped
   */
  public String save(Session session, Long checkpointNumber, boolean checkInterval) {
    Long step = null;
    if (stepCounter != null && checkpointInterval != null) {
      step = Saver.readStep(session, stepCounter);
      if (lastSavedStep != null && (step.equals(lastSavedStep) || (checkInterval && step < lastSavedStep + checkpointInterval))) {
        return null;
      }
    }
    long number = checkpointNumber != null ? checkpointNumber : saveCounter + 1;
    String path = saver.save(session, prefix + "-" + number,
        SaveOptions.defaults().withWriteState(false).withWriteMetaGraph(writeMetaGraph));
    saveCounter++; // only a committed save counts, so a failed one leaves no gap in the numbering
    double now = clock.getAsDouble();
    CheckpointHistory.Sweep sweep = history.record(path, now);
    try {
      PendingDeletions pending = PendingDeletions.of(io, directory, null);
      pending.record(sweep.deleted().stream().map(TimedCheckpoint::prefix).toList(), writeMetaGraph ? List.of("meta") : List.of());
      Checkpoints.updateCheckpointState(io, directory, history.toState(path, now), null, Checkpoints.PathStyle.RELATIVE);
      pending.finish().requireComplete();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot update the checkpoint state of " + directory + ": " + e.getMessage(), e);
    }
    latest = path;
    lastSavedStep = step;
    return path;
  }

  /**
   * Restores the newest checkpoint, or runs {@code initialize} when there is none.
   *
   * @return the restored prefix, or null when initialized
   */
  public String restoreOrInitialize(Session session, Runnable initialize) {
    if (latest != null) {
      saver.restore(session, latest);
      return latest;
    }
    initialize.run();
    return null;
  }

  private static long number(String path) {
    Matcher m = NUMBERED.matcher(path);
    return m.matches() ? Long.parseLong(m.group(1)) : 0;
  }

  /** TensorFlow's constructor arguments, with its defaults (checkpoint name {@code ckpt}). */
  public static final class Builder {
    private final Saver saver;
    private final FileIO io;
    private final String directory;
    private Integer maxToKeep;
    private Double keepCheckpointEveryNHours;
    private String checkpointName = "ckpt";
    private String stepCounter;
    private Long checkpointInterval;
    private boolean writeMetaGraph = true;
    private DoubleSupplier clock = () -> System.currentTimeMillis() / 1000.0;

    private Builder(Saver saver, FileIO io, String directory) {
      this.saver = Objects.requireNonNull(saver, "saver");
      this.io = Objects.requireNonNull(io, "io");
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** null keeps every checkpoint. */
    public Builder maxToKeep(Integer value) {
      this.maxToKeep = value;
      return this;
    }

    public Builder keepCheckpointEveryNHours(Double value) {
      this.keepCheckpointEveryNHours = value;
      return this;
    }

    public Builder checkpointName(String value) {
      this.checkpointName = value;
      return this;
    }

    /** A tensor holding the training step (for example {@code global_step:0}), read at each save. */
    public Builder stepCounter(String tensorName) {
      this.stepCounter = tensorName;
      return this;
    }

    /** The minimum number of steps between two saves; needs a step counter. */
    public Builder checkpointInterval(Long value) {
      this.checkpointInterval = value;
      return this;
    }

    public Builder writeMetaGraph(boolean value) {
      this.writeMetaGraph = value;
      return this;
    }

    public Builder clock(DoubleSupplier value) {
      this.clock = value;
      return this;
    }

    public CheckpointManager build() {
      return new CheckpointManager(this);
    }
  }
}
