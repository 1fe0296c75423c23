package io.sparkpoint.bundle;

import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.SupportsDirectories;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes a checkpoint of N data shards the way TensorFlow's sharded Saver does: shard i is a
 * complete single-writer checkpoint at {@code P_temp_<uuid>/part-0000i-of-0000N}; {@link #finish()}
 * merges them into {@code P} and removes the temporary directory. Which tensor goes to which shard
 * is the caller's choice. Each shard must receive at least one tensor.
 */
public final class ShardedBundleWriter implements Closeable {
  private final FileIO io;
  private final String prefix;
  private final String tempDirectory;
  private final List<BundleWriter> shards = new ArrayList<>();
  private final List<String> shardPrefixes = new ArrayList<>();

  private ShardedBundleWriter(FileIO io, String prefix, int numShards) throws IOException {
    this.io = io;
    this.prefix = prefix;
    this.tempDirectory = prefix + "_temp_" + UUID.randomUUID().toString().replace("-", "");
    BundleWriter.createDirectory(io, Locations.parent(prefix));
    try {
      for (int i = 0; i < numShards; i++) {
        String shardPrefix = BundleNaming.shardedFilename(tempDirectory + "/part", i, numShards);
        shardPrefixes.add(shardPrefix);
        shards.add(BundleWriter.create(io, shardPrefix));
      }
    } catch (IOException | RuntimeException e) {
      abandon();
      throw e;
    }
  }

  /**
   * @throws IllegalArgumentException when {@code numShards} is not positive
   */
  public static ShardedBundleWriter create(FileIO io, String prefix, int numShards) throws IOException {
    if (numShards < 1) {
      throw new IllegalArgumentException("Invalid shard count: " + numShards);
    }
    return new ShardedBundleWriter(io, prefix, numShards);
  }

  public int numShards() {
    return shards.size();
  }

  /** The writer of shard {@code index}. */
  public BundleWriter shard(int index) {
    return shards.get(index);
  }

  /** Finishes every shard, then merges them into the prefix. */
  public BundleMerger.Result finish() throws IOException {
    try {
      for (BundleWriter shard : shards) {
        shard.finish();
      }
      return BundleMerger.merge(io, shardPrefixes, prefix, true /* delete the temp directory */);
    } catch (IOException | RuntimeException e) {
      abandon();
      throw e;
    }
  }

  /** Drops every shard and the temporary directory. */
  public void abandon() {
    for (BundleWriter shard : shards) {
      shard.abandon();
    }
    if (io instanceof SupportsDirectories dirs) {
      try {
        dirs.deleteDirectory(tempDirectory);
      } catch (IOException ignored) {
        // best effort: a leftover temp directory never looks like a checkpoint
      }
    }
  }

  @Override
  public void close() {
    abandon();
  }
}
