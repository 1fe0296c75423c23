package io.sparkpoint.kernels.array;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.IndexTensors;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * ShapeN, InvertPermutation and ConcatOffset: small int32/int64 vectors computed from shapes and
 * permutations, as TensorFlow's gradients of Concat, Transpose and the reductions emit them.
 */
final class IndexVectorKernels {
  static final Set<DType> INDEX_TYPES = Set.of(DType.INT32, DType.INT64);

  private IndexVectorKernels() {}

  /** ShapeN: the shape of each of the N inputs, as out_type (int32 by default) vectors. */
  static Kernel shapeN(NodeDef node) {
    DType outType = ShapeKernels.indexOutType(node, "out_type");
    return context -> {
      List<Tensor> outputs = new ArrayList<>();
      for (int i = 0; i < context.inputs().size(); i++) {
        long[] dims = context.input(i).shape().dims();
        for (int j = 0; j < dims.length; j++) {
          if (outType == DType.INT32 && dims[j] > Integer.MAX_VALUE) {
            throw new KernelException("ShapeN output type is 32-bit but shape " + i + " dim " + j + " is " + dims[j]);
          }
        }
        outputs.add(ShapeKernels.indexTensor(outType, dims));
      }
      return outputs;
    };
  }

  /**
   * InvertPermutation: y[x[i]] = i for a permutation x of 0..n-1.
   *
   * @throws KernelException TF's "3 is not between 0 and 3" or "1 is duplicated in the input."
   */
  static Kernel invertPermutation(NodeDef node) {
    DTypeRules.checkTypeAttr(node, INDEX_TYPES);
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs(), INDEX_TYPES, "x");
      Tensor x = context.input(0);
      if (x.shape().rank() != 1) {
        throw new KernelException("invert_permutation expects a 1D vector.");
      }
      long[] permutation = IndexTensors.values(node, x, "x");
      int n = permutation.length;
      long[] inverse = new long[n];
      Arrays.fill(inverse, -1);
      for (int i = 0; i < n; i++) {
        long d = permutation[i];
        if (d < 0 || d >= n) {
          throw new KernelException(d + " is not between 0 and " + n);
        }
        if (inverse[(int) d] != -1) {
          throw new KernelException(d + " is duplicated in the input.");
        }
        inverse[(int) d] = i;
      }
      return List.of(ShapeKernels.indexTensor(type, inverse));
    };
  }

  /**
   * ConcatOffset: where each of N shapes starts in their concatenation along concat_dim: 0 on every
   * other axis, the running sum of the sizes before it on concat_dim.
   *
   * @throws KernelException TF's "Concat dim is out of range: 2 vs. 2" or "All dimensions except 1
   *     must match. Input 1 has shape [2 4] and doesn't match input 0 with shape [3 4]."
   */
  static Kernel concatOffset(NodeDef node) {
    return context -> {
      Tensor concatDim = context.input(0);
      List<Tensor> shapes = context.inputs().subList(1, context.inputs().size());
      DTypeRules.requireType(node, concatDim, "concat_dim", DType.INT32);
      DType type = shapes.get(0).dtype();
      DTypeRules.requireSupported(node, "shape_type", type, INDEX_TYPES);
      for (Tensor shape : shapes) {
        DTypeRules.requireType(node, shape, "shape", type);
      }
      if (!concatDim.shape().isScalar()) {
        throw new KernelException(
            "Concat dim tensor should be a scalar integer, but got shape " + concatDim.shape());
      }
      for (int i = 0; i < shapes.size(); i++) {
        if (shapes.get(i).shape().rank() != 1) {
          throw new KernelException(
              "input " + (i + 1) + " should be a vector, but got shape " + shapes.get(i).shape());
        }
      }
      long[] first = IndexTensors.values(node, shapes.get(0), "shape");
      long requested = concatDim.longAt(0);
      int rank = first.length;
      long axis = requested < 0 ? requested + rank : requested;
      if (axis < 0 || axis >= rank) {
        throw new KernelException("Concat dim is out of range: " + requested + " vs. " + rank);
      }
      List<Tensor> offsets = new ArrayList<>();
      long offset = 0;
      for (int i = 0; i < shapes.size(); i++) {
        long[] dims = IndexTensors.values(node, shapes.get(i), "shape");
        if (dims.length != rank) {
          throw new KernelException(
              "input " + i + " should contain " + rank + " elements, but got " + dims.length);
        }
        long[] out = new long[rank];
        for (int j = 0; j < rank; j++) {
          if (j == axis) {
            out[j] = offset;
            offset += dims[j];
          } else if (dims[j] != first[j]) {
            throw new KernelException("All dimensions except " + axis + " must match. Input " + i + " has shape ["
                + summary(dims) + "] and doesn't match input 0 with shape [" + summary(first) + "].");
          }
        }
        offsets.add(ShapeKernels.indexTensor(type, out));
      }
      return offsets;
    };
  }

  /** TF's Tensor::SummarizeValue(10): the first 10 values separated by spaces, "..." when there are more. */
  private static String summary(long[] values) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(values.length, 10); i++) {
      text.append(i == 0 ? "" : " ").append(values[i]);
    }
    return values.length > 10 ? text.append("...").toString() : text.toString();
  }
}
