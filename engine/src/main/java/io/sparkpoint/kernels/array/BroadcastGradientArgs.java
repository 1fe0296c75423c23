package io.sparkpoint.kernels.array;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.IndexTensors;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * BroadcastGradientArgs(s0, s1): for two shapes that broadcast together, the axes of the broadcast
 * shape along which each operand's gradient must be summed (r0, r1, ascending), as TF's BCast
 * computes them. Equal shapes need no reduction. Otherwise, with the shorter shape padded with
 * leading 1s, an axis where one operand has 1 and the other does not is reduced for the first, and
 * an axis where both have 1 is reduced for both.
 */
final class BroadcastGradientArgs {
  private static final Set<DType> TYPES = Set.of(DType.INT32, DType.INT64);

  private BroadcastGradientArgs() {}

  static Kernel kernel(NodeDef node) {
    DTypeRules.checkTypeAttr(node, TYPES);
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs(), TYPES, "s0", "s1");
      long[] x = shape(node, context.input(0), 0);
      long[] y = shape(node, context.input(1), 1);
      long[][] axes = reductionAxes(x, y);
      if (axes == null) {
        throw new KernelException("Incompatible shapes: " + render(x) + " vs. " + render(y));
      }
      return List.of(ShapeKernels.indexTensor(type, axes[0]), ShapeKernels.indexTensor(type, axes[1]));
    };
  }

  /**
   * The axes to reduce for each operand, or null when the shapes do not broadcast. Dimensions are
   * taken as given: TF compares them without checking that they are non-negative.
   */
  static long[][] reductionAxes(long[] x, long[] y) {
    if (Arrays.equals(x, y)) {
      return new long[][] {{}, {}};
    }
    int rank = Math.max(x.length, y.length);
    long[] forX = new long[rank];
    long[] forY = new long[rank];
    int nx = 0;
    int ny = 0;
    for (int axis = 0; axis < rank; axis++) {
      long a = axis < rank - x.length ? 1 : x[axis - (rank - x.length)];
      long b = axis < rank - y.length ? 1 : y[axis - (rank - y.length)];
      if (a != 1 && b != 1 && a != b) {
        return null;
      }
      if (a == 1) {
        forX[nx++] = axis;
      }
      if (b == 1) {
        forY[ny++] = axis;
      }
    }
    return new long[][] {Arrays.copyOf(forX, nx), Arrays.copyOf(forY, ny)};
  }

  /**
   * @throws KernelException TF's "In[0] must be a vector.[2,2]"
   */
  private static long[] shape(NodeDef node, Tensor tensor, int index) {
    if (tensor.shape().rank() != 1) {
      throw new KernelException("In[" + index + "] must be a vector." + tensor.shape());
    }
    return IndexTensors.values(node, tensor, "s" + index);
  }

  private static String render(long[] dims) {
    return Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining(",", "[", "]"));
  }
}
