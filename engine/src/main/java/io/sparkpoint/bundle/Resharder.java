package io.sparkpoint.bundle;

import io.sparkpoint.fs.FileIO;
import io.sparkpoint.proto.BundleEntryProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a checkpoint into N data shards, every tensor unchanged: each tensor's stored bytes are
 * copied verbatim (streamed, checksum verified) into the shard with the fewest bytes so far, largest
 * tensors first, then the shards are merged. The source is never modified.
 */
public final class Resharder {
  private Resharder() {}

  /** What a reshard wrote: bytes per shard, in shard order. */
  public record Result(String prefix, int numShards, int entries, long[] shardBytes) {}

  /**
   * @throws IllegalArgumentException when {@code numShards} is not positive, exceeds the number of
   *     stored tensors, or the destination is the source
   */
  public static Result reshard(FileIO io, String source, String destination, int numShards) throws IOException {
    if (numShards < 1) {
      throw new IllegalArgumentException("Invalid shard count: " + numShards);
    }
    if (source.equals(destination)) {
      throw new IllegalArgumentException("Cannot reshard " + source + " onto itself; choose another destination prefix");
    }
    if (io.newInputFile(BundleNaming.indexFile(destination)).exists()) {
      throw new IllegalArgumentException("Cannot reshard into " + destination + ": a checkpoint exists there");
    }
    try (BundleReader reader = BundleReader.open(io, source)) {
      List<Map.Entry<byte[], BundleEntryProto>> stored = new ArrayList<>();
      List<Map.Entry<byte[], BundleEntryProto>> partitioned = new ArrayList<>();
      for (Map.Entry<byte[], BundleEntryProto> entry : reader.rawEntries().entrySet()) {
        (entry.getValue().getSlicesCount() > 0 ? partitioned : stored).add(entry);
      }
      if (numShards > stored.size()) {
        throw new IllegalArgumentException(
            "Cannot reshard " + source + " into " + numShards + " shards: it holds only " + stored.size() + " stored tensors");
      }
      int[] assignment = assign(stored, numShards);
      long[] shardBytes = new long[numShards];
      try (ShardedBundleWriter writer = ShardedBundleWriter.create(io, destination, numShards)) {
        for (int i = 0; i < stored.size(); i++) {
          Map.Entry<byte[], BundleEntryProto> entry = stored.get(i);
          TensorCopy.copyStored(reader, entry.getKey(), entry.getValue(), writer.shard(assignment[i]));
          shardBytes[assignment[i]] += entry.getValue().getSize();
        }
        for (Map.Entry<byte[], BundleEntryProto> entry : partitioned) {
          writer.shard(0).addPartitionedEntry(new String(entry.getKey(), StandardCharsets.UTF_8), entry.getValue());
        }
        writer.finish();
      }
      return new Result(destination, numShards, reader.rawEntries().size(), shardBytes);
    }
  }

  /** Largest first into the lightest shard; ties go to the lowest shard index. */
  private static int[] assign(List<Map.Entry<byte[], BundleEntryProto>> stored, int numShards) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < stored.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingLong((Integer i) -> -stored.get(i).getValue().getSize()).thenComparing(i -> i));
    long[] load = new long[numShards];
    int[] assignment = new int[stored.size()];
    int next = 0;
    for (int i : order) {
      int lightest = 0;
      if (next < numShards) {
        lightest = next++; // every shard gets a tensor first
      } else {
        for (int s = 1; s < numShards; s++) {
          if (load[s] < load[lightest]) {
            lightest = s;
          }
        }
      }
      assignment[i] = lightest;
      load[lightest] += stored.get(i).getValue().getSize();
    }
    return assignment;
  }
}
