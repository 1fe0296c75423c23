package io.sparkpoint.bundle;

import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.InputFile;
import io.sparkpoint.proto.BundleEntryProto;
import java.io.IOException;

/**
 * Whether the checkpoint at a reshard's destination already is the reshard's output: the same
 * number of shards, every source entry with the same dtype, shape, size and checksum in its planned
 * shard (partitioned tensors' entries unchanged), and each data file of the planned length. This is
 * what makes a rerun a no-op; it reads the index and the files' lengths, not the tensors.
 */
final class ReshardCheck {
  private ReshardCheck() {}

  /** The first way the destination differs from the plan's output, or null when it is that output. */
  static String difference(FileIO io, BundleReader source, Resharder.Plan plan) {
    String destination = plan.destination();
    try (BundleReader written = BundleReader.open(io, destination)) {
      if (written.numShards() != plan.numShards()) {
        return "it has " + written.numShards() + " data shards, this reshard writes " + plan.numShards();
      }
      if (written.rawEntries().size() != plan.entries()) {
        return "it holds " + written.rawEntries().size() + " entries, this reshard writes " + plan.entries();
      }
      for (int shard = 0; shard < plan.numShards(); shard++) {
        for (byte[] key : plan.shardKeys().get(shard)) {
          String difference = storedDifference(BundleReader.printable(key), source.rawEntries().get(key), written.rawEntries().get(key), shard);
          if (difference != null) {
            return difference;
          }
        }
      }
      for (byte[] key : plan.partitionedKeys()) {
        if (!source.rawEntries().get(key).equals(written.rawEntries().get(key))) {
          return "partitioned tensor " + BundleReader.printable(key) + " differs";
        }
      }
      for (int shard = 0; shard < plan.numShards(); shard++) {
        InputFile data = io.newInputFile(BundleNaming.dataFile(destination, shard, plan.numShards()));
        if (!data.exists()) {
          return "its data file " + data.location() + " is missing";
        }
        if (data.length() != plan.shardBytes()[shard]) {
          return "its data file " + data.location() + " holds " + data.length() + " bytes, this reshard writes " + plan.shardBytes()[shard];
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return "it cannot be read: " + ValidationPlan.describe(e);
    }
  }

  private static String storedDifference(String name, BundleEntryProto want, BundleEntryProto got, int shard) {
    if (got == null) {
      return "it lacks tensor " + name;
    }
    if (got.getSlicesCount() > 0
        || got.getShardId() != shard
        || got.getDtypeValue() != want.getDtypeValue()
        || !got.getShape().equals(want.getShape())
        || got.getSize() != want.getSize()
        || got.getCrc32C() != want.getCrc32C()) {
      return "tensor " + name + " differs";
    }
    return null;
  }
}
