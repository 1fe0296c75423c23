package io.sparkpoint.kernels.array;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;

/**
 * StridedSliceGrad: the gradient of StridedSlice, a tensor of the sliced input's shape holding dy
 * where the slice (same begin, end, strides and masks, resolved by {@link StridedSliceSpec}) read
 * and zero elsewhere. dy must have the slice's final shape.
 */
final class StridedSliceGrad {
  private StridedSliceGrad() {}

  static Kernel kernel(NodeDef node) {
    StridedSliceSpec.Masks masks = StridedSliceSpec.Masks.of(node);
    return context -> {
      Tensor shapeInput = context.input(0);
      Tensor dy = context.input(4);
      Elements.requireMovable(node, dy.dtype());
      if (shapeInput.shape().rank() != 1) {
        throw new KernelException("shape must be 1-D, got shape.shape = " + shapeInput.shape());
      }
      Shape shape = BroadcastTo.requestedShape(node, shapeInput);
      long[] dims = shape.dims();
      StridedSliceSpec spec = StridedSliceSpec.resolve(node, dims, masks, context.input(1), context.input(2),
          context.input(3));
      Shape sliced = Shape.of(spec.finalShape());
      if (!sliced.equals(dy.shape())) {
        throw new KernelException("shape of dy was " + dy.shape() + " instead of " + sliced);
      }
      int[] places = Elements.strided(dims, Elements.identityAxes(dims.length), spec.begin(), spec.strides(),
          spec.sizes());
      return List.of(Elements.scatter(dy, shape, places));
    };
  }
}
