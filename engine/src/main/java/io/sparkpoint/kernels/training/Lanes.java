package io.sparkpoint.kernels.training;

import io.sparkpoint.tensor.DType;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * The memory one optimizer step works on, element-aligned little-endian buffers of one dtype: the
 * variable and its slots as stored ({@code current}), where their new values go ({@code next}, same
 * order, null for a lane the update leaves alone), the gradient, and the op's scalar inputs.
 * {@link #run} moves them through an {@link Update} chunk by chunk: each chunk is copied into small
 * arrays, updated there, and copied out, so an output may share memory with an input (an update in
 * place, or the variable written into the gradient's memory).
 */
final class Lanes {
  /** Elements per chunk: 5 float64 arrays of it stay in a core's first-level cache. */
  private static final int CHUNK = 1024;

  private final ByteBuffer[] current;
  private final ByteBuffer[] next;
  private final ByteBuffer grad;
  private final double[] scalars;

  Lanes(ByteBuffer[] current, ByteBuffer[] next, ByteBuffer grad, double[] scalars) {
    this.current = current;
    this.next = next;
    this.grad = grad;
    this.scalars = scalars;
  }

  /** Updates elements [from, to); calls on disjoint ranges may run concurrently. */
  void run(Update update, DType type, int from, int to) {
    if (type == DType.FLOAT) {
      float32(update, from, to);
    } else {
      float64(update, from, to);
    }
  }

  private void float32(Update update, int from, int to) {
    int lanes = current.length;
    FloatBuffer[] in = new FloatBuffer[lanes];
    FloatBuffer[] out = new FloatBuffer[lanes];
    float[][] chunk = new float[lanes][CHUNK];
    for (int k = 0; k < lanes; k++) {
      in[k] = current[k].asFloatBuffer();
      out[k] = next[k] == null ? null : next[k].asFloatBuffer();
    }
    FloatBuffer gradIn = grad.asFloatBuffer();
    float[] g = new float[CHUNK];
    for (int start = from; start < to; start += CHUNK) {
      int n = Math.min(CHUNK, to - start);
      gradIn.get(start, g, 0, n);
      for (int k = 0; k < lanes; k++) {
        in[k].get(start, chunk[k], 0, n);
      }
      update.float32(chunk, g, n, scalars);
      for (int k = 0; k < lanes; k++) {
        if (out[k] != null) {
          out[k].put(start, chunk[k], 0, n);
        }
      }
    }
  }

  private void float64(Update update, int from, int to) {
    int lanes = current.length;
    DoubleBuffer[] in = new DoubleBuffer[lanes];
    DoubleBuffer[] out = new DoubleBuffer[lanes];
    double[][] chunk = new double[lanes][CHUNK];
    for (int k = 0; k < lanes; k++) {
      in[k] = current[k].asDoubleBuffer();
      out[k] = next[k] == null ? null : next[k].asDoubleBuffer();
    }
    DoubleBuffer gradIn = grad.asDoubleBuffer();
    double[] g = new double[CHUNK];
    for (int start = from; start < to; start += CHUNK) {
      int n = Math.min(CHUNK, to - start);
      gradIn.get(start, g, 0, n);
      for (int k = 0; k < lanes; k++) {
        in[k].get(start, chunk[k], 0, n);
      }
      update.float64(chunk, g, n, scalars);
      for (int k = 0; k < lanes; k++) {
        if (out[k] != null) {
          out[k].put(start, chunk[k], 0, n);
        }
      }
    }
  }
}
