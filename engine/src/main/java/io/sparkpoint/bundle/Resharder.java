package io.sparkpoint.bundle;

import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.proto.BundleEntryProto;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a checkpoint into N data shards, every tensor unchanged: each tensor's stored bytes are
 * copied verbatim (streamed, checksum verified) into the shard with the fewest bytes so far, largest
 * tensors first, then the shards are merged. The source is never modified.
 *
 * <p>The work comes in steps that may run in different processes: {@link #plan} (from the source's
 * index), {@link #prepare} (the destination), {@link #copyShard} (one new shard, into a single-shard
 * bundle of its own), then {@link BundleMerger} (the index last). {@link #reshard} runs them all here.
 *
 * <p>Idempotent: a destination that already holds exactly what the plan writes is left as it is.
 */
public final class Resharder {
  private Resharder() {}

  /** What a reshard wrote: bytes per shard, in shard order. */
  public record Result(String prefix, int numShards, int entries, long[] shardBytes) {}

  /**
   * A reshard worked out from the source's index: the keys of the stored entries each new shard
   * holds, in the order they are written (key order), and their bytes. Shard 0 also holds the
   * partitioned tensors' metadata entries.
   *
   * @param entries every index entry of the source (slices and partitioned tensors included)
   */
  public record Plan(String source, String destination, List<List<byte[]>> shardKeys, List<byte[]> partitionedKeys, long[] shardBytes,
      int entries) implements Serializable {
    private static final long serialVersionUID = 1L;

    public int numShards() {
      return shardKeys.size();
    }

    /** What the reshard reports once the destination holds the plan's output. */
    public Result result() {
      return new Result(destination, numShards(), entries, shardBytes.clone());
    }
  }

  /**
   * Reshards here: plans, prepares the destination, copies every shard, merges.
   *
   * @return the result, also when the destination already held it (then nothing was written)
   * @throws IllegalArgumentException when {@code numShards} is not positive, exceeds the number of
   *     stored tensors, the destination is the source, or the destination holds another checkpoint
   */
  public static Result reshard(FileIO io, String source, String destination, int numShards) throws IOException {
    checkArguments(source, destination, numShards);
    try (BundleReader reader = BundleReader.open(io, source)) {
      Plan plan = plan(reader, destination, numShards);
      if (!prepare(io, reader, plan)) {
        return plan.result();
      }
      try (ShardedBundleWriter writer = ShardedBundleWriter.create(io, destination, numShards)) {
        for (int shard = 0; shard < numShards; shard++) {
          copyShard(reader, plan, shard, writer.shard(shard));
        }
        writer.finish();
      }
      return plan.result();
    }
  }

  /**
   * Assigns every stored tensor of {@code source} to one of {@code numShards} new shards: largest
   * first into the lightest shard, every shard getting one before any gets two. Reads nothing.
   *
   * @throws IllegalArgumentException as {@link #reshard} does for the arguments
   */
  public static Plan plan(BundleReader source, String destination, int numShards) {
    checkArguments(source.prefix(), destination, numShards);
    List<Map.Entry<byte[], BundleEntryProto>> stored = new ArrayList<>();
    List<byte[]> partitioned = new ArrayList<>();
    for (Map.Entry<byte[], BundleEntryProto> entry : source.rawEntries().entrySet()) {
      if (entry.getValue().getSlicesCount() > 0) {
        partitioned.add(entry.getKey());
      } else {
        stored.add(entry);
      }
    }
    if (numShards > stored.size()) {
      throw new IllegalArgumentException(
          "Cannot reshard " + source.prefix() + " into " + numShards + " shards: it holds only " + stored.size() + " stored tensors");
    }
    int[] assignment = assign(stored, numShards);
    List<List<byte[]>> shardKeys = new ArrayList<>();
    for (int shard = 0; shard < numShards; shard++) {
      shardKeys.add(new ArrayList<>());
    }
    long[] shardBytes = new long[numShards];
    for (int i = 0; i < stored.size(); i++) {
      shardKeys.get(assignment[i]).add(stored.get(i).getKey());
      shardBytes[assignment[i]] += stored.get(i).getValue().getSize();
    }
    return new Plan(source.prefix(), destination, shardKeys.stream().map(List::copyOf).toList(), List.copyOf(partitioned), shardBytes,
        source.rawEntries().size());
  }

  /**
   * Gets the destination ready for the plan's output: creates its directory when its parent exists,
   * as SaveV2 does, or finds that the checkpoint there already is the plan's output.
   *
   * @param source the plan's source, open
   * @return true when the shards must be written; false when the destination already holds exactly
   *     the plan's output (the same entries with the same checksums in the same shards)
   * @throws IllegalArgumentException when the destination holds another checkpoint
   */
  public static boolean prepare(FileIO io, BundleReader source, Plan plan) throws IOException {
    String destination = plan.destination();
    if (!io.newInputFile(BundleNaming.indexFile(destination)).exists()) {
      BundleWriter.createDirectory(io, Locations.parent(destination));
      return true;
    }
    String difference = ReshardCheck.difference(io, source, plan);
    if (difference != null) {
      throw new IllegalArgumentException("Cannot reshard into " + destination + ": a checkpoint with other content is there (" + difference
          + "); remove it or choose another destination");
    }
    return false;
  }

  /**
   * Copies new shard {@code shard} of the plan from {@code source} into {@code target}, which the
   * caller finishes: each tensor's stored bytes streamed and verified against its checksum.
   *
   * @throws CorruptBundleException when a source tensor does not match its checksum
   */
  public static void copyShard(BundleReader source, Plan plan, int shard, BundleWriter target) throws IOException {
    for (byte[] key : plan.shardKeys().get(shard)) {
      TensorCopy.copyStored(source, key, source.rawEntries().get(key), target);
    }
    if (shard == 0) {
      for (byte[] key : plan.partitionedKeys()) {
        target.addPartitionedEntry(new String(key, StandardCharsets.UTF_8), source.rawEntries().get(key));
      }
    }
  }

  private static void checkArguments(String source, String destination, int numShards) {
    if (numShards < 1) {
      throw new IllegalArgumentException("Invalid shard count: " + numShards);
    }
    if (source.equals(destination)) {
      throw new IllegalArgumentException("Cannot reshard " + source + " onto itself; choose another destination prefix");
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
