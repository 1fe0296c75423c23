package io.sparkpoint.kernels.conv;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Set;

/**
 * Conv2DBackpropInput: the gradient of Conv2D with respect to its input, the input's shape given
 * by {@code input_sizes} (4 values, or height and width). TF 2.18's CPU shape checks and messages
 * ({@link ConvGradShape}); float32 and float64; NHWC; strides and SAME / VALID / EXPLICIT padding.
 * Grouped convolutions are refused, as TF's CPU kernel refuses them; dilations, which that kernel
 * also refuses ("Current CPU implementations do not yet support dilation rates larger than 1."),
 * are computed here (the exact adjoint of our Conv2D). float32 at stride 1 goes through oneDNN
 * where it can ({@link OneDnnConvGrads}), everything else through {@link BackpropGemm}.
 */
final class Conv2DBackpropInput {
  static final Set<DType> TYPES = DTypeRules.FLOATS;

  private Conv2DBackpropInput() {}

  static Kernel kernel(NodeDef node) {
    DTypeRules.checkTypeAttr(node, TYPES);
    ConvAttrs attrs = ConvAttrs.of(node, "Conv2DCustomBackpropInputOp only supports NHWC. Got data_format ");
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs().subList(1, context.inputs().size()), TYPES,
          "filter", "out_backprop");
      Tensor filter = context.input(1);
      Tensor grad = context.input(2);
      Shape inputShape = ConvGradShape.inputSizes(node, context.input(0), filter.shape(), grad.shape());
      ConvShape shape = ConvGradShape.of(ConvGradShape.INPUT_LABEL, inputShape, filter.shape(), grad.shape(), attrs);
      if (inputShape.numElements() == 0 || grad.numElements() == 0 || filter.numElements() == 0) {
        return List.of(Conv2D.zeros(type, inputShape));
      }
      if (OneDnnConvGrads.appliesToInput(shape, attrs, type)) {
        return List.of(context.fresh(OneDnnConvGrads.input(grad, filter, shape, inputShape)));
      }
      return List.of(context.fresh(new BackpropGemm(shape, type).input(grad, filter, inputShape)));
    };
  }
}
