package io.sparkpoint.kernels.conv;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * MaxPool on the JVM, as TF's CPU kernel computes it: each window starts at the dtype's lowest
 * finite value and takes every larger element inside the input (padding never takes part, NaN
 * never wins). So a window of -inf gives -FLT_MAX, as in TF. libnd4j's maxpool2d starts from
 * other values (for int32, -MAX_VALUE), hence this kernel. Images run in parallel.
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
    int n = Math.toIntExact(input.numElements());
    ByteBuffer data = input.data();
    ByteBuffer result = ByteBuffer.allocate(Math.toIntExact(Tensor.byteSize(type, out))).order(ByteOrder.LITTLE_ENDIAN);
    int images = (int) input.shape().dim(0);
    switch (type) {
      case FLOAT -> {
        float[] in = new float[n];
        data.asFloatBuffer().get(in);
        float[] max = new float[Math.toIntExact(out.numElements())];
        IntStream.range(0, images).parallel().forEach(image -> pool.floats(in, max, image));
        result.asFloatBuffer().put(max);
      }
      case DOUBLE -> {
        double[] in = new double[n];
        data.asDoubleBuffer().get(in);
        double[] max = new double[Math.toIntExact(out.numElements())];
        IntStream.range(0, images).parallel().forEach(image -> pool.doubles(in, max, image));
        result.asDoubleBuffer().put(max);
      }
      case INT32 -> {
        int[] in = new int[n];
        data.asIntBuffer().get(in);
        int[] max = new int[Math.toIntExact(out.numElements())];
        IntStream.range(0, images).parallel().forEach(image -> pool.ints(in, max, image));
        result.asIntBuffer().put(max);
      }
      case INT64 -> {
        long[] in = new long[n];
        data.asLongBuffer().get(in);
        long[] max = new long[Math.toIntExact(out.numElements())];
        IntStream.range(0, images).parallel().forEach(image -> pool.longs(in, max, image));
        result.asLongBuffer().put(max);
      }
      default -> throw new IllegalArgumentException("MaxPool has no JVM loop for " + type.pythonName());
    }
    return Tensor.wrap(type, out, result);
  }

  // One loop per element type; the window walk is the same in each: outputs of one image, in
  // order, each over its in-bounds taps, channels innermost.

  private void floats(float[] in, float[] out, int image) {
    int at = firstOutput(image);
    for (int oh = 0; oh < rows.output(); oh++) {
      for (int ow = 0; ow < cols.output(); ow++, at += depth) {
        java.util.Arrays.fill(out, at, at + depth, -Float.MAX_VALUE);
        for (int kh = 0; kh < rows.filter(); kh++) {
          for (int kw = 0; kw < cols.filter(); kw++) {
            int from = inputPixel(image, oh, kh, ow, kw);
            for (int c = 0; from >= 0 && c < depth; c++) {
              if (in[from + c] > out[at + c]) {
                out[at + c] = in[from + c];
              }
            }
          }
        }
      }
    }
  }

  private void doubles(double[] in, double[] out, int image) {
    int at = firstOutput(image);
    for (int oh = 0; oh < rows.output(); oh++) {
      for (int ow = 0; ow < cols.output(); ow++, at += depth) {
        java.util.Arrays.fill(out, at, at + depth, -Double.MAX_VALUE);
        for (int kh = 0; kh < rows.filter(); kh++) {
          for (int kw = 0; kw < cols.filter(); kw++) {
            int from = inputPixel(image, oh, kh, ow, kw);
            for (int c = 0; from >= 0 && c < depth; c++) {
              if (in[from + c] > out[at + c]) {
                out[at + c] = in[from + c];
              }
            }
          }
        }
      }
    }
  }

  private void ints(int[] in, int[] out, int image) {
    int at = firstOutput(image);
    for (int oh = 0; oh < rows.output(); oh++) {
      for (int ow = 0; ow < cols.output(); ow++, at += depth) {
        java.util.Arrays.fill(out, at, at + depth, Integer.MIN_VALUE);
        for (int kh = 0; kh < rows.filter(); kh++) {
          for (int kw = 0; kw < cols.filter(); kw++) {
            int from = inputPixel(image, oh, kh, ow, kw);
            for (int c = 0; from >= 0 && c < depth; c++) {
              out[at + c] = Math.max(out[at + c], in[from + c]);
            }
          }
        }
      }
    }
  }

  private void longs(long[] in, long[] out, int image) {
    int at = firstOutput(image);
    for (int oh = 0; oh < rows.output(); oh++) {
      for (int ow = 0; ow < cols.output(); ow++, at += depth) {
        java.util.Arrays.fill(out, at, at + depth, Long.MIN_VALUE);
        for (int kh = 0; kh < rows.filter(); kh++) {
          for (int kw = 0; kw < cols.filter(); kw++) {
            int from = inputPixel(image, oh, kh, ow, kw);
            for (int c = 0; from >= 0 && c < depth; c++) {
              out[at + c] = Math.max(out[at + c], in[from + c]);
            }
          }
        }
      }
    }
  }

  private int firstOutput(int image) {
    return Math.toIntExact(image * rows.output() * cols.output() * depth);
  }

  /** The flat index of channel 0 of the pixel under tap (kh, kw) of output (oh, ow), or -1 in the padding. */
  private int inputPixel(int image, int oh, int kh, int ow, int kw) {
    long ih = rows.inputIndex(oh, kh);
    long iw = cols.inputIndex(ow, kw);
    if (ih < 0 || ih >= inRows || iw < 0 || iw >= inCols) {
      return -1;
    }
    return (int) (((image * (long) inRows + ih) * inCols + iw) * depth);
  }
}
