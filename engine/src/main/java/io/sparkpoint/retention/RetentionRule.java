package io.sparkpoint.retention;

/**
 * Which of TensorFlow's two retention algorithms a {@link CheckpointHistory} follows. They differ
 * only in details, and both are kept exactly:
 * <ul>
 *   <li>{@link #SAVER}, TF1's {@code tf.compat.v1.train.Saver}: {@code max_to_keep = 0} tracks
 *       nothing (the state file lists only the newest checkpoint and nothing is deleted); a
 *       checkpoint leaving the list is preserved when it is newer than the next preservation time,
 *       which then advances by N hours.
 *   <li>{@link #MANAGER}, TF2's {@code tf.train.CheckpointManager}: no {@code max_to_keep} keeps
 *       everything listed; a checkpoint leaving the list is preserved when it is at least N hours
 *       newer than the last preserved one, which it then becomes.
 * </ul>
 */
public enum RetentionRule {
  SAVER,
  MANAGER
}
