package io.sparkpoint.kernels.conv;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.proto.NodeDef;

/**
 * Conv2D's attrs, checked once when the kernel is created, with TF's messages: strides and
 * dilations (NHWC: only H and W may differ from 1), padding, explicit_paddings (8 values, H and W
 * only) and data_format. {@code use_cudnn_on_gpu} means nothing on the CPU and is ignored.
 */
record ConvAttrs(int strideRows, int strideCols, int dilationRows, int dilationCols, Padding padding,
    long padTop, long padBottom, long padLeft, long padRight) {

  static ConvAttrs of(NodeDef node) {
    return of(node, "The Conv2D op currently only supports the NHWC tensor format on the CPU. The op was given the format: ");
  }

  /** The attrs of a Conv2D or of its gradients; {@code nchwMessage}, followed by the format, refuses any but NHWC. */
  static ConvAttrs of(NodeDef node, String nchwMessage) {
    String format = NodeAttrs.string(node, "data_format", "NHWC");
    if (!format.equals("NHWC")) {
      // TF's CPU kernel refuses NCHW too (at run time); we refuse it before any run.
      throw new KernelException(nchwMessage + format);
    }
    long[] dilations = NodeAttrs.integers(node, "dilations");
    if (dilations.length == 0) {
      dilations = new long[] {1, 1, 1, 1};
    }
    long[] strides = NodeAttrs.integers(node, "strides");
    require(dilations.length == 4, "Sliding window dilations field must specify 4 dimensions");
    require(strides.length == 4, "Sliding window strides field must specify 4 dimensions");
    require(strides[0] == 1 && strides[3] == 1,
        "Current implementation does not yet support strides in the batch and depth dimensions.");
    require(strides[1] > 0 && strides[2] > 0, "Row and column strides should be larger than 0.");
    require(dilations[0] == 1 && dilations[3] == 1,
        "Current implementation does not yet support dilations in the batch and depth dimensions.");
    require(dilations[1] > 0 && dilations[2] > 0, "Dilated rates should be larger than 0.");
    Padding padding = Padding.of(node, Padding.SAME, Padding.VALID, Padding.EXPLICIT);
    long[] explicit = explicitPaddings(node, padding);
    return new ConvAttrs(toInt(strides[1]), toInt(strides[2]), toInt(dilations[1]), toInt(dilations[2]), padding,
        explicit[2], explicit[3], explicit[4], explicit[5]);
  }

  /** explicit_paddings checked as TF's CheckValidPadding does; all zeros unless EXPLICIT. */
  static long[] explicitPaddings(NodeDef node, Padding padding) {
    long[] values = NodeAttrs.integers(node, "explicit_paddings");
    if (padding != Padding.EXPLICIT) {
      require(values.length == 0, "explicit_paddings attribute must be empty if the padding attribute is not EXPLICIT");
      return new long[8];
    }
    require(values.length == 8, "explicit_paddings attribute must contain 8 values, but got: " + values.length);
    for (long value : values) {
      require(value >= 0, "All elements of explicit_paddings must be nonnegative");
    }
    require(values[0] == 0 && values[1] == 0 && values[6] == 0 && values[7] == 0,
        "Nonzero explicit padding in the batch or depth dimensions is not supported");
    for (long value : values) {
      require(value <= Integer.MAX_VALUE, "filter too large");
    }
    return values;
  }

  private static int toInt(long value) {
    require(value <= Integer.MAX_VALUE, "Invalid stride or dilation " + value + ": larger than int32");
    return (int) value;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new KernelException(message);
    }
  }
}
