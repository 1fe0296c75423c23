package io.sparkpoint.kernels.training;

/**
 * TensorFlow's dense optimizer functors, one class each, written as TF's CPU kernels compute them:
 * each comment gives the formula in TF's order of operations, and the float32 and float64 loops
 * evaluate exactly that, one rounding per operation (intermediate values kept in the lanes are
 * rounded to the dtype, as Eigen's are). Lane 0 is the variable, lanes 1.. the slots in the op's
 * input order; scalar indices follow the op's scalar inputs.
 */
final class Updates {
  private Updates() {}

  /** var -= grad * alpha. Scalars: alpha. */
  static final class GradientDescent implements Update {
    @Override
    public void float32(float[][] lanes, float[] g, int n, double[] s) {
      float[] var = lanes[0];
      float lr = (float) s[0];
      for (int i = 0; i < n; i++) {
        var[i] = var[i] - g[i] * lr;
      }
    }

    @Override
    public void float64(double[][] lanes, double[] g, int n, double[] s) {
      double[] var = lanes[0];
      double lr = s[0];
      for (int i = 0; i < n; i++) {
        var[i] = var[i] - g[i] * lr;
      }
    }
  }

  /**
   * accum = accum * momentum + grad; var -= accum * lr, or with Nesterov
   * var -= grad * lr + accum * momentum * lr. Scalars: lr, momentum.
   */
  record Momentum(boolean nesterov) implements Update {
    @Override
    public void float32(float[][] lanes, float[] g, int n, double[] s) {
      float[] var = lanes[0];
      float[] accum = lanes[1];
      float lr = (float) s[0];
      float momentum = (float) s[1];
      for (int i = 0; i < n; i++) {
        accum[i] = accum[i] * momentum + g[i];
      }
      if (nesterov) {
        for (int i = 0; i < n; i++) {
          var[i] = var[i] - (g[i] * lr + accum[i] * momentum * lr);
        }
      } else {
        for (int i = 0; i < n; i++) {
          var[i] = var[i] - accum[i] * lr;
        }
      }
    }

    @Override
    public void float64(double[][] lanes, double[] g, int n, double[] s) {
      double[] var = lanes[0];
      double[] accum = lanes[1];
      double lr = s[0];
      double momentum = s[1];
      for (int i = 0; i < n; i++) {
        accum[i] = accum[i] * momentum + g[i];
      }
      if (nesterov) {
        for (int i = 0; i < n; i++) {
          var[i] = var[i] - (g[i] * lr + accum[i] * momentum * lr);
        }
      } else {
        for (int i = 0; i < n; i++) {
          var[i] = var[i] - accum[i] * lr;
        }
      }
    }
  }

  /**
   * alpha = lr * sqrt(1 - beta2_power) / (1 - beta1_power); m += (grad - m) * (1 - beta1);
   * v += (grad² - v) * (1 - beta2); var -= (m * alpha) / (sqrt(v) + epsilon), or with Nesterov
   * var -= ((grad * (1 - beta1) + beta1 * m) * alpha) / (sqrt(v) + epsilon).
   * Scalars: beta1_power, beta2_power, lr, beta1, beta2, epsilon.
   */
  record Adam(boolean nesterov) implements Update {
    @Override
    public void float32(float[][] lanes, float[] g, int n, double[] s) {
      float[] var = lanes[0];
      float[] m = lanes[1];
      float[] v = lanes[2];
      float alpha = (float) s[2] * (float) Math.sqrt(1f - (float) s[1]) / (1f - (float) s[0]);
      float beta1 = (float) s[3];
      float oneMinusBeta1 = 1f - beta1;
      float oneMinusBeta2 = 1f - (float) s[4];
      float epsilon = (float) s[5];
      for (int i = 0; i < n; i++) {
        m[i] = m[i] + (g[i] - m[i]) * oneMinusBeta1;
      }
      for (int i = 0; i < n; i++) {
        v[i] = v[i] + (g[i] * g[i] - v[i]) * oneMinusBeta2;
      }
      if (nesterov) {
        for (int i = 0; i < n; i++) {
          var[i] = var[i] - (g[i] * oneMinusBeta1 + beta1 * m[i]) * alpha / ((float) Math.sqrt(v[i]) + epsilon);
        }
      } else {
        for (int i = 0; i < n; i++) {
          var[i] = var[i] - m[i] * alpha / ((float) Math.sqrt(v[i]) + epsilon);
        }
      }
    }

    @Override
    public void float64(double[][] lanes, double[] g, int n, double[] s) {
      double[] var = lanes[0];
      double[] m = lanes[1];
      double[] v = lanes[2];
      double alpha = s[2] * Math.sqrt(1 - s[1]) / (1 - s[0]);
      double beta1 = s[3];
      double oneMinusBeta1 = 1 - beta1;
      double oneMinusBeta2 = 1 - s[4];
      double epsilon = s[5];
      for (int i = 0; i < n; i++) {
        m[i] = m[i] + (g[i] - m[i]) * oneMinusBeta1;
      }
      for (int i = 0; i < n; i++) {
        v[i] = v[i] + (g[i] * g[i] - v[i]) * oneMinusBeta2;
      }
      if (nesterov) {
        for (int i = 0; i < n; i++) {
          var[i] = var[i] - (g[i] * oneMinusBeta1 + beta1 * m[i]) * alpha / (Math.sqrt(v[i]) + epsilon);
        }
      } else {
        for (int i = 0; i < n; i++) {
          var[i] = var[i] - m[i] * alpha / (Math.sqrt(v[i]) + epsilon);
        }
      }
    }
  }

  /**
   * accum += grad² (when updating slots); then Adagrad: var -= grad * lr * rsqrt(accum), where
   * rsqrt(x) = 1 / sqrt(x) (scalars: lr), or AdagradV2: var -= grad * lr / (sqrt(accum) + epsilon)
   * (scalars: lr, epsilon).
   */
  record Adagrad(boolean withEpsilon, boolean updateSlots) implements Update {
    @Override
    public void float32(float[][] lanes, float[] g, int n, double[] s) {
      float[] var = lanes[0];
      float[] accum = lanes[1];
      float lr = (float) s[0];
      if (updateSlots) {
        for (int i = 0; i < n; i++) {
          accum[i] = accum[i] + g[i] * g[i];
        }
      }
      if (withEpsilon) {
        float epsilon = (float) s[1];
        for (int i = 0; i < n; i++) {
          var[i] = var[i] - g[i] * lr / ((float) Math.sqrt(accum[i]) + epsilon);
        }
      } else {
        for (int i = 0; i < n; i++) {
          var[i] = var[i] - g[i] * lr * (1f / (float) Math.sqrt(accum[i]));
        }
      }
    }

    @Override
    public void float64(double[][] lanes, double[] g, int n, double[] s) {
      double[] var = lanes[0];
      double[] accum = lanes[1];
      double lr = s[0];
      if (updateSlots) {
        for (int i = 0; i < n; i++) {
          accum[i] = accum[i] + g[i] * g[i];
        }
      }
      if (withEpsilon) {
        double epsilon = s[1];
        for (int i = 0; i < n; i++) {
          var[i] = var[i] - g[i] * lr / (Math.sqrt(accum[i]) + epsilon);
        }
      } else {
        for (int i = 0; i < n; i++) {
          var[i] = var[i] - g[i] * lr * (1 / Math.sqrt(accum[i]));
        }
      }
    }
  }

  /**
   * ms += (grad² - ms) * (1 - rho); mom = mom * momentum + grad * lr / sqrt(ms + epsilon);
   * var -= mom (lanes: var, ms, mom). Centered, with the mean gradient mg (lanes: var, mg, ms, mom):
   * mg += (grad - mg) * (1 - rho) after ms, and sqrt((ms - mg²) + epsilon) instead.
   * Scalars: lr, rho, momentum, epsilon.
   */
  record RmsProp(boolean centered) implements Update {
    @Override
    public void float32(float[][] lanes, float[] g, int n, double[] s) {
      float[] var = lanes[0];
      float[] mg = centered ? lanes[1] : null;
      float[] ms = lanes[centered ? 2 : 1];
      float[] mom = lanes[centered ? 3 : 2];
      float lr = (float) s[0];
      float oneMinusRho = 1f - (float) s[1];
      float momentum = (float) s[2];
      float epsilon = (float) s[3];
      for (int i = 0; i < n; i++) {
        ms[i] = ms[i] + (g[i] * g[i] - ms[i]) * oneMinusRho;
      }
      if (centered) {
        for (int i = 0; i < n; i++) {
          mg[i] = mg[i] + (g[i] - mg[i]) * oneMinusRho;
        }
        for (int i = 0; i < n; i++) {
          mom[i] = mom[i] * momentum + g[i] * lr / (float) Math.sqrt((ms[i] - mg[i] * mg[i]) + epsilon);
        }
      } else {
        for (int i = 0; i < n; i++) {
          mom[i] = mom[i] * momentum + g[i] * lr / (float) Math.sqrt(ms[i] + epsilon);
        }
      }
      for (int i = 0; i < n; i++) {
        var[i] = var[i] - mom[i];
      }
    }

    @Override
    public void float64(double[][] lanes, double[] g, int n, double[] s) {
      double[] var = lanes[0];
      double[] mg = centered ? lanes[1] : null;
      double[] ms = lanes[centered ? 2 : 1];
      double[] mom = lanes[centered ? 3 : 2];
      double lr = s[0];
      double oneMinusRho = 1 - s[1];
      double momentum = s[2];
      double epsilon = s[3];
      for (int i = 0; i < n; i++) {
        ms[i] = ms[i] + (g[i] * g[i] - ms[i]) * oneMinusRho;
      }
      if (centered) {
        for (int i = 0; i < n; i++) {
          mg[i] = mg[i] + (g[i] - mg[i]) * oneMinusRho;
        }
        for (int i = 0; i < n; i++) {
          mom[i] = mom[i] * momentum + g[i] * lr / Math.sqrt((ms[i] - mg[i] * mg[i]) + epsilon);
        }
      } else {
        for (int i = 0; i < n; i++) {
          mom[i] = mom[i] * momentum + g[i] * lr / Math.sqrt(ms[i] + epsilon);
        }
      }
      for (int i = 0; i < n; i++) {
        var[i] = var[i] - mom[i];
      }
    }
  }
}
