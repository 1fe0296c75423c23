package io.sparkpoint.kernels.training;

import java.nio.ByteBuffer;

/**
 * TensorFlow's dense optimizer functors, one class each, written as TF's CPU kernels compute them:
 * each comment gives the formula in TF's order of operations, and the float32 and float64 loops
 * evaluate exactly that, one rounding per operation. Lane 0 is the variable, lanes 1.. the slots in
 * the op's input order; scalar indices follow the op's scalar inputs.
 */
final class Updates {
  private Updates() {}

  /** var -= grad * alpha. Scalars: alpha. */
  static final class GradientDescent implements Update {
    @Override
    public void float32(Lanes l, int from, int to) {
      ByteBuffer var = l.current[0];
      ByteBuffer grad = l.grad;
      ByteBuffer out = l.next[0];
      float lr = l.f(0);
      for (int at = from * 4; at < to * 4; at += 4) {
        out.putFloat(at, var.getFloat(at) - grad.getFloat(at) * lr);
      }
    }

    @Override
    public void float64(Lanes l, int from, int to) {
      ByteBuffer var = l.current[0];
      ByteBuffer grad = l.grad;
      ByteBuffer out = l.next[0];
      double lr = l.d(0);
      for (int at = from * 8; at < to * 8; at += 8) {
        out.putDouble(at, var.getDouble(at) - grad.getDouble(at) * lr);
      }
    }
  }

  /**
   * accum = accum * momentum + grad; var -= accum * lr, or with Nesterov
   * var -= grad * lr + accum * momentum * lr. Scalars: lr, momentum.
   */
  record Momentum(boolean nesterov) implements Update {
    @Override
    public void float32(Lanes l, int from, int to) {
      float lr = l.f(0);
      float momentum = l.f(1);
      for (int at = from * 4; at < to * 4; at += 4) {
        float g = l.grad.getFloat(at);
        float accum = l.current[1].getFloat(at) * momentum + g;
        l.next[1].putFloat(at, accum);
        float step = nesterov ? g * lr + accum * momentum * lr : accum * lr;
        l.next[0].putFloat(at, l.current[0].getFloat(at) - step);
      }
    }

    @Override
    public void float64(Lanes l, int from, int to) {
      double lr = l.d(0);
      double momentum = l.d(1);
      for (int at = from * 8; at < to * 8; at += 8) {
        double g = l.grad.getDouble(at);
        double accum = l.current[1].getDouble(at) * momentum + g;
        l.next[1].putDouble(at, accum);
        double step = nesterov ? g * lr + accum * momentum * lr : accum * lr;
        l.next[0].putDouble(at, l.current[0].getDouble(at) - step);
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
    public void float32(Lanes l, int from, int to) {
      float alpha = l.f(2) * (float) Math.sqrt(1f - l.f(1)) / (1f - l.f(0));
      float beta1 = l.f(3);
      float oneMinusBeta1 = 1f - beta1;
      float oneMinusBeta2 = 1f - l.f(4);
      float epsilon = l.f(5);
      for (int at = from * 4; at < to * 4; at += 4) {
        float g = l.grad.getFloat(at);
        float m = l.current[1].getFloat(at);
        float v = l.current[2].getFloat(at);
        m = m + (g - m) * oneMinusBeta1;
        v = v + (g * g - v) * oneMinusBeta2;
        l.next[1].putFloat(at, m);
        l.next[2].putFloat(at, v);
        float direction = nesterov ? g * oneMinusBeta1 + beta1 * m : m;
        l.next[0].putFloat(at, l.current[0].getFloat(at) - direction * alpha / ((float) Math.sqrt(v) + epsilon));
      }
    }

    @Override
    public void float64(Lanes l, int from, int to) {
      double alpha = l.d(2) * Math.sqrt(1 - l.d(1)) / (1 - l.d(0));
      double beta1 = l.d(3);
      double oneMinusBeta1 = 1 - beta1;
      double oneMinusBeta2 = 1 - l.d(4);
      double epsilon = l.d(5);
      for (int at = from * 8; at < to * 8; at += 8) {
        double g = l.grad.getDouble(at);
        double m = l.current[1].getDouble(at);
        double v = l.current[2].getDouble(at);
        m = m + (g - m) * oneMinusBeta1;
        v = v + (g * g - v) * oneMinusBeta2;
        l.next[1].putDouble(at, m);
        l.next[2].putDouble(at, v);
        double direction = nesterov ? g * oneMinusBeta1 + beta1 * m : m;
        l.next[0].putDouble(at, l.current[0].getDouble(at) - direction * alpha / (Math.sqrt(v) + epsilon));
      }
    }
  }

  /**
   * accum += grad² (when updating slots); then Adagrad: var -= grad * lr * rsqrt(accum), where
   * rsqrt(x) = 1 / sqrt(x) (scalars: lr), or AdagradV2: var -= grad * lr / (sqrt(accum) + epsilon)
   * (scalars: lr, epsilon). Without slot updates, lane 1 has no next buffer.
   */
  record Adagrad(boolean withEpsilon, boolean updateSlots) implements Update {
    @Override
    public void float32(Lanes l, int from, int to) {
      float lr = l.f(0);
      float epsilon = withEpsilon ? l.f(1) : 0f;
      for (int at = from * 4; at < to * 4; at += 4) {
        float g = l.grad.getFloat(at);
        float accum = l.current[1].getFloat(at);
        if (updateSlots) {
          accum = accum + g * g;
          l.next[1].putFloat(at, accum);
        }
        float step = withEpsilon ? g * lr / ((float) Math.sqrt(accum) + epsilon) : g * lr * (1f / (float) Math.sqrt(accum));
        l.next[0].putFloat(at, l.current[0].getFloat(at) - step);
      }
    }

    @Override
    public void float64(Lanes l, int from, int to) {
      double lr = l.d(0);
      double epsilon = withEpsilon ? l.d(1) : 0;
      for (int at = from * 8; at < to * 8; at += 8) {
        double g = l.grad.getDouble(at);
        double accum = l.current[1].getDouble(at);
        if (updateSlots) {
          accum = accum + g * g;
          l.next[1].putDouble(at, accum);
        }
        double step = withEpsilon ? g * lr / (Math.sqrt(accum) + epsilon) : g * lr * (1 / Math.sqrt(accum));
        l.next[0].putDouble(at, l.current[0].getDouble(at) - step);
      }
    }
  }

  /**
   * ms += (grad² - ms) * (1 - rho); mom = mom * momentum + grad * lr / sqrt(ms + epsilon);
   * var -= mom. Centered, with the mean gradient mg (lanes: var, mg, ms, mom):
   * mg += (grad - mg) * (1 - rho) after ms, and sqrt((ms - mg²) + epsilon) instead.
   * Lanes without centering: var, ms, mom. Scalars: lr, rho, momentum, epsilon.
   */
  record RmsProp(boolean centered) implements Update {
    @Override
    public void float32(Lanes l, int from, int to) {
      float lr = l.f(0);
      float oneMinusRho = 1f - l.f(1);
      float momentum = l.f(2);
      float epsilon = l.f(3);
      int ms = centered ? 2 : 1;
      for (int at = from * 4; at < to * 4; at += 4) {
        float g = l.grad.getFloat(at);
        float meanSquare = l.current[ms].getFloat(at);
        meanSquare = meanSquare + (g * g - meanSquare) * oneMinusRho;
        l.next[ms].putFloat(at, meanSquare);
        float denominator = meanSquare + epsilon;
        if (centered) {
          float meanGrad = l.current[1].getFloat(at);
          meanGrad = meanGrad + (g - meanGrad) * oneMinusRho;
          l.next[1].putFloat(at, meanGrad);
          denominator = (meanSquare - meanGrad * meanGrad) + epsilon;
        }
        float mom = l.current[ms + 1].getFloat(at) * momentum + g * lr / (float) Math.sqrt(denominator);
        l.next[ms + 1].putFloat(at, mom);
        l.next[0].putFloat(at, l.current[0].getFloat(at) - mom);
      }
    }

    @Override
    public void float64(Lanes l, int from, int to) {
      double lr = l.d(0);
      double oneMinusRho = 1 - l.d(1);
      double momentum = l.d(2);
      double epsilon = l.d(3);
      int ms = centered ? 2 : 1;
      for (int at = from * 8; at < to * 8; at += 8) {
        double g = l.grad.getDouble(at);
        double meanSquare = l.current[ms].getDouble(at);
        meanSquare = meanSquare + (g * g - meanSquare) * oneMinusRho;
        l.next[ms].putDouble(at, meanSquare);
        double denominator = meanSquare + epsilon;
        if (centered) {
          double meanGrad = l.current[1].getDouble(at);
          meanGrad = meanGrad + (g - meanGrad) * oneMinusRho;
          l.next[1].putDouble(at, meanGrad);
          denominator = (meanSquare - meanGrad * meanGrad) + epsilon;
        }
        double mom = l.current[ms + 1].getDouble(at) * momentum + g * lr / Math.sqrt(denominator);
        l.next[ms + 1].putDouble(at, mom);
        l.next[0].putDouble(at, l.current[0].getDouble(at) - mom);
      }
    }
  }
}
