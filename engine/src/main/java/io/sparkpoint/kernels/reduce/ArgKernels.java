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
 * ArgMax and ArgMin along one axis; ties give the first index. NaN counts as the largest value for
 * ArgMax and the smallest for ArgMin (it wins).
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
        int best = 0;
        for (int k = 1; k < inner; k++) {
          int i = row * inner + k;
          int b = row * inner + best;
          if (floating ? better(doubles[i], doubles[b], max) : better(longs[i], longs[b], type, max)) {
            best = k;
          }
        }
        Numbers.putLong(out, outType, best);
      }
      return List.of(Numbers.tensor(outType, Shape.of(layout.outDims()), out));
    };
  }

  private static boolean better(double candidate, double best, boolean max) {
    if (Double.isNaN(best)) {
      return false;
    }
    if (Double.isNaN(candidate)) {
      return true;
    }
    return max ? candidate > best : candidate < best;
  }

  private static boolean better(long candidate, long best, DType type, boolean max) {
    int order = type == DType.UINT64 ? Long.compareUnsigned(candidate, best) : Long.compare(candidate, best);
    return max ? order > 0 : order < 0;
  }
}
