package io.sparkpoint.kernels.math;

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
import java.util.List;
import java.util.Set;

/**
 * Cumprod(x, axis) with {@code exclusive} and {@code reverse}: running products along one axis,
 * multiplied in the dtype's own arithmetic one element after the other (float32 rounds at every
 * step, integers wrap), as TensorFlow's scan does. Prod's gradient uses it.
 */
final class Cumprod {
  private static final Set<DType> TYPES = Set.of(DType.FLOAT, DType.DOUBLE, DType.INT32, DType.INT64);

  private Cumprod() {}

  static Kernel kernel(NodeDef node) {
    DTypeRules.checkTypeAttr(node, TYPES);
    boolean exclusive = NodeAttrs.bool(node, "exclusive", false);
    boolean reverse = NodeAttrs.bool(node, "reverse", false);
    return context -> {
      Tensor x = context.input(0);
      DType type = DTypeRules.sharedType(node, List.of(x), TYPES, "x");
      Tensor axisTensor = context.input(1);
      if (!axisTensor.shape().isScalar()) {
        throw new KernelException("ScanOp: axis must be a scalar, not " + axisTensor.shape());
      }
      int rank = x.shape().rank();
      long axis = IndexTensors.scalar(node, axisTensor, "axis");
      if (axis < -rank || axis >= rank) {
        throw new KernelException("ScanOp: Expected scan axis in the range [" + -rank + ", " + rank + "), but got " + axis);
      }
      int k = (int) (axis < 0 ? axis + rank : axis);
      return List.of(scan(x, type, k, exclusive, reverse));
    };
  }

  private static Tensor scan(Tensor x, DType type, int axis, boolean exclusive, boolean reverse) {
    Shape shape = x.shape();
    int length = Math.toIntExact(shape.dim(axis));
    long inner = 1;
    for (int d = axis + 1; d < shape.rank(); d++) {
      inner *= shape.dim(d);
    }
    long outer = length == 0 ? 0 : shape.numElements() / (length * inner);
    ByteBuffer out = Numbers.allocate(type, shape.numElements());
    boolean integer = type == DType.INT32 || type == DType.INT64;
    for (long o = 0; o < outer; o++) {
      for (long i = 0; i < inner; i++) {
        double product = 1;
        long intProduct = 1;
        for (int step = 0; step < length; step++) {
          int j = reverse ? length - 1 - step : step;
          long at = (o * length + j) * inner + i;
          if (integer) {
            long value = x.longAt(at);
            long result = exclusive ? intProduct : intProduct * value;
            intProduct = type == DType.INT32 ? (int) (intProduct * value) : intProduct * value;
            put(out, type, at, type == DType.INT32 ? (int) result : result);
          } else {
            double value = x.doubleAt(at);
            double result = exclusive ? product : Numbers.round(type, product * value);
            product = Numbers.round(type, product * value);
            putFloating(out, type, at, result);
          }
        }
      }
    }
    return Numbers.tensor(type, shape, out);
  }

  private static void put(ByteBuffer out, DType type, long at, long value) {
    int index = Math.toIntExact(at * type.byteWidth());
    if (type == DType.INT32) {
      out.putInt(index, (int) value);
    } else {
      out.putLong(index, value);
    }
  }

  private static void putFloating(ByteBuffer out, DType type, long at, double value) {
    int index = Math.toIntExact(at * type.byteWidth());
    if (type == DType.FLOAT) {
      out.putFloat(index, (float) value);
    } else {
      out.putDouble(index, value);
    }
  }
}
