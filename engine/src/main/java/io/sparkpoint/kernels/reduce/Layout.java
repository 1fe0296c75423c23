package io.sparkpoint.kernels.reduce;

import io.sparkpoint.tensor.Tensor;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A reduction seen as an [outer, inner] matrix: the kept axes (in order) make the rows, the
 * reduced axes (in order) the columns.
 */
record Layout(long[] dims, int[] permutation, long outer, long inner, long[] outDims) {
  static Layout of(long[] dims, boolean[] reduced, boolean keepDims) {
    int rank = dims.length;
    int[] permutation = new int[rank];
    int p = 0;
    long outer = 1;
    long inner = 1;
    int keptCount = 0;
    for (int d = 0; d < rank; d++) {
      if (!reduced[d]) {
        permutation[p++] = d;
        outer *= dims[d];
        keptCount++;
      }
    }
    for (int d = 0; d < rank; d++) {
      if (reduced[d]) {
        permutation[p++] = d;
        inner *= dims[d];
      }
    }
    long[] outDims = new long[keepDims ? rank : keptCount];
    for (int d = 0, o = 0; d < rank; d++) {
      if (keepDims) {
        outDims[d] = reduced[d] ? 1 : dims[d];
      } else if (!reduced[d]) {
        outDims[o++] = dims[d];
      }
    }
    return new Layout(dims, permutation, outer, inner, outDims);
  }

  /** The input as a C-order [outer, inner] ND4J matrix. */
  INDArray matrix(INDArray array) {
    boolean identity = true;
    for (int d = 0; d < permutation.length; d++) {
      identity &= permutation[d] == d;
    }
    INDArray ordered = identity ? array : array.permute(permutation).dup('c');
    return ordered.reshape('c', outer, inner);
  }

  /** The input's elements as longs (Tensor.longAt), row by row. */
  long[] gatherLongs(Tensor input) {
    int[] order = order();
    long[] values = new long[order.length];
    for (int i = 0; i < order.length; i++) {
      values[i] = input.longAt(order[i]);
    }
    return values;
  }

  /** The input's elements as doubles (Tensor.doubleAt), row by row. */
  double[] gatherDoubles(Tensor input) {
    int[] order = order();
    double[] values = new double[order.length];
    for (int i = 0; i < order.length; i++) {
      values[i] = input.doubleAt(order[i]);
    }
    return values;
  }

  /** The row-major positions of the input's elements, row by row. */
  int[] order() {
    int count = Math.toIntExact(Math.multiplyExact(outer, inner));
    int[] positions = new int[count];
    if (count == 0) {
      return positions;
    }
    int rank = dims.length;
    long[] steps = new long[rank];
    long step = 1;
    for (int d = rank - 1; d >= 0; d--) {
      steps[d] = step;
      step *= dims[d];
    }
    long[] counter = new long[rank];
    long offset = 0;
    for (int i = 0; i < count; i++) {
      positions[i] = (int) offset;
      for (int k = rank - 1; k >= 0; k--) {
        int axis = permutation[k];
        if (++counter[k] < dims[axis]) {
          offset += steps[axis];
          break;
        }
        offset -= steps[axis] * (dims[axis] - 1);
        counter[k] = 0;
      }
    }
    return positions;
  }

  @Override
  public String toString() {
    return "Layout" + Arrays.toString(dims) + " -> [" + outer + "," + inner + "]";
  }
}
