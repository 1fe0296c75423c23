package io.sparkpoint.kernels.array;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.Broadcasting;
import io.sparkpoint.kernels.IndexTensors;
import io.sparkpoint.kernels.TensorElements;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * BroadcastTo: the input repeated along its size-1 (and missing leading) dimensions up to the
 * requested shape, in TensorFlow's order of checks: the same shape returns the input, an input of
 * higher rank fails, then the shapes must broadcast to exactly the requested one.
 */
final class BroadcastTo {
  private BroadcastTo() {}

  static Kernel kernel(NodeDef node) {
    return context -> {
      Tensor input = context.input(0);
      Elements.requireMovable(node, input.dtype());
      Shape out = requestedShape(node, context.input(1));
      Shape in = input.shape();
      if (out.equals(in)) {
        return List.of(input);
      }
      if (in.rank() > out.rank()) {
        throw new KernelException("Rank of input (" + in.rank() + ") must be no greater than rank of output shape ("
            + out.rank() + ").");
      }
      long[] broadcast = Broadcasting.dims(in.dims(), out.dims());
      if (broadcast == null) {
        throw new KernelException("Incompatible shapes: " + in + " vs. " + out);
      }
      if (!Arrays.equals(broadcast, out.dims())) {
        throw new KernelException("Unable to broadcast tensor of shape " + in + " to tensor of shape " + out);
      }
      if (out.numElements() == 0) {
        return List.of(TensorElements.empty(input.dtype(), out));
      }
      return List.of(Elements.gather(input, out, Broadcasting.sourceIndex(in.dims(), out.dims())));
    };
  }

  /**
   * A shape input as TF's MakeShape reads it.
   *
   * @throws KernelException "shape must be a vector of {int32,int64}, got shape [2,2]" or "Dimension -1 must be >= 0"
   */
  static Shape requestedShape(NodeDef node, Tensor shape) {
    long[] dims = IndexTensors.vector(node, shape, "shape");
    for (long d : dims) {
      if (d < 0) {
        throw new KernelException("Dimension " + d + " must be >= 0");
      }
    }
    return Shape.of(dims);
  }
}
