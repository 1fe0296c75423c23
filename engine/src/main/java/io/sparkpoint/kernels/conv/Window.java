package io.sparkpoint.kernels.conv;

import io.sparkpoint.exec.KernelException;

/**
 * One spatial dimension of a sliding window, sized as TF's GetWindowedOutputSizeVerboseV2 does:
 * output {@code o} reads input indices {@code o * stride - padBefore + k * dilation} for taps
 * {@code k = 0 .. filter - 1}; indices outside {@code [0, input)} are padding.
 */
record Window(long input, long filter, long dilation, long stride, long padBefore, long padAfter, long output) {

  /**
   * Sizes the window. {@code explicitBefore/After} are used only with {@link Padding#EXPLICIT}.
   *
   * @throws KernelException with TF's "Computed output size would be negative" when the filter
   *     does not fit
   */
  static Window of(long input, long filter, long dilation, long stride, Padding padding, long explicitBefore,
      long explicitAfter) {
    long effective = (filter - 1) * dilation + 1;
    long before = 0;
    long after = 0;
    long output;
    switch (padding) {
      case VALID -> output = (input - effective + stride) / stride;
      case EXPLICIT -> {
        before = explicitBefore;
        after = explicitAfter;
        output = (input + before + after - effective + stride) / stride;
      }
      default -> {
        output = (input + stride - 1) / stride;
        long needed = Math.max(0, (output - 1) * stride + effective - input);
        before = needed / 2;
        after = needed - before;
      }
    }
    if (output < 0) {
      throw new KernelException(
          "Computed output size would be negative: " + output + " [input_size: " + input
              + ", effective_filter_size: " + effective + ", stride: " + stride + "]");
    }
    return new Window(input, filter, dilation, stride, before, after, output);
  }

  /** The input index that tap {@code k} of output {@code o} reads; outside [0, input) it is padding. */
  long inputIndex(long o, long k) {
    return o * stride - padBefore + k * dilation;
  }
}
