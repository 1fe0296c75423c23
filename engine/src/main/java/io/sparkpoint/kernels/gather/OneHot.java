package io.sparkpoint.kernels.gather;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.kernels.TensorElements;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Set;

/**
 * OneHot: a new axis of size {@code depth} (at {@code axis}, -1 meaning last) holding
 * {@code on_value} where the index equals the position and {@code off_value} elsewhere, so
 * negative and too-large indices give all off. on/off values are copied, so every fixed-width and
 * string dtype works.
 */
final class OneHot {
  static final Set<DType> INDEX_TYPES = Set.of(DType.UINT8, DType.INT8, DType.INT32, DType.INT64);

  private OneHot() {}

  static Kernel kernel(NodeDef node) {
    long axisAttr = NodeAttrs.integer(node, "axis", -1);
    return context -> {
      Tensor indices = context.input(0);
      Tensor depth = context.input(1);
      DTypeRules.requireSupported(node, "TI", indices.dtype(), INDEX_TYPES);
      DTypeRules.requireType(node, depth, "depth", DType.INT32);
      DTypeRules.sharedType(node, context.inputs().subList(2, 4), TensorElements.MOVABLE, "on_value", "off_value");
      Tensor on = context.input(2);
      Tensor off = context.input(3);
      long[] indexDims = indices.shape().dims();
      int outRank = indexDims.length + 1;
      if (axisAttr != -1 && (axisAttr < 0 || axisAttr >= outRank)) {
        throw new KernelException(
            "Expected axis to be -1 or between [0, " + outRank + ").  But received: " + axisAttr);
      }
      requireScalar("depth", depth);
      requireScalar("on_value", on);
      requireScalar("off_value", off);
      long n = depth.longAt(0);
      if (n < 0) {
        throw new KernelException("depth must be non-negative, got: " + n);
      }
      int axis = axisAttr == -1 ? indexDims.length : (int) axisAttr;
      long[] outDims = new long[outRank];
      System.arraycopy(indexDims, 0, outDims, 0, axis);
      outDims[axis] = n;
      System.arraycopy(indexDims, axis, outDims, axis + 1, indexDims.length - axis);
      Shape shape = Shape.of(outDims);
      // output [prefix, depth, suffix] from indices [prefix, suffix]
      long prefix = 1;
      for (int k = 0; k < axis; k++) {
        prefix *= indexDims[k];
      }
      long suffix = prefix == 0 ? 0 : indices.numElements() / prefix;
      boolean[] hot = new boolean[Math.toIntExact(shape.numElements())];
      int o = 0;
      for (long p = 0; p < prefix; p++) {
        for (long d = 0; d < n; d++) {
          for (long s = 0; s < suffix; s++) {
            hot[o++] = indices.longAt(p * suffix + s) == d;
          }
        }
      }
      int[] scalar = new int[hot.length];
      return List.of(TensorElements.choose(shape, hot, on, scalar, off, scalar));
    };
  }

  private static void requireScalar(String argName, Tensor t) {
    if (!t.shape().isScalar()) {
      throw new KernelException(argName + " must be a scalar, but got: " + t.shape());
    }
  }
}
