package io.sparkpoint.kernels.conv;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Set;

/**
 * MaxPoolGrad and AvgPoolGrad, NHWC, float32 and float64, with TF 2.18's CPU checks and messages:
 * MaxPoolGrad takes SAME, VALID or EXPLICIT padding and sends each window's gradient to one element
 * ({@link MaxPool#gradient}); AvgPoolGrad takes SAME or VALID and spreads it as TF does
 * ({@link AvgPoolGrad}). Where TF 2.18's AvgPoolGrad reads a {@code grad} of the wrong shape
 * without complaint, we refuse it with the message of TF's MaxPoolGrad.
 */
final class PoolGrads {
  static final Set<DType> TYPES = DTypeRules.FLOATS;

  private PoolGrads() {}

  static Kernel maxPoolGrad(NodeDef node) {
    DTypeRules.checkTypeAttr(node, TYPES);
    PoolGradAttrs attrs = PoolGradAttrs.of(node, "MaxPoolingGradOp", Padding.SAME, Padding.VALID, Padding.EXPLICIT);
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs(), TYPES, "orig_input", "orig_output", "grad");
      Tensor input = context.input(0);
      Tensor output = context.input(1);
      Tensor grad = context.input(2);
      require(input.shape().rank() == 4, "tensor_in must be 4-dimensional");
      require(output.shape().rank() == 4, "tensor_out must be 4-dimensional");
      require(grad.shape().rank() == 4, "out_backprop must be 4-dimensional");
      Shape expected = attrs.output(input.shape());
      require(output.shape().equals(expected),
          "Expected orig_output shape to be " + expected + ", but got " + output.shape());
      requireGradShape(expected, grad);
      if (input.numElements() == 0) {
        return List.of(Conv2D.zeros(type, input.shape()));
      }
      return List.of(context.fresh(MaxPool.gradient(input, grad, attrs.rows(input.shape()), attrs.cols(input.shape()))));
    };
  }

  static Kernel avgPoolGrad(NodeDef node) {
    DTypeRules.checkTypeAttr(node, TYPES);
    PoolGradAttrs attrs = PoolGradAttrs.of(node, "AvgPoolingGradOp", Padding.SAME, Padding.VALID);
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs().subList(1, context.inputs().size()), TYPES, "grad");
      Tensor shapeTensor = context.input(0);
      Tensor grad = context.input(1);
      DTypeRules.requireType(node, shapeTensor, "orig_input_shape", DType.INT32);
      require(shapeTensor.shape().rank() == 1 && shapeTensor.numElements() == 4,
          "out_backprop must be 1-dimensional and 4 elements"); // sic: TF's message for orig_input_shape
      require(grad.shape().rank() == 4, "out_backprop must be 4-dimensional");
      long[] dims = new long[4];
      for (int i = 0; i < 4; i++) {
        dims[i] = shapeTensor.longAt(i);
        require(dims[i] >= 0, "Dimension " + dims[i] + " must be >= 0");
      }
      Shape input = Shape.of(dims);
      if (input.numElements() == 0) {
        return List.of(Conv2D.zeros(type, input));
      }
      requireGradShape(attrs.output(input), grad);
      return List.of(context.fresh(AvgPoolGrad.gradient(input, grad, attrs.rows(input), attrs.cols(input))));
    };
  }

  private static void requireGradShape(Shape expected, Tensor grad) {
    require(grad.shape().equals(expected), "Expected grad shape to be " + expected + ", but got " + grad.shape());
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new KernelException(message);
    }
  }
}
