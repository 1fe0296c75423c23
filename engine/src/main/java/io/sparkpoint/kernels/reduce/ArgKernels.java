package io.sparkpoint.kernels.reduce;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.IndexTensors;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ArgMax and ArgMin along one axis, as TensorFlow's Eigen reduction computes them: ties give the
 * first index and NaN never wins.
 */
final class ArgKernels {
  private static final Set<DType> TYPES = types();

  private ArgKernels() {}

  private static Set<DType> types() {
    Set<DType> types = new HashSet<>(ReduceKernels.REAL);
    types.add(DType.BOOL);
    return Set.copyOf(types);
  }

  static Kernel arg(NodeDef node, boolean max) {
    DTypeRules.checkTypeAttr(node, TYPES);
    DType outType = NodeAttrs.type(node, "output_type").orElse(DType.INT64);
    Set<DType> outTypes = max ? Set.of(DType.INT16, DType.UINT16, DType.INT32, DType.INT64)
        : Set.of(DType.INT32, DType.INT64);
    if (!outTypes.contains(outType)) {
      throw new KernelException("Value for attr 'output_type' of " + outType.pythonName()
          + " is not in the list of allowed values: " + (max ? "int16, uint16, " : "") + "int32, int64 (node "
          + node.getName() + ")");
    }
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs().subList(0, 1), TYPES, "input");
      Tensor input = context.input(0);
      Tensor dimension = context.input(1);
      if (!dimension.shape().isScalar()) {
        throw new KernelException("dim must be a scalar, but received tensor of shape: " + dimension.shape());
      }
      long dim = IndexTensors.valuesAllowingInt16(node, dimension, "dimension")[0];
      long[] dims = input.shape().dims();
      int rank = dims.length;
      if (dim < -rank || dim >= rank) {
        throw new KernelException(
            "Expected dimension in the range [" + -rank + ", " + rank + "), but got " + dim);
      }
      int axis = (int) (dim < 0 ? dim + rank : dim);
      if (dims[axis] == 0) {
        throw new KernelException("Reduction axis " + dim + " is empty in shape " + input.shape());
      }
      boolean[] reduced = new boolean[rank];
      reduced[axis] = true;
      Layout layout = Layout.of(dims, reduced, false);
      int inner = Math.toIntExact(layout.inner());
      ByteBuffer out = Numbers.allocate(outType, layout.outer());
      boolean floating = Numbers.FLOATING.contains(type);
      double[] doubles = floating ? layout.gatherDoubles(input) : null;
      long[] longs = floating ? null : layout.gatherLongs(input);
      for (int row = 0; row < layout.outer(); row++) {
        int from = row * inner;
        Numbers.putLong(out, outType, floating ? bestOf(doubles, from, inner, type, max)
            : bestOf(longs, from, inner, type, max));
      }
      return List.of(Numbers.tensor(outType, Shape.of(layout.outDims()), out));
    };
  }

  /**
   * TF's (Eigen's) arg reduction: the running best starts as index 0 with the dtype's lowest
   * finite value (highest for ArgMin), and only a strictly better value replaces it; so NaN never
   * wins, ties keep the first index, and a row of -inf (ArgMax) or of NaN gives 0.
   */
  private static int bestOf(double[] values, int from, int count, DType type, boolean max) {
    double limit = finiteLimit(type);
    double bestValue = max ? -limit : limit;
    int best = 0;
    for (int k = 0; k < count; k++) {
      double v = values[from + k];
      if (max ? v > bestValue : v < bestValue) {
        bestValue = v;
        best = k;
      }
    }
    return best;
  }

  private static int bestOf(long[] values, int from, int count, DType type, boolean max) {
    long bestValue = max ? Reduction.lowest(type) : Reduction.highest(type);
    int best = 0;
    for (int k = 0; k < count; k++) {
      long v = values[from + k];
      int order = type == DType.UINT64 ? Long.compareUnsigned(v, bestValue) : Long.compare(v, bestValue);
      if (max ? order > 0 : order < 0) {
        bestValue = v;
        best = k;
      }
    }
    return best;
  }

  /** The largest finite value of a float dtype. */
  private static double finiteLimit(DType type) {
    return switch (type) {
      case FLOAT -> Float.MAX_VALUE;
      case HALF -> 65504;
      case BFLOAT16 -> 0x1.fep127;
      default -> Double.MAX_VALUE;
    };
  }
}
