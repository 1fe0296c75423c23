package io.sparkpoint.retention;

import io.sparkpoint.checkpoint.CheckpointState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The checkpoints a Saver or CheckpointManager still manages, oldest first, and its clock for
 * keep-every-N-hours: TensorFlow's retention algorithm ({@link RetentionRule}), made restart-safe.
 *
 * <p>What it adds to TensorFlow: {@link #recover} rebuilds the history from a state file (its
 * timestamps and {@code last_preserved_timestamp}, which {@link #toState} writes), so retention
 * goes on applying after a restart instead of leaking the previous run's checkpoints; and a sweep
 * removes every checkpoint beyond {@code max_to_keep}, not just one (a lowered {@code max_to_keep}
 * takes effect at the next save). It only decides: callers record {@link Sweep#deleted()} in
 * {@link PendingDeletions}, write the state file, then delete their files. Not thread-safe.
 */
public final class CheckpointHistory {
  private final RetentionRule rule;
  private final Integer maxToKeep;
  private final double keepSeconds;
  private final List<TimedCheckpoint> active = new ArrayList<>();
  /** SAVER: the start of the current preservation window (TF's next_checkpoint_time minus N hours). MANAGER: the last preserved time. */
  private double lastPreserved;

  /**
   * @param maxToKeep checkpoints to keep; null (MANAGER: keep all) or 0 (SAVER: track only the newest)
   * @param keepCheckpointEveryNHours null or infinite for never
   * @param now the creation time, in seconds: the first preservation window starts here
   */
  public CheckpointHistory(RetentionRule rule, Integer maxToKeep, Double keepCheckpointEveryNHours, double now) {
    if (maxToKeep != null && maxToKeep < 0) {
      throw new IllegalArgumentException("max_to_keep must not be negative, got " + maxToKeep);
    }
    if (keepCheckpointEveryNHours != null && !(keepCheckpointEveryNHours > 0)) {
      throw new IllegalArgumentException("keep_checkpoint_every_n_hours must be positive, got " + keepCheckpointEveryNHours);
    }
    this.rule = rule;
    this.maxToKeep = maxToKeep;
    this.keepSeconds = keepCheckpointEveryNHours == null ? Double.POSITIVE_INFINITY : keepCheckpointEveryNHours * 3600;
    this.lastPreserved = now;
  }

  /** What one save decided for the checkpoints that left the list. */
  public record Sweep(List<TimedCheckpoint> deleted, List<TimedCheckpoint> preserved) {
    public static final Sweep NONE = new Sweep(List.of(), List.of());
  }

  /** The managed checkpoints, oldest first. */
  public List<TimedCheckpoint> checkpoints() {
    return List.copyOf(active);
  }

  public List<String> prefixes() {
    return active.stream().map(TimedCheckpoint::prefix).toList();
  }

  public double lastPreserved() {
    return lastPreserved;
  }

  /** Replaces the managed list (TF's set_last_checkpoints_with_time). */
  public void set(List<TimedCheckpoint> checkpoints) {
    active.clear();
    active.addAll(checkpoints);
  }

  /**
   * Records a newly committed checkpoint: re-saving a managed prefix moves it to the end with the new
   * time; then every checkpoint beyond {@code max_to_keep} leaves the list, oldest first, and is
   * either preserved (keep-every-N-hours) or to be deleted. The new checkpoint is never swept.
   */
  public Sweep record(String prefix, double now) {
    if (rule == RetentionRule.SAVER && maxToKeep != null && maxToKeep == 0) {
      return Sweep.NONE;
    }
    active.removeIf(c -> c.prefix().equals(prefix));
    active.add(new TimedCheckpoint(prefix, now));
    if (maxToKeep == null) {
      return Sweep.NONE;
    }
    return trim();
  }

  /**
   * Applies {@code max_to_keep} and keep-every-N-hours to the list as it stands, without a new save
   * (a batch retain of a directory): the newest {@code max_to_keep} (at least one) stay.
   */
  public Sweep enforce() {
    if (maxToKeep == null || (rule == RetentionRule.SAVER && maxToKeep == 0)) {
      return Sweep.NONE;
    }
    return trim();
  }

  private Sweep trim() {
    List<TimedCheckpoint> deleted = new ArrayList<>();
    List<TimedCheckpoint> preserved = new ArrayList<>();
    while (active.size() > Math.max(maxToKeep, 1)) {
      TimedCheckpoint oldest = active.remove(0);
      if (preserve(oldest.timestamp())) {
        preserved.add(oldest);
      } else {
        deleted.add(oldest);
      }
    }
    return new Sweep(List.copyOf(deleted), List.copyOf(preserved));
  }

  private boolean preserve(double timestamp) {
    if (Double.isInfinite(keepSeconds)) {
      return timestamp == Double.POSITIVE_INFINITY; // set_last_checkpoints: never deleted
    }
    if (rule == RetentionRule.SAVER) {
      if (timestamp > lastPreserved + keepSeconds) {
        lastPreserved += keepSeconds;
        return true;
      }
      return false;
    }
    if (timestamp - keepSeconds >= lastPreserved) {
      lastPreserved = timestamp;
      return true;
    }
    return false;
  }

  /**
   * The state file for {@code latest}: the managed list (just {@code latest} when nothing is
   * tracked), their timestamps and the preservation clock.
   */
  public CheckpointState toState(String latest, double now) {
    List<TimedCheckpoint> listed = active.isEmpty() || !active.get(active.size() - 1).prefix().equals(latest)
        ? List.of(new TimedCheckpoint(latest, now)) : active;
    List<Double> times = new ArrayList<>();
    for (TimedCheckpoint c : listed) {
      times.add(Double.isInfinite(c.timestamp()) ? now : c.timestamp());
    }
    return new CheckpointState(latest, listed.stream().map(TimedCheckpoint::prefix).toList(), times, lastPreserved);
  }

  /**
   * Takes over the checkpoints a state file lists, as a process restarting on the same directory
   * must. Only prefixes {@code manages} accepts and whose files exist ({@code savedAt} gives a time,
   * from the state file's timestamps or the index's modification time) are taken over; others are
   * never touched. The preservation clock continues from the state file's
   * {@code last_preserved_timestamp} (clamped to {@code now}). For the MANAGER rule, listed
   * checkpoints no newer than that time count as preserved, as in TensorFlow.
   *
   * @param savedAt prefix to its save time in seconds, or null when its files are gone
   */
  public void recover(CheckpointState state, Predicate<String> manages, java.util.function.Function<String, Double> savedAt, double now) {
    if (state.lastPreservedTimestamp() > 0) {
      lastPreserved = Math.min(state.lastPreservedTimestamp(), now);
    }
    List<String> paths = state.allModelCheckpointPaths();
    List<Double> stamps = state.allModelCheckpointTimestamps();
    active.clear();
    for (int i = 0; i < paths.size(); i++) {
      String prefix = paths.get(i);
      if (!manages.test(prefix)) {
        continue;
      }
      Double saved = savedAt.apply(prefix);
      if (saved == null) {
        continue;
      }
      double time = stamps.isEmpty() ? saved : stamps.get(i);
      if (rule == RetentionRule.MANAGER && Math.min(time, now) <= lastPreserved && state.lastPreservedTimestamp() > 0) {
        continue;
      }
      active.removeIf(c -> c.prefix().equals(prefix));
      active.add(new TimedCheckpoint(prefix, time));
    }
  }
}
