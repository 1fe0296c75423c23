package io.sparkpoint.kernels.math;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelContext;
import io.sparkpoint.kernels.Broadcasting;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Kernels for the element-wise ops: dtype checks, broadcasting, then the ND4J math. */
final class ElementwiseKernels {
  private ElementwiseKernels() {}

  static Kernel binary(BinaryOp op) {
    return context -> {
      DType type = DTypeRules.sharedType(context.node(), context.inputs(), op.types, "x", "y");
      Tensor x = context.input(0);
      Tensor y = context.input(1);
      Shape shape = Broadcasting.shape(x.shape(), y.shape());
      if (shape.numElements() == 0) {
        return List.of(empty(type, shape));
      }
      Tensor fast = JvmElementwise.binary(op, x, y, type);
      if (fast != null) {
        return List.of(fast);
      }
      INDArray a = Broadcasting.expand(NdArrays.toNd4j(x), shape.dims());
      INDArray b = Broadcasting.expand(NdArrays.toNd4j(y), shape.dims());
      return List.of(result(op.apply(a, b), type));
    };
  }

  static Kernel unary(UnaryOp op) {
    return (KernelContext context) -> {
      DType type = DTypeRules.sharedType(context.node(), context.inputs(), op.types, "x");
      Tensor x = context.input(0);
      if (x.numElements() == 0) {
        return List.of(x);
      }
      return List.of(result(op.apply(NdArrays.toNd4j(x)), type));
    };
  }

  /** The tensor of an ND4J result, kept in TF's dtype. */
  static Tensor result(INDArray array, DType type) {
    INDArray typed = array.dataType() == NdArrays.nd4jType(type) ? array : array.castTo(NdArrays.nd4jType(type));
    return NdArrays.fromNd4j(typed);
  }

  static Tensor empty(DType type, Shape shape) {
    return Tensor.of(type, shape, new byte[0]);
  }
}
