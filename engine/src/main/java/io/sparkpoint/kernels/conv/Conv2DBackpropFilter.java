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
 * Conv2DBackpropFilter: the gradient of Conv2D with respect to its filter, whose shape
 * {@code filter_sizes} gives. TF 2.18's CPU shape checks and messages ({@link ConvGradShape});
 * float32 and float64; NHWC; strides and SAME / VALID / EXPLICIT padding. Grouped convolutions are
 * refused, as TF's CPU kernel refuses them; dilations, which that kernel also refuses, are computed
 * here (the exact adjoint of our Conv2D). float32 at stride 1 goes through oneDNN where it can
 * ({@link OneDnnConvGrads}), everything else through {@link BackpropGemm}.
 */
final class Conv2DBackpropFilter {
  static final Set<DType> TYPES = DTypeRules.FLOATS;

  private Conv2DBackpropFilter() {}

  static Kernel kernel(NodeDef node) {
    DTypeRules.checkTypeAttr(node, TYPES);
    ConvAttrs attrs = ConvAttrs.of(node, "Conv2DCustomBackpropFilterOp only supports NHWC. Got data_format ");
    return context -> {
      DType type = DTypeRules.sharedType(node, List.of(context.input(0), context.input(2)), TYPES, "input",
          "out_backprop");
      Tensor input = context.input(0);
      Tensor grad = context.input(2);
      Shape filterShape = ConvGradShape.filterSizes(node, context.input(1));
      ConvShape shape = ConvGradShape.of(ConvGradShape.FILTER_LABEL, input.shape(), filterShape, grad.shape(), attrs);
      if (filterShape.numElements() == 0 || input.numElements() == 0 || grad.numElements() == 0) {
        return List.of(Conv2D.zeros(type, filterShape));
      }
      if (OneDnnConvGrads.appliesToFilter(shape, attrs, type)) {
        return List.of(context.fresh(OneDnnConvGrads.filter(input, grad, shape, filterShape)));
      }
      return List.of(context.fresh(new BackpropGemm(shape, type).filter(input.bytes(), grad, filterShape)));
    };
  }
}
