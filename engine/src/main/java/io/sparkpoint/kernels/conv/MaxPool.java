package io.sparkpoint.kernels.conv;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * MaxPool on the JVM, as TF's CPU kernel computes it: each window starts at the dtype's lowest
 * finite value and takes every larger element inside the input (padding never takes part, NaN
 * never wins), so a window of -inf gives -FLT_MAX, as in TF. libnd4j's maxpool2d starts from other
 * values (for int32, -MAX_VALUE), hence this kernel. Also MaxPoolGrad ({@link #gradient}). Reads
 * the input in place; images run in parallel.
 */
final class MaxPool {
  private final Window rows;
  private final Window cols;
  private final int inRows;
  private final int inCols;
  private final int depth;

  private MaxPool(Shape input, Window rows, Window cols) {
    this.rows = rows;
    this.cols = cols;
    this.inRows = (int) input.dim(1);
    this.inCols = (int) input.dim(2);
    this.depth = (int) input.dim(3);
  }

  /** The pooled NHWC tensor {@code out} of float32, float64, int32 or int64 {@code input}. */
  static Tensor pool(Tensor input, Window rows, Window cols, Shape out) {
    MaxPool pool = new MaxPool(input.shape(), rows, cols);
    DType type = input.dtype();
    ByteBuffer in = input.data();
    ByteBuffer result = ByteBuffer.allocate(Math.toIntExact(Tensor.byteSize(type, out))).order(ByteOrder.LITTLE_ENDIAN);
    IntConsumer image = switch (type) {
      case FLOAT -> n -> pool.floats(in.asFloatBuffer(), result.asFloatBuffer(), n);
      case DOUBLE -> n -> pool.doubles(in.asDoubleBuffer(), result.asDoubleBuffer(), n);
      case INT32 -> n -> pool.ints(in.asIntBuffer(), result.asIntBuffer(), n);
      case INT64 -> n -> pool.longs(in.asLongBuffer(), result.asLongBuffer(), n);
      default -> throw new IllegalArgumentException("MaxPool has no JVM loop for " + type.pythonName());
    };
    IntStream.range(0, (int) input.shape().dim(0)).parallel().forEach(image);
    return Tensor.wrap(type, out, result);
  }

  /**
   * MaxPoolGrad of float32 or float64 {@code input} (NHWC) as TF's CPU kernel computes it: the
   * gradient of each window goes to one element, the first of its in-bounds elements in row-major
   * order unless a later one is strictly larger (ties keep the earlier; NaN never takes over, yet a
   * NaN first element keeps the gradient); gradients landing on one element add up in output order.
   * TF recomputes the maxima from the input, so the forward output is not needed.
   */
  static Tensor gradient(Tensor input, Tensor grad, Window rows, Window cols) {
    MaxPool pool = new MaxPool(input.shape(), rows, cols);
    DType type = input.dtype();
    ByteBuffer in = input.data();
    ByteBuffer g = grad.data();
    ByteBuffer result = ByteBuffer.allocate(Math.toIntExact(Tensor.byteSize(type, input.shape())))
        .order(ByteOrder.LITTLE_ENDIAN);
    IntConsumer image = switch (type) {
      case FLOAT -> n -> pool.floatGradient(in.asFloatBuffer(), g.asFloatBuffer(), result.asFloatBuffer(), n);
      case DOUBLE -> n -> pool.doubleGradient(in.asDoubleBuffer(), g.asDoubleBuffer(), result.asDoubleBuffer(), n);
      default -> throw new IllegalArgumentException("MaxPoolGrad has no JVM loop for " + type.pythonName());
    };
    IntStream.range(0, (int) input.shape().dim(0)).parallel().forEach(image);
    return Tensor.wrap(type, input.shape(), result);
  }

  // The gradient loops, per element type, on one image copied into arrays: for each output, in
  // order, the arg max of each channel over the window's taps, then the gradient added there.

  private void floatGradient(FloatBuffer input, FloatBuffer grad, FloatBuffer result, int image) {
    int size = inRows * inCols * depth;
    int outputs = (int) (rows.output() * cols.output());
    float[] in = new float[size];
    float[] g = new float[outputs * depth];
    float[] out = new float[size];
    input.get(image * size, in);
    grad.get(firstOutput(image), g);
    float[] max = new float[depth];
    int[] at = new int[depth];
    int[] taps = new int[(int) (rows.filter() * cols.filter())];
    for (int o = 0; o < outputs; o++) {
      int count = taps(0, o, taps);
      if (count == 0) {
        continue;
      }
      for (int c = 0; c < depth; c++) {
        max[c] = in[taps[0] + c];
        at[c] = taps[0] + c;
      }
      for (int t = 1; t < count; t++) {
        for (int c = 0, tap = taps[t]; c < depth; c++) {
          float v = in[tap + c];
          if (max[c] < v) {
            max[c] = v;
            at[c] = tap + c;
          }
        }
      }
      for (int c = 0; c < depth; c++) {
        out[at[c]] += g[o * depth + c];
      }
    }
    result.put(image * size, out);
  }

  private void doubleGradient(DoubleBuffer input, DoubleBuffer grad, DoubleBuffer result, int image) {
    int size = inRows * inCols * depth;
    int outputs = (int) (rows.output() * cols.output());
    double[] in = new double[size];
    double[] g = new double[outputs * depth];
    double[] out = new double[size];
    input.get(image * size, in);
    grad.get(firstOutput(image), g);
    double[] max = new double[depth];
    int[] at = new int[depth];
    int[] taps = new int[(int) (rows.filter() * cols.filter())];
    for (int o = 0; o < outputs; o++) {
      int count = taps(0, o, taps);
      if (count == 0) {
        continue;
      }
      for (int c = 0; c < depth; c++) {
        max[c] = in[taps[0] + c];
        at[c] = taps[0] + c;
      }
      for (int t = 1; t < count; t++) {
        for (int c = 0, tap = taps[t]; c < depth; c++) {
          double v = in[tap + c];
          if (max[c] < v) {
            max[c] = v;
            at[c] = tap + c;
          }
        }
      }
      for (int c = 0; c < depth; c++) {
        out[at[c]] += g[o * depth + c];
      }
    }
    result.put(image * size, out);
  }

  // One loop per element type over the outputs of one image, in order; taps() gives each
  // output's in-bounds input pixels.

  private void floats(FloatBuffer in, FloatBuffer out, int image) {
    float[] max = new float[depth];
    int[] taps = new int[(int) (rows.filter() * cols.filter())];
    for (int at = firstOutput(image), o = 0; o < rows.output() * cols.output(); o++, at += depth) {
      Arrays.fill(max, -Float.MAX_VALUE);
      for (int t = 0, count = taps(image, o, taps); t < count; t++) {
        for (int c = 0; c < depth; c++) {
          float v = in.get(taps[t] + c);
          max[c] = v > max[c] ? v : max[c]; // a select, not a branch: NaN never wins
        }
      }
      out.put(at, max);
    }
  }

  private void doubles(DoubleBuffer in, DoubleBuffer out, int image) {
    double[] max = new double[depth];
    int[] taps = new int[(int) (rows.filter() * cols.filter())];
    for (int at = firstOutput(image), o = 0; o < rows.output() * cols.output(); o++, at += depth) {
      Arrays.fill(max, -Double.MAX_VALUE);
      for (int t = 0, count = taps(image, o, taps); t < count; t++) {
        for (int c = 0; c < depth; c++) {
          double v = in.get(taps[t] + c);
          max[c] = v > max[c] ? v : max[c];
        }
      }
      out.put(at, max);
    }
  }

  private void ints(IntBuffer in, IntBuffer out, int image) {
    int[] max = new int[depth];
    int[] taps = new int[(int) (rows.filter() * cols.filter())];
    for (int at = firstOutput(image), o = 0; o < rows.output() * cols.output(); o++, at += depth) {
      Arrays.fill(max, Integer.MIN_VALUE);
      for (int t = 0, count = taps(image, o, taps); t < count; t++) {
        for (int c = 0; c < depth; c++) {
          max[c] = Math.max(max[c], in.get(taps[t] + c));
        }
      }
      out.put(at, max);
    }
  }

  private void longs(LongBuffer in, LongBuffer out, int image) {
    long[] max = new long[depth];
    int[] taps = new int[(int) (rows.filter() * cols.filter())];
    for (int at = firstOutput(image), o = 0; o < rows.output() * cols.output(); o++, at += depth) {
      Arrays.fill(max, Long.MIN_VALUE);
      for (int t = 0, count = taps(image, o, taps); t < count; t++) {
        for (int c = 0; c < depth; c++) {
          max[c] = Math.max(max[c], in.get(taps[t] + c));
        }
      }
      out.put(at, max);
    }
  }

  private int firstOutput(int image) {
    return Math.toIntExact(image * rows.output() * cols.output() * depth);
  }

  /**
   * Writes to {@code taps} the flat index of channel 0 of each input pixel inside window
   * {@code output} (numbered row-major) of {@code image}; returns how many there are.
   */
  private int taps(int image, int output, int[] taps) {
    long oh = output / cols.output();
    long ow = output % cols.output();
    int count = 0;
    for (int kh = 0; kh < rows.filter(); kh++) {
      long ih = rows.inputIndex(oh, kh);
      for (int kw = 0; ih >= 0 && ih < inRows && kw < cols.filter(); kw++) {
        long iw = cols.inputIndex(ow, kw);
        if (iw >= 0 && iw < inCols) {
          taps[count++] = (int) (((image * (long) inRows + ih) * inCols + iw) * depth);
        }
      }
    }
    return count;
  }
}
