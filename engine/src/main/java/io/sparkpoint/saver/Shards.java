package io.sparkpoint.saver;

import io.sparkpoint.bundle.ByteBalance;
import io.sparkpoint.tensor.Shape;
import java.util.Comparator;
import java.util.List;

/**
 * Splits saveables into shards balanced by bytes: largest first, each to the lightest shard, then
 * each shard sorted by key. TensorFlow shards by device instead; with one device it would write one
 * shard, so this is how a sharded Saver spreads a large model over N files and N parallel writes.
 */
final class Shards {
  private Shards() {}

  static List<List<Saveable>> split(List<Saveable> saveables, int count) {
    List<List<Saveable>> shards = ByteBalance.split(saveables, Math.max(1, count), Shards::bytes, Saveable::key);
    for (List<Saveable> shard : shards) {
      shard.sort(Comparator.comparing(Saveable::key).thenComparing(Saveable::sliceSpec));
    }
    return shards;
  }

  private static long bytes(Saveable saveable) {
    Shape shape = saveable.shape();
    long elements = shape == null ? 1 : shape.numElements();
    int width = saveable.dtype().byteWidth() > 0 ? saveable.dtype().byteWidth() : 16;
    return elements * width;
  }
}
