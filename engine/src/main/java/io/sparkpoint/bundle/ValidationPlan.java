package io.sparkpoint.bundle;

import io.sparkpoint.bundle.BundleValidator.Problem;
import io.sparkpoint.bundle.BundleValidator.Report;
import io.sparkpoint.bytes.Crc32c;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.InputFile;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.TensorSliceProto;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.TensorSlice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@link BundleValidator}'s work split into pieces that may run apart, on Spark's executors for
 * example. Planning reads the index and checks what it alone shows: the header, that every data
 * shard exists, that partitioned tensors' slices are listed and cover them. Every other entry
 * becomes an {@link EntryCheck} to run where the data files can be read; a fixed-width entry larger
 * than {@code maxCheckBytes} that lies inside its data file becomes one check per range of at most
 * that many bytes, whose CRCs {@link #report} combines. The report is exactly the one
 * {@link BundleValidator#validate} gives: the same problems, worded the same, in the same order.
 * Immutable.
 */
public final class ValidationPlan {
  private final String prefix;
  private final int numShards;
  /** Problems found before any entry: an unreadable index, or missing data shards in shard order. */
  private final List<Problem> upfront;
  /** One per index entry, in key order. */
  private final List<Slot> slots;
  /** Every check, its id its position. */
  private final List<EntryCheck> checks;

  /**
   * An index entry's part of the report: the problems the index alone shows, and the checks that
   * decide the rest ({@code checkCount} of them from {@code firstCheck}; none for a partitioned
   * tensor or an entry whose data shard is missing).
   */
  private record Slot(String file, String tensor, BundleEntryProto entry, List<Problem> known, int firstCheck, int checkCount) {}

  private ValidationPlan(String prefix, int numShards, List<Problem> upfront, List<Slot> slots, List<EntryCheck> checks) {
    this.prefix = prefix;
    this.numShards = numShards;
    this.upfront = List.copyOf(upfront);
    this.slots = List.copyOf(slots);
    this.checks = List.copyOf(checks);
  }

  /**
   * Reads the index of {@code prefix} and plans its validation. A damaged checkpoint never throws:
   * an unreadable index is the plan's one problem, with nothing left to check.
   *
   * @param maxCheckBytes the most bytes one check reads, unless the entry cannot be split
   * @throws IllegalArgumentException when {@code maxCheckBytes} is not positive
   */
  public static ValidationPlan of(FileIO io, String prefix, long maxCheckBytes) {
    checkMaxBytes(maxCheckBytes);
    BundleReader reader;
    try {
      reader = BundleReader.open(io, prefix);
    } catch (IOException | RuntimeException e) {
      return unreadable(prefix, e);
    }
    ValidationPlan plan = of(io, reader, maxCheckBytes);
    try {
      reader.close();
    } catch (IOException ignored) {
      // only the index was read, and open() closed it; no data file is open
    }
    return plan;
  }

  /** Plans with an open reader of the checkpoint, which the caller may then use to run the checks. */
  static ValidationPlan of(FileIO io, BundleReader reader, long maxCheckBytes) {
    checkMaxBytes(maxCheckBytes);
    String prefix = reader.prefix();
    String indexFile = BundleNaming.indexFile(prefix);
    int shards = reader.numShards();
    List<Problem> upfront = new ArrayList<>();
    boolean[] shardMissing = new boolean[shards];
    long[] fileLengths = new long[shards]; // -1 when unknown: that file's entries are checked whole
    for (int shard = 0; shard < shards; shard++) {
      String file = BundleNaming.dataFile(prefix, shard, shards);
      InputFile input = io.newInputFile(file);
      fileLengths[shard] = -1;
      try {
        if (!input.exists()) {
          shardMissing[shard] = true;
          upfront.add(new Problem(file, null, "missing data shard " + shard + " of " + shards));
          continue;
        }
      } catch (IOException e) {
        upfront.add(new Problem(file, null, describe(e)));
        continue;
      }
      try {
        fileLengths[shard] = input.length();
      } catch (IOException e) {
        // the checks of its entries will report what is wrong
      }
    }
    List<Slot> slots = new ArrayList<>();
    List<EntryCheck> checks = new ArrayList<>();
    for (Map.Entry<byte[], BundleEntryProto> item : reader.rawEntries().entrySet()) {
      String name = BundleReader.printable(item.getKey());
      BundleEntryProto entry = item.getValue();
      if (entry.getSlicesCount() > 0) {
        slots.add(new Slot(indexFile, name, entry, sliceProblems(reader, name, entry, indexFile), checks.size(), 0));
        continue;
      }
      int shard = entry.getShardId();
      boolean validShard = shard >= 0 && shard < shards;
      String file = validShard ? BundleNaming.dataFile(prefix, shard, shards) : indexFile;
      if (validShard && shardMissing[shard]) {
        slots.add(new Slot(file, name, entry, List.of(new Problem(file, name, "cannot be read: its data shard is missing")), checks.size(), 0));
        continue;
      }
      int first = checks.size();
      addChecks(checks, name, entry, maxCheckBytes, validShard ? fileLengths[shard] : -1);
      slots.add(new Slot(file, name, entry, List.of(), first, checks.size() - first));
    }
    return new ValidationPlan(prefix, shards, upfront, slots, checks);
  }

  /** The plan of a checkpoint whose index cannot be read: that is its one problem. */
  static ValidationPlan unreadable(String prefix, Throwable e) {
    return new ValidationPlan(prefix, 0, List.of(new Problem(BundleNaming.indexFile(prefix), null, describe(e))), List.of(), List.of());
  }

  public String prefix() {
    return prefix;
  }

  /** The data shards the header names; 0 when the index cannot be read. */
  public int numShards() {
    return numShards;
  }

  /** What is left to check in the data files, in key order (ranges of one entry in byte order). */
  public List<EntryCheck> checks() {
    return checks;
  }

  /** The bytes the checks read together. */
  public long bytesToCheck() {
    long bytes = 0;
    for (EntryCheck check : checks) {
      bytes += check.length();
    }
    return bytes;
  }

  /**
   * Puts the checks' outcomes together into the report, in any order they came.
   *
   * @throws IllegalArgumentException when a check has no outcome or an outcome is no check's
   */
  public Report report(Collection<EntryCheck.Outcome> outcomes) {
    EntryCheck.Outcome[] byId = new EntryCheck.Outcome[checks.size()];
    for (EntryCheck.Outcome outcome : outcomes) {
      if (outcome.id() < 0 || outcome.id() >= byId.length) {
        throw new IllegalArgumentException("Invalid outcome of check " + outcome.id() + ": the plan of " + prefix + " has " + byId.length + " checks");
      }
      byId[outcome.id()] = outcome;
    }
    List<Problem> problems = new ArrayList<>(upfront);
    int checked = 0;
    long bytes = 0;
    for (Slot slot : slots) {
      problems.addAll(slot.known());
      if (slot.checkCount() == 0) {
        continue;
      }
      String problem = problemOf(slot, byId);
      if (problem == null) {
        checked++;
        bytes += slot.entry().getSize();
      } else {
        problems.add(new Problem(slot.file(), slot.tensor(), problem));
      }
    }
    return new Report(prefix, checked, bytes, problems);
  }

  /** The first problem among a slot's checks; for ranges, else a checksum mismatch of their combined CRC; null when none. */
  private String problemOf(Slot slot, EntryCheck.Outcome[] byId) {
    int crc = 0;
    for (int id = slot.firstCheck(); id < slot.firstCheck() + slot.checkCount(); id++) {
      EntryCheck.Outcome outcome = byId[id];
      if (outcome == null) {
        throw new IllegalArgumentException("Cannot report on " + prefix + ": check " + id + " of tensor " + slot.tensor() + " has no outcome");
      }
      if (outcome.problem() != null) {
        return outcome.problem();
      }
      crc = id == slot.firstCheck() ? outcome.crc() : Crc32c.combine(crc, outcome.crc(), checks.get(id).length());
    }
    if (checks.get(slot.firstCheck()).whole()) {
      return null;
    }
    int stored = Crc32c.unmask(slot.entry().getCrc32C());
    return crc == stored ? null : BundleReader.checksumMismatch(slot.tensor(), slot.file(), slot.entry().getSize(), stored, crc).getMessage();
  }

  /** One whole check, or ranges when the entry is a large fixed-width one lying inside its data file of {@code fileLength} bytes. */
  private static void addChecks(List<EntryCheck> checks, String name, BundleEntryProto entry, long maxCheckBytes, long fileLength) {
    long size = entry.getSize();
    long offset = entry.getOffset();
    boolean inside = offset >= 0 && size >= 0 && fileLength >= 0 && offset <= fileLength && size <= fileLength - offset;
    if (size <= maxCheckBytes || !inside || !splittable(entry)) {
      checks.add(new EntryCheck(checks.size(), name, entry, 0, Math.max(0, size), true));
      return;
    }
    for (long from = 0; from < size; from += maxCheckBytes) {
      checks.add(new EntryCheck(checks.size(), name, entry, from, Math.min(maxCheckBytes, size - from), false));
    }
  }

  /** Whether the entry's checksum covers exactly its stored bytes: true of fixed-width dtypes, not of strings. */
  private static boolean splittable(BundleEntryProto entry) {
    try {
      DType dtype = DType.fromNumber(entry.getDtypeValue());
      return dtype.isStorable() && dtype.isFixedWidth();
    } catch (RuntimeException e) {
      return false; // an invalid dtype: the whole check reports it
    }
  }

  /** What is wrong with a partitioned tensor's slices, from the index alone. */
  private static List<Problem> sliceProblems(BundleReader reader, String name, BundleEntryProto entry, String indexFile) {
    List<Problem> problems = new ArrayList<>();
    try {
      Shape full = Shape.fromProto(entry.getShape());
      long covered = 0;
      for (TensorSliceProto proto : entry.getSlicesList()) {
        TensorSlice slice = TensorSlice.fromProto(proto);
        if (!reader.rawEntries().containsKey(SliceKeys.encode(name, slice))) {
          problems.add(new Problem(indexFile, name, "slice " + slice + " is listed but has no entry"));
        }
        covered += slice.sliceShape(full).numElements();
      }
      if (covered != full.numElements()) {
        problems.add(new Problem(indexFile, name, "slices cover " + covered + " of " + full.numElements() + " elements of shape " + full));
      }
    } catch (RuntimeException e) {
      problems.add(new Problem(indexFile, name, describe(e)));
    }
    return problems;
  }

  private static void checkMaxBytes(long maxCheckBytes) {
    if (maxCheckBytes < 1) {
      throw new IllegalArgumentException("Invalid maxCheckBytes: " + maxCheckBytes + "; expected at least 1");
    }
  }

  /** An exception as a problem's message: its message, or its type when it has none. */
  static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
