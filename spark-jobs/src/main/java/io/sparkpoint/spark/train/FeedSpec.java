package io.sparkpoint.spark.train;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * How one placeholder is fed from a dataset's columns: from a single array or ML vector column, or
 * from an ordered list of numeric columns (one value each), as {@code --feed x=features} or
 * {@code --feed x=a,b,c}.
 *
 * @param placeholder the placeholder's tensor name ({@code x:0})
 * @param dtype the placeholder's dtype: float32, float64, int32 or int64
 * @param elementShape one example's shape (the placeholder's shape without its batch dimension)
 * @param columns the columns, in order
 */
record FeedSpec(String placeholder, DType dtype, long[] elementShape, List<String> columns) implements Serializable {
  static final List<DType> SUPPORTED = List.of(DType.FLOAT, DType.DOUBLE, DType.INT32, DType.INT64);

  FeedSpec {
    columns = List.copyOf(columns);
  }

  /** Values per example. */
  int width() {
    return Math.toIntExact(Shape.of(elementShape).numElements());
  }

  /** The shape of a slice of {@code count} examples. */
  Shape batchShape(int count) {
    long[] dims = new long[elementShape.length + 1];
    dims[0] = count;
    System.arraycopy(elementShape, 0, dims, 1, elementShape.length);
    return Shape.of(dims);
  }

  @Override
  public String toString() {
    return placeholder + " (" + dtype.pythonName() + " " + Arrays.toString(elementShape) + ") <- " + String.join(",", columns);
  }
}
