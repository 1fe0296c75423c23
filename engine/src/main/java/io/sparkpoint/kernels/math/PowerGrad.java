package io.sparkpoint.kernels.math;

import io.sparkpoint.kernels.JvmPairwise;

/**
 * The gradients of Sqrt, Rsqrt and Reciprocal from their outputs: each op takes (y, dy), y being
 * the forward op's output, and computes in the order of TF's vectorized kernels. A zero dy gives 0
 * whatever y is (TF multiplies "without NaN" there), so 0 * inf and 0 * NaN are 0, not NaN. (TF's
 * last few elements, after its last full vector, go through scalar formulas that differ in rounding
 * order only: SqrtGrad's is (0.5 * dy) / y.)
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
  public void floats(float[] y, float[] dy, int n) {
    switch (this) {
      case SQRT -> {
        for (int i = 0; i < n; i++) {
          y[i] = dy[i] == 0 ? 0 : (0.5f / y[i]) * dy[i];
        }
      }
      case RSQRT -> {
        for (int i = 0; i < n; i++) {
          float scaled = dy[i] == 0 ? 0 : y[i] * dy[i];
          y[i] = scaled == 0 ? 0 : (-0.5f * (y[i] * y[i])) * scaled;
        }
      }
      case RECIPROCAL -> {
        for (int i = 0; i < n; i++) {
          y[i] = dy[i] == 0 ? 0 : -(y[i] * y[i]) * dy[i];
        }
      }
    }
  }

  @Override
  public void doubles(double[] y, double[] dy, int n) {
    switch (this) {
      case SQRT -> {
        for (int i = 0; i < n; i++) {
          y[i] = dy[i] == 0 ? 0 : (0.5 / y[i]) * dy[i];
        }
      }
      case RSQRT -> {
        for (int i = 0; i < n; i++) {
          double scaled = dy[i] == 0 ? 0 : y[i] * dy[i];
          y[i] = scaled == 0 ? 0 : (-0.5 * (y[i] * y[i])) * scaled;
        }
      }
      case RECIPROCAL -> {
        for (int i = 0; i < n; i++) {
          y[i] = dy[i] == 0 ? 0 : -(y[i] * y[i]) * dy[i];
        }
      }
    }
  }
}
