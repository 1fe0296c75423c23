package io.sparkpoint.kernels.nn;

import static io.sparkpoint.kernels.JvmPairwise.Operands.SAME_COUNT;
import static io.sparkpoint.kernels.JvmPairwise.Operands.SAME_SHAPE;

import io.sparkpoint.kernels.JvmPairwise;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.tensor.DType;
import java.util.Set;

/**
 * The gradients of the activations, with TF's inputs and arithmetic. ReluGrad and Relu6Grad take
 * (gradients, features), where features may be the activation's input or its output; EluGrad takes
 * (gradients, outputs); SigmoidGrad and TanhGrad take (y, dy), y being the activation's output.
 *
 * <p>The gate of ReluGrad and Relu6Grad multiplies (as TF's does) rather than selects, so a NaN or
 * infinite gradient where the gate is closed gives NaN, and a closed gate at a negative gradient
 * gives -0. The gate is closed at 0 (and at 6) and at NaN features. SigmoidGrad computes
 * dy * (y * (1 - y)) and TanhGrad dy * (1 - y * y), in the order of TF's vectorized kernels (TF's
 * last few elements, after its last full vector, go through (dy * y) * (1 - y), one rounding away).
 */
enum ActivationGrad implements JvmPairwise.Arithmetic {
  RELU("ReluGrad", Numbers.REAL, SAME_SHAPE, "gradients", "features"),
  RELU6("Relu6Grad", Numbers.REAL, SAME_SHAPE, "gradients", "features"),
  ELU("EluGrad", Numbers.FLOATING, SAME_SHAPE, "gradients", "outputs"),
  SIGMOID("SigmoidGrad", Numbers.FLOATING, SAME_COUNT, "y", "dy"),
  TANH("TanhGrad", Numbers.FLOATING, SAME_COUNT, "y", "dy");

  private static final int FLOAT_ONE = Float.floatToRawIntBits(1f);
  private static final int FLOAT_INFINITY = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);
  private static final int FLOAT_BELOW_SIX = Float.floatToRawIntBits(6f) - 1;
  private static final int FLOAT_NAN = Float.floatToRawIntBits(Float.NaN);
  private static final long DOUBLE_ONE = Double.doubleToRawLongBits(1.0);

  final String opType;
  final Set<DType> types;
  /** TF checks equal shapes for its BinaryElementWiseOp kernels, equal element counts for the others. */
  final JvmPairwise.Operands operands;
  final String[] argNames;

  ActivationGrad(String opType, Set<DType> types, JvmPairwise.Operands operands, String... argNames) {
    this.opType = opType;
    this.types = types;
    this.operands = operands;
    this.argNames = argNames;
  }

  @Override
  public void floats(float[] x, float[] y, int n) {
    switch (this) {
      // the gate's 0 or 1 is picked as int bits, which the JIT compiles without a branch
      case RELU -> {
        for (int i = 0; i < n; i++) {
          x[i] *= Float.intBitsToFloat(y[i] > 0 ? FLOAT_ONE : 0);
        }
      }
      case RELU6 -> {
        for (int i = 0; i < n; i++) {
          x[i] *= Float.intBitsToFloat(y[i] > 0 & y[i] < 6 ? FLOAT_ONE : 0);
        }
      }
      case ELU -> {
        for (int i = 0; i < n; i++) {
          x[i] = y[i] < 0 ? (y[i] + 1) * x[i] : x[i];
        }
      }
      case SIGMOID -> {
        for (int i = 0; i < n; i++) {
          x[i] = y[i] * (x[i] * (1 - x[i]));
        }
      }
      case TANH -> {
        for (int i = 0; i < n; i++) {
          x[i] = y[i] * (1 - x[i] * x[i]);
        }
      }
    }
  }

  /** ReluGrad and Relu6Grad on float32 work on the bits (see {@link #floatBits}). */
  @Override
  public boolean floatsOnBits() {
    return this == RELU || this == RELU6;
  }

  /**
   * ReluGrad and Relu6Grad on the raw bits of float32 gradients {@code x} and features {@code y},
   * with the results of {@link #floats}: the gate is open for features whose bits, read as an int,
   * lie in (0, limit] (limit: +inf for Relu, the float just below 6 for Relu6; negative floats are
   * negative ints and NaNs lie above +inf). Where it is closed, gradient * 0 is a zero of the
   * gradient's sign, or NaN for an infinite or NaN gradient.
   */
  @Override
  public void floatBits(int[] x, int[] y, int n) {
    int limit = this == RELU ? FLOAT_INFINITY : FLOAT_BELOW_SIX;
    for (int i = 0; i < n; i++) {
      int closed = ((y[i] - 1) | (limit - y[i])) >> 31; // all ones where closed
      int nonFinite = (((x[i] & FLOAT_INFINITY) ^ FLOAT_INFINITY) - 1) >> 31; // all ones for inf and NaN
      int timesZero = (x[i] & Integer.MIN_VALUE) | (nonFinite & FLOAT_NAN);
      x[i] = (x[i] & ~closed) | (timesZero & closed);
    }
  }

  @Override
  public void doubles(double[] x, double[] y, int n) {
    switch (this) {
      case RELU -> {
        for (int i = 0; i < n; i++) {
          x[i] *= Double.longBitsToDouble(y[i] > 0 ? DOUBLE_ONE : 0);
        }
      }
      case RELU6 -> {
        for (int i = 0; i < n; i++) {
          x[i] *= Double.longBitsToDouble(y[i] > 0 & y[i] < 6 ? DOUBLE_ONE : 0);
        }
      }
      case ELU -> {
        for (int i = 0; i < n; i++) {
          x[i] = y[i] < 0 ? (y[i] + 1) * x[i] : x[i];
        }
      }
      case SIGMOID -> {
        for (int i = 0; i < n; i++) {
          x[i] = y[i] * (x[i] * (1 - x[i]));
        }
      }
      case TANH -> {
        for (int i = 0; i < n; i++) {
          x[i] = y[i] * (1 - x[i] * x[i]);
        }
      }
    }
  }

  /** ReluGrad and Relu6Grad on integers: the gradient where the gate is open, else 0. */
  @Override
  public long integers(long a, long b, DType type) {
    boolean unsigned = type == DType.UINT64; // narrower unsigned types arrive zero-extended
    boolean positive = unsigned ? b != 0 : b > 0;
    boolean open = switch (this) {
      case RELU -> positive;
      case RELU6 -> positive && (unsigned ? Long.compareUnsigned(b, 6) < 0 : b < 6);
      default -> throw new IllegalStateException(opType + " has no integer kernel");
    };
    return open ? a : 0;
  }
}
