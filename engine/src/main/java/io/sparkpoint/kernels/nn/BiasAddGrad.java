package io.sparkpoint.kernels.nn;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * BiasAddGrad (NHWC): the bias gradient, out_backprop [..., c] summed over every dimension but the
 * last, in one row-major pass that adds each row into c accumulators. Floats accumulate in double
 * and are rounded once (TF accumulates float32 in float32 and bfloat16 in bfloat16, in an order that
 * depends on its thread count, so results agree within rounding); integers wrap at their width, as
 * TF's do.
 */
final class BiasAddGrad {
  private BiasAddGrad() {}

  static Kernel kernel(NodeDef node) {
    DTypeRules.checkTypeAttr(node, Numbers.REAL);
    String format = NodeAttrs.string(node, "data_format", "NHWC");
    if (!format.equals("NHWC")) {
      throw new KernelException("Unsupported data_format " + format + " for BiasAddGrad (node " + node.getName()
          + "): only NHWC is supported");
    }
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs(), Numbers.REAL, "out_backprop");
      Tensor backprop = context.input(0);
      Shape shape = backprop.shape();
      if (shape.rank() < 2) {
        throw new KernelException("Input tensor must be at least 2D: " + shape);
      }
      if (backprop.numElements() >= Integer.MAX_VALUE) {
        throw new KernelException("BiasGrad requires tensor size <= int32 max");
      }
      int channels = Math.toIntExact(shape.dim(shape.rank() - 1));
      return List.of(context.fresh(columnSums(backprop, type, channels)));
    };
  }

  /** The sums of the columns of {@code values} seen as [rows, channels], as a [channels] tensor. */
  static Tensor columnSums(Tensor values, DType type, int channels) {
    int n = Math.toIntExact(values.numElements());
    ByteBuffer out = Numbers.allocate(type, channels);
    if (Numbers.INTEGERS.contains(type)) {
      long[] sums = new long[channels];
      for (int row = 0; row < n; row += channels) {
        for (int j = 0; j < channels; j++) {
          sums[j] += values.longAt(row + j);
        }
      }
      for (long sum : sums) {
        Numbers.putLong(out, type, sum);
      }
      return Numbers.tensor(type, Shape.of(channels), out);
    }
    double[] sums = new double[channels];
    switch (type) {
      case FLOAT -> {
        FloatBuffer floats = values.data().asFloatBuffer();
        float[] row = new float[channels];
        for (int start = 0; start < n; start += channels) {
          floats.get(start, row);
          for (int j = 0; j < channels; j++) {
            sums[j] += row[j];
          }
        }
      }
      case DOUBLE -> {
        DoubleBuffer doubles = values.data().asDoubleBuffer();
        double[] row = new double[channels];
        for (int start = 0; start < n; start += channels) {
          doubles.get(start, row);
          for (int j = 0; j < channels; j++) {
            sums[j] += row[j];
          }
        }
      }
      default -> {
        for (int row = 0; row < n; row += channels) {
          for (int j = 0; j < channels; j++) {
            sums[j] += values.doubleAt(row + j);
          }
        }
      }
    }
    for (double sum : sums) {
      Numbers.putDouble(out, type, sum);
    }
    return Numbers.tensor(type, Shape.of(channels), out);
  }
}
