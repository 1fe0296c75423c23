package io.sparkpoint.kernels.nn;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * BiasAdd and Relu on float32 and float64 computed on the JVM in one pass from the tensor's bytes:
 * both are memory-bound, so the conversions to ND4J and back would cost several times the
 * arithmetic. Relu keeps NaN, as TF's does.
 */
final class JvmNn {
  private JvmNn() {}

  static boolean supports(DType type) {
    return type == DType.FLOAT || type == DType.DOUBLE;
  }

  /** value [..., c] + bias [c]. */
  static Tensor biasAdd(Tensor value, Tensor bias) {
    DType type = value.dtype();
    int n = Math.toIntExact(value.numElements());
    int c = Math.toIntExact(bias.numElements());
    ByteBuffer x = value.data();
    ByteBuffer b = bias.data();
    ByteBuffer out = ByteBuffer.allocate(n * type.byteWidth()).order(ByteOrder.LITTLE_ENDIAN);
    if (type == DType.FLOAT) {
      float[] biases = new float[c];
      b.asFloatBuffer().get(biases);
      for (int row = 0; row < n; row += c) {
        for (int j = 0; j < c; j++) {
          int at = (row + j) * 4;
          out.putFloat(at, x.getFloat(at) + biases[j]);
        }
      }
    } else {
      double[] biases = new double[c];
      b.asDoubleBuffer().get(biases);
      for (int row = 0; row < n; row += c) {
        for (int j = 0; j < c; j++) {
          int at = (row + j) * 8;
          out.putDouble(at, x.getDouble(at) + biases[j]);
        }
      }
    }
    return Tensor.wrap(type, value.shape(), out);
  }

  static Tensor relu(Tensor features) {
    DType type = features.dtype();
    int n = Math.toIntExact(features.numElements());
    ByteBuffer x = features.data();
    ByteBuffer out = ByteBuffer.allocate(n * type.byteWidth()).order(ByteOrder.LITTLE_ENDIAN);
    if (type == DType.FLOAT) {
      for (int i = 0; i < n; i++) {
        out.putFloat(i * 4, Math.max(x.getFloat(i * 4), 0f)); // branch-free; NaN stays NaN
      }
    } else {
      for (int i = 0; i < n; i++) {
        out.putDouble(i * 8, Math.max(x.getDouble(i * 8), 0.0));
      }
    }
    return Tensor.wrap(type, features.shape(), out);
  }

  /**
   * Softmax (or LogSoftmax) over rows of {@code classes}: each row shifted by its maximum, then
   * exponentials summed in double and the result rounded once to the tensor's type.
   */
  static Tensor softmax(Tensor logits, int classes, boolean log) {
    DType type = logits.dtype();
    int n = Math.toIntExact(logits.numElements());
    ByteBuffer x = logits.data();
    ByteBuffer out = ByteBuffer.allocate(n * type.byteWidth()).order(ByteOrder.LITTLE_ENDIAN);
    boolean single = type == DType.FLOAT;
    double[] shifted = new double[classes];
    for (int row = 0; row < n; row += classes) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < classes; j++) {
        double v = single ? x.getFloat((row + j) * 4) : x.getDouble((row + j) * 8);
        shifted[j] = v;
        max = v > max || v != v ? v : max;
      }
      double sum = 0;
      for (int j = 0; j < classes; j++) {
        shifted[j] -= max;
        sum += Math.exp(shifted[j]);
      }
      double logSum = Math.log(sum);
      for (int j = 0; j < classes; j++) {
        double v = log ? shifted[j] - logSum : Math.exp(shifted[j]) / sum;
        if (single) {
          out.putFloat((row + j) * 4, (float) v);
        } else {
          out.putDouble((row + j) * 8, v);
        }
      }
    }
    return Tensor.wrap(type, logits.shape(), out);
  }
}
