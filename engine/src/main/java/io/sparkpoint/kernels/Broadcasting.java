package io.sparkpoint.kernels;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.Shape;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy/TensorFlow broadcasting: shapes are aligned at their last dimension, and each pair of
 * dimensions must be equal or one of them 1.
 */
public final class Broadcasting {
  private Broadcasting() {}

  /**
   * The shape both operands broadcast to.
   *
   * @throws KernelException TF's "Incompatible shapes: [2,3] vs. [4]"
   */
  public static Shape shape(Shape x, Shape y) {
    long[] dims = dims(x.dims(), y.dims());
    if (dims == null) {
      throw new KernelException("Incompatible shapes: " + x + " vs. " + y);
    }
    return Shape.of(dims);
  }

  /** The broadcast dimensions, or null when the shapes are incompatible. */
  public static long[] dims(long[] x, long[] y) {
    int rank = Math.max(x.length, y.length);
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      long a = i < rank - x.length ? 1 : x[i - (rank - x.length)];
      long b = i < rank - y.length ? 1 : y[i - (rank - y.length)];
      if (a != b && a != 1 && b != 1) {
        return null;
      }
      out[i] = a == 1 ? b : a;
    }
    return out;
  }

  /**
   * For each element of the broadcast shape {@code to} (row-major), the row-major index of the
   * element of an array of shape {@code from} that broadcasting puts there. {@code from} must
   * broadcast to {@code to}.
   */
  public static int[] sourceIndex(long[] from, long[] to) {
    int rank = to.length;
    // steps[k]: how far the source index moves when output axis k advances by one; 0 on stretched axes
    long[] steps = new long[rank];
    long step = 1;
    for (int k = from.length - 1; k >= 0; k--) {
      steps[k + rank - from.length] = from[k] == 1 ? 0 : step;
      step *= from[k];
    }
    long count = 1;
    for (long dim : to) {
      count = Math.multiplyExact(count, dim);
    }
    int[] index = new int[Math.toIntExact(count)];
    long[] counter = new long[rank];
    long offset = 0;
    for (int i = 0; i < index.length; i++) {
      index[i] = (int) offset;
      for (int k = rank - 1; k >= 0; k--) {
        if (++counter[k] < to[k]) {
          offset += steps[k];
          break;
        }
        offset -= steps[k] * (to[k] - 1);
        counter[k] = 0;
      }
    }
    return index;
  }

  /** The array expanded (as a view where ND4J allows) to a shape it broadcasts to. */
  public static INDArray expand(INDArray array, long[] dims) {
    if (Arrays.equals(array.shape(), dims)) {
      return array;
    }
    long[] padded = new long[dims.length];
    long[] shape = array.shape();
    Arrays.fill(padded, 1L);
    System.arraycopy(shape, 0, padded, dims.length - shape.length, shape.length);
    INDArray reshaped = array.reshape('c', padded);
    return Arrays.equals(padded, dims) ? reshaped : reshaped.broadcast(dims);
  }
}
