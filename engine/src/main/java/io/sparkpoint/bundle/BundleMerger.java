package io.sparkpoint.bundle;

import io.sparkpoint.bytes.UnsignedBytes;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.RandomAccessInput;
import io.sparkpoint.fs.SupportsDirectories;
import io.sparkpoint.fs.SupportsRename;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.BundleHeaderProto;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges single-writer checkpoints (the shards of a sharded save) into one checkpoint, as
 * TensorFlow's MergeV2Checkpoints does: data files are renamed to {@code P.data-i-of-N}, one index
 * is written for all of them, and the inputs' indexes are deleted. The index is written under a
 * temporary name and renamed last, so {@code P.index} appears only when every data file is in place.
 */
public final class BundleMerger {
  private static final SecureRandom RANDOM = new SecureRandom();

  private BundleMerger() {}

  /** What a merge produced. */
  public record Result(String prefix, int numShards, int entries) {}

  /**
   * Merges {@code inputs} (in order) into {@code destination}, then deletes the inputs' indexes and,
   * when {@code deleteOldDirs}, their directories unless it is the destination's.
   *
   * @throws IllegalArgumentException for duplicate tensors across inputs, or no inputs
   */
  public static Result merge(FileIO io, List<String> inputs, String destination, boolean deleteOldDirs) throws IOException {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("Cannot merge: no input checkpoints");
    }
    BundleWriter.createDirectory(io, Locations.parent(destination));
    TreeMap<byte[], BundleEntryProto> merged = new TreeMap<>(UnsignedBytes.ORDER);
    /** Source data file → new shard id, in first-seen order. */
    Map<String, Integer> dataFiles = new LinkedHashMap<>();
    BundleHeaderProto first = null;
    for (String input : inputs) {
      BundleHeaderProto header;
      Map<byte[], BundleEntryProto> entries;
      try (RandomAccessInput index = io.newInputFile(BundleNaming.indexFile(input)).open()) {
        BundleIndex contents = BundleIndex.read(index, BundleNaming.indexFile(input));
        header = contents.header();
        entries = contents.entries();
      }
      if (first == null) {
        first = header;
      } else if (!first.getVersion().equals(header.getVersion())) {
        throw new IllegalArgumentException(
            "Merging bundles with different format versions: merged " + first.getVersion() + " vs. curr " + header.getVersion());
      }
      for (Map.Entry<byte[], BundleEntryProto> item : entries.entrySet()) {
        byte[] key = item.getKey();
        BundleEntryProto entry = item.getValue();
        BundleEntryProto existing = merged.get(key);
        String name = BundleReader.printable(key);
        if (existing != null) {
          if (existing.getSlicesCount() == 0 || entry.getSlicesCount() == 0) {
            throw new IllegalArgumentException("Duplicate tensor keyed by " + name + " encountered, when merging prefix: " + input);
          }
          if (existing.getDtypeValue() != entry.getDtypeValue() || !existing.getShape().equals(entry.getShape())) {
            throw new IllegalArgumentException("Cannot merge slices of " + name + " from " + input + ": dtype or shape differ");
          }
          merged.put(key, existing.toBuilder().addAllSlices(entry.getSlicesList()).build());
          continue;
        }
        if (entry.getSlicesCount() > 0) {
          merged.put(key, entry);
          continue;
        }
        String source = BundleNaming.dataFile(input, entry.getShardId(), header.getNumShards());
        int shard = dataFiles.computeIfAbsent(source, s -> dataFiles.size());
        merged.put(key, entry.toBuilder().setShardId(shard).build());
      }
    }
    int numShards = dataFiles.size();
    if (numShards == 0) {
      throw new IllegalArgumentException("Cannot merge " + inputs + ": no input holds a tensor");
    }
    for (Map.Entry<String, Integer> file : dataFiles.entrySet()) {
      rename(io, file.getKey(), BundleNaming.dataFile(destination, file.getValue(), numShards));
    }
    writeIndex(io, destination, BundleHeaders.withShards(numShards), merged);
    for (String input : inputs) {
      io.deleteFile(BundleNaming.indexFile(input));
    }
    if (deleteOldDirs && io instanceof SupportsDirectories dirs) {
      String destinationDir = Locations.parent(destination);
      for (String input : new ArrayList<>(inputs)) {
        String dir = Locations.parent(input);
        if (!dir.equals(destinationDir) && !dir.isEmpty() && dirs.list(dir).isEmpty()) {
          dirs.deleteDirectory(dir);
        }
      }
    }
    return new Result(destination, numShards, merged.size());
  }

  private static void rename(FileIO io, String from, String to) throws IOException {
    if (io instanceof SupportsRename renamer) {
      renamer.renameReplacing(from, to);
    } else {
      throw new IOException("Cannot merge checkpoints on " + io + ": it cannot rename files");
    }
  }

  static void writeIndex(FileIO io, String prefix, BundleHeaderProto header, TreeMap<byte[], BundleEntryProto> entries)
      throws IOException {
    String target = BundleNaming.indexFile(prefix);
    String temp = io instanceof SupportsRename ? target + ".tempstate" + Long.toUnsignedString(RANDOM.nextLong()) : target;
    try {
      try (OutputStream out = io.newOutputFile(temp).create()) {
        IndexWriter.write(out, header, entries);
      }
      if (!temp.equals(target)) {
        ((SupportsRename) io).renameReplacing(temp, target);
      }
    } catch (IOException | RuntimeException e) {
      if (!temp.equals(target)) {
        io.deleteFile(temp);
      }
      throw e;
    }
  }
}
