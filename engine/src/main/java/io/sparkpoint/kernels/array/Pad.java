package io.sparkpoint.kernels.array;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.IndexTensors;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Pad: the input surrounded on each axis by paddings[d][0] zeros before and paddings[d][1] after
 * (zero bytes for every fixed-width dtype, the empty string for strings), for inputs of rank 0 to
 * 8 as TensorFlow's CPU kernel allows.
 */
final class Pad {
  static final int MAX_RANK = 8;

  private Pad() {}

  static Kernel kernel(NodeDef node) {
    return context -> {
      Tensor input = context.input(0);
      Elements.requireMovable(node, input.dtype());
      Tensor paddings = context.input(1);
      long[] dims = input.shape().dims();
      int rank = dims.length;
      if (rank > MAX_RANK) {
        throw new KernelException("inputs rank not in [0," + MAX_RANK + "]: " + rank);
      }
      Shape matrix = paddings.shape();
      if (matrix.rank() != 2 || matrix.dim(1) != 2) {
        throw new KernelException("paddings must be a matrix with 2 columns: " + matrix);
      }
      if (matrix.dim(0) != rank) {
        throw new KernelException(
            "The first dimension of paddings must be the rank of inputs" + matrix + " " + input.shape());
      }
      long[] pairs = IndexTensors.values(node, paddings, "paddings");
      long[] before = new long[rank];
      long[] outDims = new long[rank];
      for (int d = 0; d < rank; d++) {
        before[d] = pairs[2 * d];
        long after = pairs[2 * d + 1];
        if (before[d] < 0 || after < 0) {
          throw new KernelException("Paddings must be non-negative: " + before[d] + " " + after);
        }
        outDims[d] = Math.addExact(Math.addExact(before[d], dims[d]), after);
      }
      Shape out = Shape.of(outDims);
      if (out.numElements() == input.numElements()) {
        return List.of(Elements.reshape(input, out)); // nothing padded, or nothing to place
      }
      long[] ones = new long[rank];
      Arrays.fill(ones, 1);
      int[] places = Elements.strided(outDims, Elements.identityAxes(rank), before, ones, dims);
      return List.of(Elements.scatter(input, out, places));
    };
  }
}
