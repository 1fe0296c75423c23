package io.sparkpoint.kernels.conv;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Shape;

/**
 * The attrs of MaxPoolGrad and AvgPoolGrad, checked once when the kernel is created, with the
 * messages of TF's CPU kernels: NHWC only, 4-element ksize and strides that do not pool across the
 * batch (nor, for MaxPoolGrad, across depth), the padding, and MaxPoolGrad's explicit_paddings
 * (each smaller than the window).
 */
record PoolGradAttrs(long windowRows, long windowCols, long strideRows, long strideCols, Padding padding,
    long padTop, long padBottom, long padLeft, long padRight) {

  /**
   * Reads and checks the attrs of {@code node}; {@code kernelName} is TF's name for the CPU kernel
   * ("MaxPoolingGradOp") in the NHWC message.
   *
   * @throws KernelException with TF's message
   */
  static PoolGradAttrs of(NodeDef node, String kernelName, Padding... allowed) {
    String format = NodeAttrs.string(node, "data_format", "NHWC");
    require(format.equals("NHWC"), "Default " + kernelName + " only supports NHWC on device type CPU");
    long[] ksize = NodeAttrs.integers(node, "ksize");
    long[] strides = NodeAttrs.integers(node, "strides");
    require(ksize.length == 4, "Sliding window ksize field must specify 4 dimensions");
    require(strides.length == 4, "Sliding window strides field must specify 4 dimensions");
    require(ksize[0] == 1 && strides[0] == 1, "Pooling is not yet supported on the batch dimension.");
    if (node.getOp().equals("MaxPoolGrad")) {
      require(ksize[3] == 1 && strides[3] == 1, "MaxPoolingGrad is not yet supported on the depth dimension.");
    } else {
      require(ksize[3] == 1, "Non-spatial pooling is not yet supported. Volunteers? :)");
    }
    for (int i = 1; i < 3; i++) {
      require(ksize[i] > 0, "Sliding window ksize for dimension " + i + " must be > 0, but got " + ksize[i]);
      require(strides[i] > 0, "Stride must be > 0, but got " + strides[i]);
      require(ksize[i] <= Integer.MAX_VALUE && strides[i] <= Integer.MAX_VALUE,
          "Invalid ksize or stride " + Math.max(ksize[i], strides[i]) + ": larger than int32");
    }
    Padding padding = Padding.of(node, allowed);
    long[] explicit = padding == Padding.EXPLICIT ? ConvAttrs.explicitPaddings(node, padding) : new long[8];
    String[] sides = {"Top", "Bottom", "Left", "Right"};
    for (int i = 0; i < 4; i++) {
      long window = i < 2 ? ksize[1] : ksize[2];
      require(explicit[2 + i] < window,
          sides[i] + " padding " + explicit[2 + i] + " needs to be smaller than the window size " + window);
    }
    return new PoolGradAttrs(ksize[1], ksize[2], strides[1], strides[2], padding, explicit[2], explicit[3],
        explicit[4], explicit[5]);
  }

  /** The row window over an NHWC input of shape {@code input}. */
  Window rows(Shape input) {
    return Window.of(input.dim(1), windowRows, 1, strideRows, padding, padTop, padBottom);
  }

  /** The column window over an NHWC input of shape {@code input}. */
  Window cols(Shape input) {
    return Window.of(input.dim(2), windowCols, 1, strideCols, padding, padLeft, padRight);
  }

  /** The forward pooling's output shape for an NHWC input of shape {@code input}. */
  Shape output(Shape input) {
    return Shape.of(input.dim(0), rows(input).output(), cols(input).output(), input.dim(3));
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new KernelException(message);
    }
  }
}
