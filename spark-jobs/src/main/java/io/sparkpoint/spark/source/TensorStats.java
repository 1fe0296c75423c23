package io.sparkpoint.spark.source;

/**
 * Summary statistics of a tensor, accumulated element by element in constant memory. NaN elements
 * are counted and otherwise left out, as numpy's {@code nanmin}, {@code nanmax} and {@code nanmean}
 * do; infinities take part. Min, max and mean are null when no element is a number (an empty or
 * all-NaN tensor); the L2 norm is then 0.
 *
 * <p>The mean is a compensated (Neumaier) sum over the finite elements, so a float32 tensor of
 * millions of elements keeps full double precision; the L2 norm is scaled as BLAS's {@code dnrm2}
 * scales it, so it neither overflows nor underflows where the result itself is representable.
 * Not thread-safe.
 */
final class TensorStats {
  private long nanCount;
  /** Elements that are numbers (finite or infinite). */
  private long count;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private long positiveInfinities;
  private long negativeInfinities;
  /** Neumaier sum of the finite elements: {@code sum + compensation}. */
  private double sum;
  private double compensation;
  /** dnrm2's state: the norm of the finite elements is {@code scale * sqrt(scaledSquares)}. */
  private double scale;
  private double scaledSquares = 1;

  /** Adds the first {@code count} elements of {@code values}. */
  void addAll(double[] values, int count) {
    for (int i = 0; i < count; i++) {
      add(values[i]);
    }
  }

  void add(double value) {
    if (Double.isNaN(value)) {
      nanCount++;
      return;
    }
    count++;
    min = Math.min(min, value);
    max = Math.max(max, value);
    if (Double.isInfinite(value)) {
      if (value > 0) {
        positiveInfinities++;
      } else {
        negativeInfinities++;
      }
      return;
    }
    double total = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? (sum - total) + value : (value - total) + sum;
    sum = total;
    double magnitude = Math.abs(value);
    if (magnitude > 0) {
      if (scale < magnitude) {
        double ratio = scale / magnitude;
        scaledSquares = 1 + scaledSquares * ratio * ratio;
        scale = magnitude;
      } else {
        double ratio = magnitude / scale;
        scaledSquares += ratio * ratio;
      }
    }
  }

  long nanCount() {
    return nanCount;
  }

  Double min() {
    return count == 0 ? null : min;
  }

  Double max() {
    return count == 0 ? null : max;
  }

  /** The mean of the non-NaN elements: infinite when infinities of one sign are among them, NaN with both signs. */
  Double mean() {
    if (count == 0) {
      return null;
    }
    if (positiveInfinities > 0 || negativeInfinities > 0) {
      if (positiveInfinities > 0 && negativeInfinities > 0) {
        return Double.NaN;
      }
      return positiveInfinities > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
    return (sum + compensation) / count;
  }

  /** The Euclidean norm of the non-NaN elements. */
  double l2Norm() {
    if (positiveInfinities > 0 || negativeInfinities > 0) {
      return Double.POSITIVE_INFINITY;
    }
    return scale == 0 ? 0 : scale * Math.sqrt(scaledSquares);
  }
}
