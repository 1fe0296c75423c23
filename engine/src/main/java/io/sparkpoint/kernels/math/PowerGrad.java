package io.sparkpoint.kernels.math;

import io.sparkpoint.kernels.JvmPairwise;

/**
 * The gradients of Sqrt, Rsqrt and Reciprocal from their outputs: each op takes (y, dy), y being
 * the forward op's output, and computes in the order of TF's vectorized kernels. A zero dy gives 0
 * whatever y is (TF multiplies "without NaN" there), so 0 * inf and 0 * NaN are 0, not NaN.
 * <ul>
 *   <li>SqrtGrad: dy * (0.5 / y);</li>
 *   <li>RsqrtGrad: (-0.5 * (y * y)) * (y * dy), and 0 wherever y * dy is 0;</li>
 *   <li>ReciprocalGrad: -(y * y) * dy.</li>
 * </ul>
 */
enum PowerGrad implements JvmPairwise.Arithmetic {
  SQRT("SqrtGrad"),
  RSQRT("RsqrtGrad"),
  RECIPROCAL("ReciprocalGrad");

  final String opType;

  PowerGrad(String opType) {
    this.opType = opType;
  }

  @Override
  public float floats(float y, float dy) {
    if (dy == 0) {
      return 0;
    }
    return switch (this) {
      case SQRT -> (0.5f / y) * dy;
      case RSQRT -> {
        float scaled = y * dy;
        yield scaled == 0 ? 0 : (-0.5f * (y * y)) * scaled;
      }
      case RECIPROCAL -> -(y * y) * dy;
    };
  }

  @Override
  public double doubles(double y, double dy) {
    if (dy == 0) {
      return 0;
    }
    return switch (this) {
      case SQRT -> (0.5 / y) * dy;
      case RSQRT -> {
        double scaled = y * dy;
        yield scaled == 0 ? 0 : (-0.5 * (y * y)) * scaled;
      }
      case RECIPROCAL -> -(y * y) * dy;
    };
  }
}
