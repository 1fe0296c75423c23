package io.sparkpoint.bundle;

import io.sparkpoint.proto.BundleEntryProto;
import java.io.IOException;
import java.io.Serializable;

/**
 * One piece of a {@link ValidationPlan}: a stored index entry to check in its data file, either
 * whole (bounds and checksum) or, for a large fixed-width entry, one byte range of it (bounds, and
 * the range's CRC32C for the plan to combine). A check needs nothing but a {@link BundleReader} of
 * its checkpoint, so it runs in any process that can read the checkpoint's files, a Spark task for one.
 *
 * @param id the check's position in its plan
 * @param tensor how problems name the entry: the tensor, or a printable slice key
 * @param entry the entry as the index stores it
 * @param from where the range starts within the entry's bytes; 0 for a whole entry
 * @param length the bytes checked: the range's, or the whole entry's size
 * @param whole check the whole entry, checksum included; otherwise compute the range's CRC32C
 */
public record EntryCheck(int id, String tensor, BundleEntryProto entry, long from, long length, boolean whole) implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * What one check found.
   *
   * @param id the check's id
   * @param problem what is wrong, worded as {@link BundleValidator} words it; null when nothing is
   * @param crc for a range without problem, the CRC32C of its bytes (unmasked); 0 otherwise
   */
  public record Outcome(int id, String problem, int crc) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The shard of the data file the entry lies in, as the index says (an invalid one fails the check). */
  public int shard() {
    return entry.getShardId();
  }

  /** Where the checked bytes start in the data file. */
  public long fileOffset() {
    return entry.getOffset() + from;
  }

  /** Runs the check with a reader of the plan's checkpoint. Reports what it finds; never throws for it. */
  public Outcome run(BundleReader reader) {
    try {
      if (whole) {
        reader.verifyEntry(tensor, entry);
        return new Outcome(id, null, 0);
      }
      return new Outcome(id, null, reader.crcOfRange(tensor, entry, from, length));
    } catch (IOException | RuntimeException e) {
      return new Outcome(id, ValidationPlan.describe(e), 0);
    }
  }
}
