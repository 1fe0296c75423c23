package io.sparkpoint.kernels.compare;

import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.util.Arrays;

/** Compares element i of one tensor with element j of another of the same dtype. */
@FunctionalInterface
interface ElementOrder {
  /** The result when either element is NaN. */
  int UNORDERED = Integer.MIN_VALUE;

  /**
   * @return negative, 0 or positive as x[i] is below, equal to or above y[j], or {@link #UNORDERED};
   *     strings are only told equal (0) or different (1)
   */
  int compare(int i, int j);

  static ElementOrder of(Tensor x, Tensor y) {
    DType type = x.dtype();
    if (type == DType.STRING) {
      byte[][] a = strings(x);
      byte[][] b = strings(y);
      return (i, j) -> Arrays.equals(a[i], b[j]) ? 0 : 1;
    }
    if (Numbers.FLOATING.contains(type)) {
      double[] a = doubles(x);
      double[] b = doubles(y);
      return (i, j) -> {
        double p = a[i];
        double q = b[j];
        return p < q ? -1 : p > q ? 1 : p == q ? 0 : UNORDERED;
      };
    }
    long[] a = longs(x);
    long[] b = longs(y);
    if (type == DType.UINT64) {
      return (i, j) -> Long.compareUnsigned(a[i], b[j]);
    }
    return (i, j) -> Long.compare(a[i], b[j]);
  }

  private static byte[][] strings(Tensor t) {
    byte[][] values = new byte[Math.toIntExact(t.numElements())][];
    for (int i = 0; i < values.length; i++) {
      values[i] = t.string(i);
    }
    return values;
  }

  private static double[] doubles(Tensor t) {
    double[] values = new double[Math.toIntExact(t.numElements())];
    for (int i = 0; i < values.length; i++) {
      values[i] = t.doubleAt(i);
    }
    return values;
  }

  /** Integer and bool elements; unsigned types zero-extended, uint64 kept as its bits. */
  private static long[] longs(Tensor t) {
    long[] values = new long[Math.toIntExact(t.numElements())];
    for (int i = 0; i < values.length; i++) {
      values[i] = t.longAt(i);
    }
    return values;
  }
}
