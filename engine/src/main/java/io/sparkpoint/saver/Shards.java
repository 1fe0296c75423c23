package io.sparkpoint.saver;

import io.sparkpoint.tensor.Shape;
import java.util.ArrayList;
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
    int n = Math.max(1, Math.min(count, saveables.size()));
    List<List<Saveable>> shards = new ArrayList<>();
    long[] bytes = new long[n];
    for (int i = 0; i < n; i++) {
      shards.add(new ArrayList<>());
    }
    List<Saveable> bySize = new ArrayList<>(saveables);
    bySize.sort(Comparator.comparingLong(Shards::bytes).reversed().thenComparing(Saveable::key));
    for (Saveable saveable : bySize) {
      int lightest = 0;
      for (int i = 1; i < n; i++) {
        if (bytes[i] < bytes[lightest]) {
          lightest = i;
        }
      }
      shards.get(lightest).add(saveable);
      bytes[lightest] += bytes(saveable);
    }
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
