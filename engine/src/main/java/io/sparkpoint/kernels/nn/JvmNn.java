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

  /**
   * value [..., c] + bias [c], written into {@code out}: a new buffer, or {@code value}'s own
   * memory when the kernel may overwrite it (reading and writing each element at the same index).
   */
  static void biasAdd(Tensor value, Tensor bias, ByteBuffer out) {
    DType type = value.dtype();
    int n = Math.toIntExact(value.numElements());
    int c = Math.toIntExact(bias.numElements());
    ByteBuffer x = value.data();
    ByteBuffer b = bias.data();
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
  }

  /** Relu written into {@code out}, a new buffer or the features' own memory (see {@link #biasAdd(Tensor, Tensor, ByteBuffer)}). */
  static void relu(Tensor features, ByteBuffer out) {
    DType type = features.dtype();
    int n = Math.toIntExact(features.numElements());
    ByteBuffer x = features.data();
    if (type == DType.FLOAT) {
      for (int i = 0; i < n; i++) {
        out.putFloat(i * 4, Math.max(x.getFloat(i * 4), 0f)); // branch-free; NaN stays NaN
      }
    } else {
      for (int i = 0; i < n; i++) {
        out.putDouble(i * 8, Math.max(x.getDouble(i * 8), 0.0));
      }
    }
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
