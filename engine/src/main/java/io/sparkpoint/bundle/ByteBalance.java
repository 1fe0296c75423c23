package io.sparkpoint.bundle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Spreads items over N shards balanced by bytes: largest first, each to the lightest shard (the
 * lowest index on ties), then each shard sorted by key, as a checkpoint's tensors must be written.
 * Deterministic for the same items.
 */
public final class ByteBalance {
  private ByteBalance() {}

  /** At most {@code count} shards (fewer when there are fewer items), none empty unless there is no item. */
  public static <T> List<List<T>> split(List<T> items, int count, ToLongFunction<T> bytes, Function<T, String> key) {
    if (count < 1) {
      throw new IllegalArgumentException("Invalid shard count: " + count);
    }
    int n = Math.max(1, Math.min(count, items.size()));
    List<List<T>> shards = new ArrayList<>();
    long[] load = new long[n];
    for (int i = 0; i < n; i++) {
      shards.add(new ArrayList<>());
    }
    List<T> bySize = new ArrayList<>(items);
    bySize.sort(Comparator.comparingLong(bytes).reversed().thenComparing(key));
    for (T item : bySize) {
      int lightest = 0;
      for (int i = 1; i < n; i++) {
        if (load[i] < load[lightest]) {
          lightest = i;
        }
      }
      shards.get(lightest).add(item);
      load[lightest] += bytes.applyAsLong(item);
    }
    return shards;
  }
}
