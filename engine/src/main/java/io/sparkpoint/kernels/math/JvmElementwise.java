package io.sparkpoint.kernels.math;

import io.sparkpoint.kernels.Broadcasting;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The common element-wise cases computed on the JVM, straight from the tensors' bytes into the
 * result's: float32, float64, int32 and int64 operands of the same shape, one of them a scalar, or
 * any two shapes that broadcast (each operand then read through its broadcast index).
 * This skips two conversions to ND4J and one back, which cost more than the arithmetic itself for
 * all but huge tensors, and dominate for small ones. Results equal ND4J's and TF's: IEEE arithmetic,
 * integers wrapping at their width, NaN winning Maximum and Minimum.
 */
final class JvmElementwise {
  private JvmElementwise() {}

  /** The result, or null when this case is not one of the common ones. */
  static Tensor binary(BinaryOp op, Tensor x, Tensor y, DType type) {
    if (!supported(op, type)) {
      return null;
    }
    boolean sameShape = x.shape().equals(y.shape());
    if (!(sameShape || x.shape().isScalar() || y.shape().isScalar())) {
      return broadcast(op, x, y, type);
    }
    Shape shape = sameShape || y.shape().isScalar() ? x.shape() : y.shape();
    int n = Math.toIntExact(shape.numElements());
    int xStep = x.shape().isScalar() && n != 1 ? 0 : 1;
    int yStep = y.shape().isScalar() && n != 1 ? 0 : 1;
    return compute(op, type, shape, x, y, null, null, xStep, yStep);
  }

  /** Operands of different shapes, each element read through its broadcast source index; null when the shapes don't broadcast. */
  private static Tensor broadcast(BinaryOp op, Tensor x, Tensor y, DType type) {
    long[] dims = Broadcasting.dims(x.shape().dims(), y.shape().dims());
    if (dims == null) {
      return null; // the caller reports TF's error
    }
    int[] xi = Broadcasting.sourceIndex(x.shape().dims(), dims);
    int[] yi = Broadcasting.sourceIndex(y.shape().dims(), dims);
    return compute(op, type, Shape.of(dims), x, y, xi, yi, 0, 0);
  }

  /**
   * The result of {@code shape}: element i reads x at {@code xi[i]} (or {@code i · xStep} without an
   * index), and y likewise.
   */
  private static Tensor compute(BinaryOp op, DType type, Shape shape, Tensor x, Tensor y, int[] xi, int[] yi, int xStep, int yStep) {
    int n = Math.toIntExact(shape.numElements());
    ByteBuffer a = x.data();
    ByteBuffer b = y.data();
    ByteBuffer out = ByteBuffer.allocate(n * type.byteWidth()).order(ByteOrder.LITTLE_ENDIAN);
    switch (type) {
      case FLOAT -> {
        for (int i = 0; i < n; i++) {
          out.putFloat(i * 4, floats(op, a.getFloat(at(xi, xStep, i) * 4), b.getFloat(at(yi, yStep, i) * 4)));
        }
      }
      case DOUBLE -> {
        for (int i = 0; i < n; i++) {
          out.putDouble(i * 8, doubles(op, a.getDouble(at(xi, xStep, i) * 8), b.getDouble(at(yi, yStep, i) * 8)));
        }
      }
      case INT32 -> {
        for (int i = 0; i < n; i++) {
          out.putInt(i * 4, (int) longs(op, a.getInt(at(xi, xStep, i) * 4), b.getInt(at(yi, yStep, i) * 4)));
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          out.putLong(i * 8, longs(op, a.getLong(at(xi, xStep, i) * 8), b.getLong(at(yi, yStep, i) * 8)));
        }
      }
    }
    return Tensor.wrap(type, shape, out);
  }

  private static int at(int[] index, int step, int i) {
    return index == null ? i * step : index[i];
  }

  private static boolean supported(BinaryOp op, DType type) {
    boolean floating = type == DType.FLOAT || type == DType.DOUBLE;
    boolean integer = type == DType.INT32 || type == DType.INT64;
    return switch (op) {
      case ADD, ADD_V2, SUB, MUL, MAXIMUM, MINIMUM -> floating || integer;
      case REAL_DIV, DIV -> floating;
      default -> false;
    };
  }

  /**
   * In double, rounded once: for +, -, *, / that is exactly float arithmetic (a double holds more
   * than twice a float's precision, so the double rounding is harmless), and Max/Min are exact.
   */
  private static float floats(BinaryOp op, float a, float b) {
    return (float) doubles(op, a, b);
  }

  private static double doubles(BinaryOp op, double a, double b) {
    return switch (op) {
      case ADD, ADD_V2 -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case REAL_DIV, DIV -> a / b;
      case MAXIMUM -> Math.max(a, b);
      case MINIMUM -> Math.min(a, b);
      default -> throw new IllegalStateException("unsupported " + op);
    };
  }

  /** int32 results are narrowed by the caller, which wraps them as C++ does. */
  private static long longs(BinaryOp op, long a, long b) {
    return switch (op) {
      case ADD, ADD_V2 -> a + b;
      case SUB -> a - b;
      case MUL -> a * b;
      case MAXIMUM -> Math.max(a, b);
      case MINIMUM -> Math.min(a, b);
      default -> throw new IllegalStateException("unsupported " + op);
    };
  }
}
