package io.sparkpoint.kernels.conv;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;

/**
 * The shapes of a Conv2D gradient, checked as TF 2.18's CPU kernels check them, with their
 * messages: the {@code input_sizes} / {@code filter_sizes} vectors, then ConvBackpropComputeDimensionsV2
 * (ranks, batch, depths, and each spatial size of {@code out_backprop} against the one the forward
 * convolution would give), each message led by the kernel's label.
 */
final class ConvGradShape {
  static final String INPUT_LABEL = "Conv2DCustomBackpropInput";
  static final String FILTER_LABEL = "Conv2DCustomBackpropFilter";

  private ConvGradShape() {}

  /**
   * The shape {@code input_sizes} names: 4 values, or 2 (height, width) taking the batch from
   * {@code out_backprop} and the depth from the filter.
   *
   * @throws KernelException with TF's messages for a bad vector or a negative size
   */
  static Shape inputSizes(NodeDef node, Tensor sizes, Shape filter, Shape outBackprop) {
    DTypeRules.requireType(node, sizes, "input_sizes", DType.INT32);
    if (outBackprop.rank() != 4) {
      // sic: TF names input_sizes but checks out_backprop
      throw new KernelException("input_sizes must be 4-dimensional, got: " + outBackprop.rank());
    }
    if (sizes.shape().rank() != 1) {
      throw new KernelException("Conv2DBackpropInput: input_sizes input must be 1-dim, not " + sizes.shape().rank());
    }
    long count = sizes.numElements();
    if (count == 4) {
      return nonNegative(sizes);
    }
    if (count == 2) {
      long rows = sizes.longAt(0);
      long cols = sizes.longAt(1);
      if (rows < 0 || cols < 0) {
        throw new KernelException("Conv2DBackpropInput: elements of input_sizes must be >= 0, not " + rows + "x" + cols);
      }
      if (filter.rank() != 4) {
        throw new KernelException(INPUT_LABEL + ": filter must be 4-dimensional");
      }
      return Shape.of(outBackprop.dim(0), rows, cols, filter.dim(2));
    }
    throw new KernelException(
        "Conv2DBackpropInput requires input_sizes to contain 4 values or 2 values, but got: " + count);
  }

  /**
   * The shape {@code filter_sizes} names (any length; the rank is checked by {@link #of}).
   *
   * @throws KernelException with TF's messages for a bad vector or a negative size
   */
  static Shape filterSizes(NodeDef node, Tensor sizes) {
    DTypeRules.requireType(node, sizes, "filter_sizes", DType.INT32);
    if (sizes.shape().rank() != 1) {
      throw new KernelException(FILTER_LABEL + ": filter_sizes input must be 1-dim, not " + sizes.shape().rank());
    }
    return nonNegative(sizes);
  }

  /**
   * The forward convolution whose gradient is asked for, after TF's checks of the three shapes.
   * Grouped convolutions are refused, as TF's CPU kernels refuse them.
   *
   * @throws KernelException with TF's message, led by {@code label}
   */
  static ConvShape of(String label, Shape input, Shape filter, Shape outBackprop, ConvAttrs attrs) {
    require(input.rank() == 4, label + ": input must be 4-dimensional");
    require(filter.rank() == 4, label + ": filter must be 4-dimensional");
    require(outBackprop.rank() == 4, label + ": out_backprop must be 4-dimensional");
    require(input.dim(0) == outBackprop.dim(0),
        label + ": input and out_backprop must have the same batch size. Input batch: " + input.dim(0)
            + ", outbackprop batch: " + outBackprop.dim(0) + ", batch_dim: 0");
    require(filter.dim(2) > 0, label + ": filter depth must be strictly greated than zero"); // sic
    require(input.dim(3) % filter.dim(2) == 0, label + ": input depth must be evenly divisible by filter depth");
    require(filter.dim(3) == outBackprop.dim(3), label + ": filter and out_backprop must have the same out_depth");
    checkSpatial(label, 1, input, filter, outBackprop, attrs.dilationRows(), attrs.strideRows(), attrs.padding(),
        attrs.padTop(), attrs.padBottom());
    checkSpatial(label, 2, input, filter, outBackprop, attrs.dilationCols(), attrs.strideCols(), attrs.padding(),
        attrs.padLeft(), attrs.padRight());
    require(input.dim(3) == filter.dim(2),
        "Gradients for grouped convolutions are not supported on CPU. Please file a feature request if you run "
            + "into this issue. Computed input depth " + input.dim(3) + " doesn't match filter input depth "
            + filter.dim(2));
    return ConvShape.of(input, filter, attrs);
  }

  private static void checkSpatial(String label, int dim, Shape input, Shape filter, Shape outBackprop, long dilation,
      long stride, Padding padding, long explicitBefore, long explicitAfter) {
    Window window = Window.of(input.dim(dim), filter.dim(dim - 1), dilation, stride, padding, explicitBefore,
        explicitAfter);
    long actual = outBackprop.dim(dim);
    require(actual == window.output(),
        label + ": Size of out_backprop doesn't match computed: actual = " + actual + ", computed = " + window.output()
            + " spatial_dim: " + dim + " input: " + input.dim(dim) + " filter: " + filter.dim(dim - 1) + " output: "
            + actual + " stride: " + stride + " dilation: " + dilation);
  }

  private static Shape nonNegative(Tensor sizes) {
    long[] dims = new long[Math.toIntExact(sizes.numElements())];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = sizes.longAt(i);
      require(dims[i] >= 0, "Dimension " + dims[i] + " must be >= 0");
    }
    return Shape.of(dims);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new KernelException(message);
    }
  }
}
