package io.sparkpoint.spark.train;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * One partition's examples, decoded once into primitive arrays and cached on its executor: each
 * example's global index (its position in the dataset) and, per feed, its values. It answers which
 * of its examples belong to a step's global batch ({@link #slice}).
 */
final class ExampleBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] indices;
  /** Per feed: float[], double[], int[] or long[], {@code width} values per example. */
  private final Object[] values;
  /**
   * This block's examples in the order of the current epoch's permutation: their positions and their local indices. Null until
   * computed, also after deserialization (a block Spark read back from disk), where orderEpoch is 0, not -1.
   */
  private transient long orderEpoch = -1;
  private transient int[] sortedPositions;
  private transient int[] sortedLocal;

  private ExampleBlock(long[] indices, Object[] values) {
    this.indices = indices;
    this.values = values;
  }

  int size() {
    return indices.length;
  }

  /** Decodes rows (the feeds' columns in {@code feeds} order, then the global index) into a block. */
  static ExampleBlock of(List<FeedSpec> feeds, List<Row> rows, long[] indices) {
    Object[] values = new Object[feeds.size()];
    int column = 0;
    for (int f = 0; f < feeds.size(); f++) {
      FeedSpec feed = feeds.get(f);
      int width = feed.width();
      double[] scratch = new double[width];
      long[] longs = new long[width];
      Object out = allocate(feed.dtype(), rows.size() * width);
      for (int r = 0; r < rows.size(); r++) {
        RowValues.read(rows.get(r), column, feed, indices[r], scratch, longs);
        store(out, feed.dtype(), r * width, scratch, longs);
      }
      values[f] = out;
      column += feed.columns().size();
    }
    return new ExampleBlock(indices, values);
  }

  private static Object allocate(DType dtype, int n) {
    return switch (dtype) {
      case FLOAT -> new float[n];
      case DOUBLE -> new double[n];
      case INT32 -> new int[n];
      case INT64 -> new long[n];
      default -> throw new IllegalArgumentException("Cannot feed " + dtype.pythonName());
    };
  }

  private static void store(Object out, DType dtype, int at, double[] scratch, long[] longs) {
    for (int i = 0; i < scratch.length; i++) {
      switch (dtype) {
        case FLOAT -> ((float[]) out)[at + i] = (float) scratch[i];
        case DOUBLE -> ((double[]) out)[at + i] = scratch[i];
        case INT32 -> ((int[]) out)[at + i] = Math.toIntExact(longs[i]);
        case INT64 -> ((long[]) out)[at + i] = longs[i];
        default -> throw new IllegalStateException();
      }
    }
  }

  /**
   * The local indices of this block's examples at positions [from, to) of the epoch's permutation,
   * in permutation order.
   */
  synchronized int[] slice(long epoch, int[] inversePermutation, long from, long to) {
    if (sortedPositions == null || orderEpoch != epoch) {
      Integer[] order = new Integer[indices.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Integer.compare(inversePermutation[(int) indices[a]], inversePermutation[(int) indices[b]]));
      sortedLocal = new int[order.length];
      sortedPositions = new int[order.length];
      for (int i = 0; i < order.length; i++) {
        sortedLocal[i] = order[i];
        sortedPositions[i] = inversePermutation[(int) indices[order[i]]];
      }
      orderEpoch = epoch;
    }
    int start = lowerBound(sortedPositions, from);
    int end = lowerBound(sortedPositions, to);
    return Arrays.copyOfRange(sortedLocal, start, end);
  }

  private static int lowerBound(int[] sorted, long value) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The feeds for these local examples, in this order. */
  Map<String, Tensor> feeds(List<FeedSpec> feeds, int[] local) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int f = 0; f < feeds.size(); f++) {
      FeedSpec feed = feeds.get(f);
      int width = feed.width();
      Object source = values[f];
      Object gathered = allocate(feed.dtype(), local.length * width);
      for (int i = 0; i < local.length; i++) {
        System.arraycopy(source, local[i] * width, gathered, i * width, width);
      }
      out.put(feed.placeholder(), switch (feed.dtype()) {
        case FLOAT -> Tensor.ofFloats(feed.batchShape(local.length), (float[]) gathered);
        case DOUBLE -> Tensor.ofDoubles(feed.batchShape(local.length), (double[]) gathered);
        case INT32 -> Tensor.ofInts(feed.batchShape(local.length), (int[]) gathered);
        default -> Tensor.ofLongs(feed.batchShape(local.length), (long[]) gathered);
      });
    }
    return out;
  }
}
