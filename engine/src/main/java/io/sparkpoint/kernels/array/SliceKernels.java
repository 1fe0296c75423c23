package io.sparkpoint.kernels.array;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.IndexTensors;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Slice, StridedSlice and Transpose: strided views of the input's elements. */
final class SliceKernels {
  private SliceKernels() {}

  static Kernel slice(NodeDef node) {
    return context -> {
      Tensor input = context.input(0);
      Elements.requireMovable(node, input.dtype());
      Tensor beginTensor = context.input(1);
      Tensor sizeTensor = context.input(2);
      long[] dims = input.shape().dims();
      if (beginTensor.shape().rank() != 1 || sizeTensor.shape().rank() != 1
          || beginTensor.numElements() != dims.length || sizeTensor.numElements() != dims.length) {
        throw new KernelException("Expected begin and size arguments to be 1-D tensors of size " + dims.length
            + ", but got shapes " + beginTensor.shape() + " and " + sizeTensor.shape() + " instead.");
      }
      long[] begin = IndexTensors.values(node, beginTensor, "begin");
      long[] size = IndexTensors.values(node, sizeTensor, "size");
      for (int d = 0; d < dims.length; d++) {
        if (size[d] == -1) {
          size[d] = dims[d] - begin[d];
        }
        if (begin[d] < 0 || begin[d] > dims[d]) {
          throw new KernelException("Expected begin[" + d + "] in [0, " + dims[d] + "], but got " + begin[d]);
        }
        if (size[d] < 0 || size[d] > dims[d] - begin[d]) {
          throw new KernelException(
              "Expected size[" + d + "] in [0, " + (dims[d] - begin[d]) + "], but got " + size[d]);
        }
      }
      long[] stride = new long[dims.length];
      Arrays.fill(stride, 1);
      int[] index = Elements.strided(dims, Elements.identityAxes(dims.length), begin, stride, size);
      return List.of(Elements.gather(input, Shape.of(size), index));
    };
  }

  static Kernel transpose(NodeDef node) {
    return context -> {
      Tensor x = context.input(0);
      Elements.requireMovable(node, x.dtype());
      Tensor permTensor = context.input(1);
      long[] dims = x.shape().dims();
      if (permTensor.shape().rank() != 1) {
        throw new KernelException("perm must be rank 1, got shape " + permTensor.shape());
      }
      long[] perm = IndexTensors.values(node, permTensor, "perm");
      if (perm.length != dims.length) {
        throw new KernelException("transpose expects a vector of size " + dims.length
            + ". But input(1) is a vector of size " + perm.length);
      }
      boolean[] seen = new boolean[dims.length];
      int[] axes = new int[dims.length];
      long[] outDims = new long[dims.length];
      for (int k = 0; k < dims.length; k++) {
        if (perm[k] < 0 || perm[k] >= dims.length) {
          throw new KernelException(perm[k] + " is out of range [0 .. " + dims.length + ")");
        }
        axes[k] = (int) perm[k];
        seen[axes[k]] = true;
        outDims[k] = dims[axes[k]];
      }
      for (int d = 0; d < dims.length; d++) {
        if (!seen[d]) {
          String joined = Arrays.stream(perm).mapToObj(Long::toString).collect(Collectors.joining(","));
          throw new KernelException(d + " is missing from {" + joined + "}.");
        }
      }
      long[] ones = new long[dims.length];
      Arrays.fill(ones, 1);
      int[] index = Elements.strided(dims, axes, new long[dims.length], ones, outDims);
      return List.of(Elements.gather(x, Shape.of(outDims), index));
    };
  }

  static Kernel stridedSlice(NodeDef node) {
    StridedSliceSpec.Masks masks = StridedSliceSpec.Masks.of(node);
    return context -> {
      Tensor input = context.input(0);
      Elements.requireMovable(node, input.dtype());
      long[] dims = input.shape().dims();
      StridedSliceSpec spec = StridedSliceSpec.resolve(node, dims, masks, context.input(1), context.input(2),
          context.input(3));
      int[] index = Elements.strided(dims, Elements.identityAxes(dims.length), spec.begin(), spec.strides(), spec.sizes());
      return List.of(Elements.gather(input, Shape.of(spec.finalShape()), index));
    };
  }
}
