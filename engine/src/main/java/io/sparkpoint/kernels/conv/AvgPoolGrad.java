package io.sparkpoint.kernels.conv;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * AvgPoolGrad on the JVM, as TF 2.18's CPU kernel computes it: output by output, in order, the
 * gradient times {@code (T) (1.0 / count)} is added to each input element of the window's
 * broadcast range. That range and count are TF's GetBroadcastSize: the window clipped to the
 * input, except that a window starting in the padding and also reaching past the input's end is
 * taken as {@code min(input, ksize)} elements from 0 (so with a SAME kernel larger than the input,
 * TF's gradient is not exactly the adjoint of its forward AvgPool; we match TF). Images run in
 * parallel.
 */
final class AvgPoolGrad {
  private final int inRows;
  private final int inCols;
  private final int depth;
  private final int outRows;
  private final int outCols;
  /** Per output row (column): the first input row (column) of its broadcast range, and the range's size. */
  private final int[] rowStart;
  private final int[] rowSize;
  private final int[] colStart;
  private final int[] colSize;

  private AvgPoolGrad(Shape input, Window rows, Window cols) {
    this.inRows = (int) input.dim(1);
    this.inCols = (int) input.dim(2);
    this.depth = (int) input.dim(3);
    this.outRows = (int) rows.output();
    this.outCols = (int) cols.output();
    this.rowStart = new int[outRows];
    this.rowSize = new int[outRows];
    this.colStart = new int[outCols];
    this.colSize = new int[outCols];
    broadcast(rows, rowStart, rowSize);
    broadcast(cols, colStart, colSize);
  }

  /** The float32 or float64 gradient of an NHWC input of shape {@code input} from {@code grad}. */
  static Tensor gradient(Shape input, Tensor grad, Window rows, Window cols) {
    AvgPoolGrad pool = new AvgPoolGrad(input, rows, cols);
    DType type = grad.dtype();
    ByteBuffer g = grad.data();
    ByteBuffer result = ByteBuffer.allocate(Math.toIntExact(Tensor.byteSize(type, input))).order(ByteOrder.LITTLE_ENDIAN);
    IntConsumer image = switch (type) {
      case FLOAT -> n -> pool.floats(g.asFloatBuffer(), result.asFloatBuffer(), n);
      case DOUBLE -> n -> pool.doubles(g.asDoubleBuffer(), result.asDoubleBuffer(), n);
      default -> throw new IllegalArgumentException("AvgPoolGrad has no JVM loop for " + type.pythonName());
    };
    IntStream.range(0, (int) input.dim(0)).parallel().forEach(image);
    return Tensor.wrap(type, input, result);
  }

  // One loop per element type over the outputs of one image, in order, into an array of the image.

  private void floats(FloatBuffer grad, FloatBuffer result, int image) {
    float[] g = new float[outRows * outCols * depth];
    float[] out = new float[inRows * inCols * depth];
    grad.get(image * g.length, g);
    for (int r = 0; r < outRows; r++) {
      for (int c = 0; c < outCols; c++) {
        float coefficient = (float) (1.0 / (rowSize[r] * colSize[c]));
        int from = (r * outCols + c) * depth;
        for (int ih = rowStart[r]; ih < rowStart[r] + rowSize[r]; ih++) {
          for (int iw = colStart[c]; iw < colStart[c] + colSize[c]; iw++) {
            int at = (ih * inCols + iw) * depth;
            for (int d = 0; d < depth; d++) {
              out[at + d] += g[from + d] * coefficient;
            }
          }
        }
      }
    }
    result.put(image * out.length, out);
  }

  private void doubles(DoubleBuffer grad, DoubleBuffer result, int image) {
    double[] g = new double[outRows * outCols * depth];
    double[] out = new double[inRows * inCols * depth];
    grad.get(image * g.length, g);
    for (int r = 0; r < outRows; r++) {
      for (int c = 0; c < outCols; c++) {
        double coefficient = 1.0 / (rowSize[r] * colSize[c]);
        int from = (r * outCols + c) * depth;
        for (int ih = rowStart[r]; ih < rowStart[r] + rowSize[r]; ih++) {
          for (int iw = colStart[c]; iw < colStart[c] + colSize[c]; iw++) {
            int at = (ih * inCols + iw) * depth;
            for (int d = 0; d < depth; d++) {
              out[at + d] += g[from + d] * coefficient;
            }
          }
        }
      }
    }
    result.put(image * out.length, out);
  }

  /** TF's GetBroadcastSize for every output of {@code window}. */
  private static void broadcast(Window window, int[] starts, int[] sizes) {
    for (int index = 0; index < starts.length; index++) {
      long start = index * window.stride();
      long size = window.filter();
      if (start < window.padBefore()) {
        size = window.filter() + start - window.padBefore();
        start = 0;
      } else {
        start -= window.padBefore();
      }
      if (start + window.filter() > window.input()) {
        size = Math.min(window.input() - start, window.filter());
      }
      starts[index] = (int) start;
      sizes[index] = (int) size;
    }
  }
}
