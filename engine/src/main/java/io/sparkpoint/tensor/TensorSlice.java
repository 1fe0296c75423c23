package io.sparkpoint.tensor;

import io.sparkpoint.proto.TensorSliceProto;
import java.util.Arrays;

/**
 * A box inside a tensor: per dimension a start and a length, or the whole dimension. Written as
 * TensorFlow writes it: {@code 0,2:-} is rows 0–1 of every column. Immutable.
 */
public final class TensorSlice {
  /** The length that marks a whole dimension. */
  private static final long FULL = -1;

  private final long[] starts;
  private final long[] lengths;

  private TensorSlice(long[] starts, long[] lengths) {
    this.starts = starts;
    this.lengths = lengths;
  }

  public static TensorSlice full(int rank) {
    long[] lengths = new long[rank];
    Arrays.fill(lengths, FULL);
    return new TensorSlice(new long[rank], lengths);
  }

  /** A slice with explicit extents; a length of -1 means the whole dimension. */
  public static TensorSlice of(long[] starts, long[] lengths) {
    if (starts.length != lengths.length) {
      throw new IllegalArgumentException("Invalid slice: " + starts.length + " starts but " + lengths.length + " lengths");
    }
    for (int d = 0; d < starts.length; d++) {
      boolean whole = lengths[d] == FULL && starts[d] == 0;
      if (!whole && (starts[d] < 0 || lengths[d] <= 0)) {
        throw new IllegalArgumentException(
            "Invalid slice extent in dimension " + d + ": start " + starts[d] + ", length " + lengths[d]);
      }
    }
    return new TensorSlice(starts.clone(), lengths.clone());
  }

  /** Parses {@code 0,2:-}; the empty string is the slice of a scalar. */
  public static TensorSlice parse(String text) {
    if (text.isEmpty()) {
      return full(0);
    }
    String[] items = text.split(":", -1);
    long[] starts = new long[items.length];
    long[] lengths = new long[items.length];
    for (int d = 0; d < items.length; d++) {
      String item = items[d];
      if (item.equals("-")) {
        lengths[d] = FULL;
        continue;
      }
      String[] pair = item.split(",", -1);
      try {
        if (pair.length != 2) {
          throw new NumberFormatException();
        }
        starts[d] = Long.parseLong(pair[0]);
        lengths[d] = Long.parseLong(pair[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Expected a pair of numbers or '-' but got '" + item + "': string = " + text);
      }
      if (starts[d] < 0 || lengths[d] <= 0) {
        throw new IllegalArgumentException("Invalid slice extent '" + item + "' in " + text);
      }
    }
    return new TensorSlice(starts, lengths);
  }

  public static TensorSlice fromProto(TensorSliceProto proto) {
    int rank = proto.getExtentCount();
    long[] starts = new long[rank];
    long[] lengths = new long[rank];
    for (int d = 0; d < rank; d++) {
      TensorSliceProto.Extent extent = proto.getExtent(d);
      starts[d] = extent.getStart();
      lengths[d] = extent.hasLength() ? extent.getLength() : FULL;
    }
    return of(starts, lengths);
  }

  public TensorSliceProto toProto() {
    TensorSliceProto.Builder builder = TensorSliceProto.newBuilder();
    for (int d = 0; d < rank(); d++) {
      TensorSliceProto.Extent.Builder extent = TensorSliceProto.Extent.newBuilder();
      if (!isFullDim(d)) {
        extent.setStart(starts[d]).setLength(lengths[d]);
      }
      builder.addExtent(extent);
    }
    return builder.build();
  }

  public int rank() {
    return starts.length;
  }

  public long start(int dim) {
    return starts[dim];
  }

  /** The stored length; -1 for a whole dimension. */
  public long length(int dim) {
    return lengths[dim];
  }

  public boolean isFullDim(int dim) {
    return lengths[dim] == FULL;
  }

  /** The first index past the slice in {@code dim} of a tensor of shape {@code full}. */
  public long end(int dim, Shape full) {
    return isFullDim(dim) ? full.dim(dim) : starts[dim] + lengths[dim];
  }

  /** True when this slice covers every element of a tensor of shape {@code full}. */
  public boolean coversAll(Shape full) {
    for (int d = 0; d < rank(); d++) {
      if (!isFullDim(d) && (starts[d] != 0 || lengths[d] != full.dim(d))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The shape of the slice inside a tensor of shape {@code full}.
   *
   * @throws IllegalArgumentException when the ranks differ or the slice reaches outside
   */
  public Shape sliceShape(Shape full) {
    if (full.rank() != rank()) {
      throw new IllegalArgumentException("Invalid slice " + this + " for shape " + full + ": rank " + rank() + " vs " + full.rank());
    }
    long[] dims = new long[rank()];
    for (int d = 0; d < rank(); d++) {
      if (!isFullDim(d) && (starts[d] > full.dim(d) || lengths[d] > full.dim(d) - starts[d])) { // no overflow of start + length
        throw new IllegalArgumentException("Invalid slice " + this + " for shape " + full + ": dimension " + d + " ends at " + end(d, full));
      }
      dims[d] = end(d, full) - starts[d];
    }
    return Shape.of(dims);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorSlice that && Arrays.equals(starts, that.starts) && Arrays.equals(lengths, that.lengths);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(starts) + Arrays.hashCode(lengths);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (int d = 0; d < rank(); d++) {
      text.append(d == 0 ? "" : ":");
      text.append(isFullDim(d) ? "-" : starts[d] + "," + lengths[d]);
    }
    return text.toString();
  }
}
