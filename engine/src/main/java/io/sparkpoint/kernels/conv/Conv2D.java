package io.sparkpoint.kernels.conv;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;

/**
 * Conv2D with TF 2.18's CPU semantics: NHWC input, HWIO filter, strides, dilations, SAME / VALID /
 * EXPLICIT padding (zeros), and grouped convolutions when the input depth is a multiple of the
 * filter's. float32 goes through oneDNN when ND4J runs that build ({@link OneDnnConv}), else, like
 * float64, through BLAS after our own im2col; int32 is exact; half and bfloat16 are refused
 * ("Unsupported dtype"), as how TF accumulates them is not something we can match bit for bit.
 */
final class Conv2D {
  static final Set<DType> TYPES = Set.of(DType.FLOAT, DType.DOUBLE, DType.INT32);

  private Conv2D() {}

  static Kernel kernel(NodeDef node) {
    DTypeRules.checkTypeAttr(node, TYPES);
    ConvAttrs attrs = ConvAttrs.of(node);
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs(), TYPES, "input", "filter");
      Tensor input = context.input(0);
      Tensor filter = context.input(1);
      ConvShape shape = ConvShape.of(input.shape(), filter.shape(), attrs);
      Shape out = shape.output();
      if (out.numElements() == 0 || input.numElements() == 0) {
        // TF: with an empty input the output can only come from padding
        return List.of(zeros(type, out));
      }
      shape.requireComputable();
      if (OneDnnConv.applies(shape, attrs, type)) {
        return List.of(context.fresh(OneDnnConv.run(input, filter, shape, attrs, out)));
      }
      return List.of(new PatchGemm(shape, type).run(input.bytes(), filter));
    };
  }

  /** A tensor of zeros. */
  static Tensor zeros(DType type, Shape shape) {
    ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(Tensor.byteSize(type, shape))).order(ByteOrder.LITTLE_ENDIAN);
    return Tensor.wrap(type, shape, bytes);
  }
}
