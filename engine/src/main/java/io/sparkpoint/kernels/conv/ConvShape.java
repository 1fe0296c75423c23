package io.sparkpoint.kernels.conv;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.Shape;

/**
 * The sizes of one Conv2D run: an NHWC input, an HWIO filter whose I is the input depth or a
 * divisor of it (a grouped convolution: {@code inDepth / patchDepth} groups, each mapping
 * {@code patchDepth} input channels to {@code outDepth / groups} output channels), and one window
 * per spatial dimension.
 */
record ConvShape(int batch, int inRows, int inCols, int inDepth, int filterRows, int filterCols, int patchDepth,
    int outDepth, Window rows, Window cols) {

  /**
   * Checks the shapes as TF's ComputeConv2DDimension does, with its messages.
   *
   * @throws KernelException when the ranks, depths or windows do not fit
   */
  static ConvShape of(Shape input, Shape filter, ConvAttrs attrs) {
    if (input.rank() != 4) {
      throw new KernelException("convolution input must be 4-dimensional: " + input);
    }
    if (filter.rank() != 4) {
      throw new KernelException("convolution filter must be 4-dimensional: " + filter);
    }
    for (int i = 0; i < 4; i++) {
      if (filter.dim(i) > Integer.MAX_VALUE) {
        throw new KernelException("filter too large");
      }
      if (input.dim(i) > Integer.MAX_VALUE) {
        throw new KernelException("Input dimension " + i + " too large: " + input);
      }
    }
    int inDepth = (int) input.dim(3);
    int patchDepth = (int) filter.dim(2);
    if (patchDepth <= 0) {
      throw new KernelException("filter depth must be stricly positive, got " + patchDepth);
    }
    if (inDepth % patchDepth != 0) {
      throw new KernelException("input depth must be evenly divisible by filter depth: " + inDepth + " vs " + patchDepth);
    }
    Window rows = Window.of(input.dim(1), filter.dim(0), attrs.dilationRows(), attrs.strideRows(), attrs.padding(),
        attrs.padTop(), attrs.padBottom());
    Window cols = Window.of(input.dim(2), filter.dim(1), attrs.dilationCols(), attrs.strideCols(), attrs.padding(),
        attrs.padLeft(), attrs.padRight());
    return new ConvShape((int) input.dim(0), (int) input.dim(1), (int) input.dim(2), inDepth, (int) filter.dim(0),
        (int) filter.dim(1), patchDepth, (int) filter.dim(3), rows, cols);
  }

  /**
   * The checks TF makes only when there is something to compute (a non-empty output).
   *
   * @throws KernelException when the filter is empty or the groups do not divide the output depth
   */
  void requireComputable() {
    if ((long) filterRows * filterCols * patchDepth * outDepth == 0) {
      throw new KernelException("filter must not have zero elements (i.e. all dimensions must be non-zero)");
    }
    if (outDepth % groups() != 0 || outDepth < groups()) {
      throw new KernelException(
          "output depth must be evenly divisible by number of groups: " + outDepth + " vs " + groups());
    }
  }

  Shape output() {
    return Shape.of(batch, rows.output(), cols.output(), outDepth);
  }

  int groups() {
    return inDepth / patchDepth;
  }

  /** Output channels per group. */
  int groupDepth() {
    return outDepth / groups();
  }

  /** Rows of the patch matrix: one per output pixel. */
  long patchRows() {
    return batch * rows.output() * cols.output();
  }

  /** Columns of the patch matrix: the taps of one window in one group, in the filter's (h, w, i) order. */
  int patchSize() {
    return Math.multiplyExact(Math.multiplyExact(filterRows, filterCols), patchDepth);
  }
}
