package io.sparkpoint.kernels.conv;

import io.sparkpoint.kernels.Nd4jRuntime;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * float32 convolutions through libnd4j's {@code conv2d} op when ND4J runs its oneDNN build (see
 * {@link Nd4jRuntime}): Conv2D with SAME or VALID padding and strides, without groups or
 * dilations; and Conv2DBackpropInput with stride 1 where it is itself such a convolution. Everything
 * else, and every other build (where that op is slower than our own im2col), goes through
 * {@link PatchGemm} and {@link BackpropGemm}.
 */
final class OneDnnConv {
  private OneDnnConv() {}

  static boolean applies(ConvShape shape, ConvAttrs attrs, DType type) {
    return Nd4jRuntime.oneDnn() && type == DType.FLOAT && shape.groups() == 1 && attrs.padding() != Padding.EXPLICIT
        && attrs.dilationRows() == 1 && attrs.dilationCols() == 1; // libnd4j's op fails on some dilated cases
  }

  static Tensor run(Tensor input, Tensor filter, ConvShape shape, ConvAttrs attrs, Shape out) {
    return conv(NdArrays.toNd4j(input), NdArrays.toNd4j(filter), shape.filterRows(), shape.filterCols(),
        attrs.strideRows(), attrs.strideCols(), 0, 0, attrs.padding() == Padding.SAME, out);
  }

  /**
   * Whether the input gradient of {@code shape} is a convolution this op computes: float32, stride
   * 1, no dilation, no groups, and a padding of the rotated convolution ({@link #rotatedPadding}) the
   * same on both sides of each dimension (SAME with odd kernels, VALID, symmetric EXPLICIT).
   */
  static boolean appliesToInputGradient(ConvShape shape, ConvAttrs attrs, DType type) {
    return Nd4jRuntime.oneDnn() && type == DType.FLOAT && shape.groups() == 1 && attrs.strideRows() == 1
        && attrs.strideCols() == 1 && attrs.dilationRows() == 1 && attrs.dilationCols() == 1
        && rotatedPadding(shape.rows()) >= 0 && rotatedPadding(shape.cols()) >= 0;
  }

  /**
   * Conv2DBackpropInput at stride 1: out_backprop convolved with the filter turned by 180 degrees,
   * its input and output depths swapped, padded {@link #rotatedPadding} on each side.
   */
  static Tensor inputGradient(Tensor grad, Tensor filter, ConvShape shape, Shape inputShape) {
    INDArray rotated = rotate(filter, shape);
    try {
      return conv(NdArrays.toNd4j(grad), rotated, shape.filterRows(), shape.filterCols(), 1, 1,
          rotatedPadding(shape.rows()), rotatedPadding(shape.cols()), false, inputShape);
    } finally {
      rotated.close();
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

  private static Tensor conv(INDArray input, INDArray filter, int kernelRows, int kernelCols, int strideRows,
      int strideCols, long padRows, long padCols, boolean same, Shape out) {
    INDArray result = Nd4j.createUninitialized(DataType.FLOAT, out.dims(), 'c');
    DynamicCustomOp op = DynamicCustomOp.builder("conv2d")
        .addInputs(input, filter)
        .addOutputs(result)
        // kH kW sH sW pH pW dH dW, SAME (1) or not (0), NHWC (1), filter [kH, kW, iC, oC] (0)
        .addIntegerArguments(kernelRows, kernelCols, strideRows, strideCols, (int) padRows, (int) padCols, 1, 1,
            same ? 1 : 0, 1, 0)
        .build();
    Nd4j.exec(op);
    return NdArrays.adopt(result);
  }
}
