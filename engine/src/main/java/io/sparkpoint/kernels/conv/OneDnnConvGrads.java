package io.sparkpoint.kernels.conv;

import io.sparkpoint.kernels.Nd4jRuntime;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float32 gradients of a stride-1 convolution as forward convolutions through oneDNN
 * ({@link OneDnnConv#conv}), where libnd4j's symmetric padding can express them:
 * <ul>
 *   <li>the input's: out_backprop convolved with the filter turned by 180 degrees, its input and
 *       output depths swapped ({@link #rotatedPadding} on each side);
 *   <li>the filter's: the input with batch and depth swapped ([i, h, w, n]) convolved with
 *       out_backprop as the filter ([oh, ow, n, o]), padded as the forward convolution, giving
 *       [i, kh, kw, o].
 * </ul>
 * At the benchmark CNN's shapes both are faster than im2col / col2im around a gemm
 * ({@link BackpropGemm}; see ConvBackwardTiming), except the input gradient of a convolution with
 * very few input channels. Only with ND4J's oneDNN build, without strides, dilations or groups.
 */
final class OneDnnConvGrads {
  private OneDnnConvGrads() {}

  /** Input depths below which col2im is faster (64x28x28x1 by 5x5x1x32: 7 ms, against 11 ms here). */
  private static final int MIN_INPUT_DEPTH = 8;

  static boolean appliesToInput(ConvShape shape, ConvAttrs attrs, DType type) {
    return plain(shape, attrs, type) && shape.inDepth() >= MIN_INPUT_DEPTH && rotatedPadding(shape.rows()) >= 0
        && rotatedPadding(shape.cols()) >= 0;
  }

  static boolean appliesToFilter(ConvShape shape, ConvAttrs attrs, DType type) {
    return plain(shape, attrs, type) && shape.rows().padBefore() == shape.rows().padAfter()
        && shape.cols().padBefore() == shape.cols().padAfter();
  }

  private static boolean plain(ConvShape shape, ConvAttrs attrs, DType type) {
    return Nd4jRuntime.oneDnn() && type == DType.FLOAT && shape.groups() == 1 && attrs.strideRows() == 1
        && attrs.strideCols() == 1 && attrs.dilationRows() == 1 && attrs.dilationCols() == 1;
  }

  /** Conv2DBackpropInput of float32 {@code grad} and {@code filter}. */
  static Tensor input(Tensor grad, Tensor filter, ConvShape shape, Shape inputShape) {
    INDArray rotated = rotate(filter, shape);
    try {
      return NdArrays.adopt(OneDnnConv.conv(NdArrays.toNd4j(grad), rotated, shape.filterRows(), shape.filterCols(), 1,
          1, rotatedPadding(shape.rows()), rotatedPadding(shape.cols()), false, inputShape));
    } finally {
      rotated.close();
    }
  }

  /** Conv2DBackpropFilter of float32 {@code input} and {@code grad}. */
  static Tensor filter(Tensor input, Tensor grad, ConvShape shape, Shape filterShape) {
    int batch = shape.batch();
    int pixels = shape.inRows() * shape.inCols();
    int depth = shape.inDepth();
    int outPixels = Math.toIntExact(shape.rows().output() * shape.cols().output());
    int outDepth = shape.outDepth();
    INDArray swapped = Nd4j.createUninitialized(DataType.FLOAT, new long[] {depth, shape.inRows(), shape.inCols(), batch}, 'c');
    INDArray kernel = Nd4j.createUninitialized(DataType.FLOAT,
        new long[] {shape.rows().output(), shape.cols().output(), batch, outDepth}, 'c');
    INDArray result = null;
    try {
      float[] from = new float[Math.toIntExact(input.numElements())];
      input.data().asFloatBuffer().get(from);
      float[] to = new float[from.length];
      for (int n = 0; n < batch; n++) {
        for (int p = 0; p < pixels; p++) {
          for (int c = 0; c < depth; c++) {
            to[(c * pixels + p) * batch + n] = from[(n * pixels + p) * depth + c];
          }
        }
      }
      floats(swapped).put(to);
      // out_backprop [n, oh, ow, o] as [oh, ow, n, o]: blocks of o elements
      int block = outDepth * 4;
      ByteBuffer target = kernel.data().asNio();
      ByteBuffer source = grad.data();
      for (int n = 0; n < batch; n++) {
        for (int p = 0; p < outPixels; p++) {
          target.put((p * batch + n) * block, source, (n * outPixels + p) * block, block);
        }
      }
      result = OneDnnConv.conv(swapped, kernel, (int) shape.rows().output(), (int) shape.cols().output(), 1, 1,
          shape.rows().padBefore(), shape.cols().padBefore(), false,
          Shape.of(depth, shape.filterRows(), shape.filterCols(), outDepth));
      // [i, kh, kw, o] to [kh, kw, i, o]: blocks of o elements
      ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(filterShape.numElements() * 4)).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer sums = result.data().asNio();
      int taps = shape.filterRows() * shape.filterCols();
      for (int c = 0; c < depth; c++) {
        for (int t = 0; t < taps; t++) {
          out.put((t * depth + c) * block, sums, (c * taps + t) * block, block);
        }
      }
      return Tensor.wrap(DType.FLOAT, filterShape, out);
    } finally {
      swapped.close();
      kernel.close();
      if (result != null) {
        result.close();
      }
    }
  }

  /**
   * The padding of the rotated convolution along one dimension when it is the same before and
   * after, else -1. Input pixel i gets output o = i + padBefore - k for tap k, so the rotated
   * convolution pads {@code filter - 1 - padBefore} before and {@code input - output + padBefore} after.
   */
  private static long rotatedPadding(Window window) {
    long before = window.filter() - 1 - window.padBefore();
    long after = window.input() - window.output() + window.padBefore();
    return before == after && before <= Integer.MAX_VALUE ? before : -1;
  }

  /** The filter [h, w, i, o] as [h, w, o, i] with h and w reversed. */
  private static INDArray rotate(Tensor filter, ConvShape shape) {
    int rows = shape.filterRows();
    int cols = shape.filterCols();
    int in = shape.inDepth();
    int out = shape.outDepth();
    FloatBuffer from = filter.data().asFloatBuffer();
    float[] to = new float[Math.toIntExact(filter.numElements())];
    for (int h = 0; h < rows; h++) {
      for (int w = 0; w < cols; w++) {
        int source = (h * cols + w) * in * out;
        int target = ((rows - 1 - h) * cols + (cols - 1 - w)) * out * in;
        for (int i = 0; i < in; i++) {
          for (int o = 0; o < out; o++) {
            to[target + o * in + i] = from.get(source + i * out + o);
          }
        }
      }
    }
    return Nd4j.create(to, new long[] {rows, cols, out, in}, 'c');
  }

  private static FloatBuffer floats(INDArray array) {
    return array.data().asNio().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }
}
