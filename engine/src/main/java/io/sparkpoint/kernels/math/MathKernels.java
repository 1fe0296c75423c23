package io.sparkpoint.kernels.math;

import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;
import io.sparkpoint.kernels.DTypeRules;

/**
 * The math family on ND4J: Add, AddV2, Sub, Mul, RealDiv, Div, Maximum, Minimum, Pow, FloorDiv, FloorMod,
 * Mod (broadcasting), Neg, Square, Sqrt, Rsqrt, Exp, Log, Abs, Sign, MatMul and BatchMatMulV2, with TensorFlow's dtype
 * rules: float32 and float64 everywhere, int32 and int64 where TF has integer kernels. Kernels are
 * stateless and thread-safe.
 */
public final class MathKernels implements KernelProvider {
  static {
    io.sparkpoint.kernels.Nd4jRuntime.ensureConfigured();
  }

  @Override
  public void register(KernelRegistry registry) {
    for (BinaryOp op : BinaryOp.values()) {
      registry.register(op.opType, node -> {
        DTypeRules.checkTypeAttr(node, op.types);
        return ElementwiseKernels.binary(op);
      });
    }
    for (UnaryOp op : UnaryOp.values()) {
      registry.register(op.opType, node -> {
        DTypeRules.checkTypeAttr(node, op.types);
        return ElementwiseKernels.unary(op);
      });
    }
    for (DivModOp op : DivModOp.values()) {
      registry.register(op.opType, node -> {
        DTypeRules.checkTypeAttr(node, op.types);
        return DivModKernels.kernel(op);
      });
    }
    registry.register("MatMul", MatMulKernels::matMul);
    registry.register("BatchMatMulV2", MatMulKernels::batchMatMul);
    registry.register("Cumprod", Cumprod::kernel);
  }
}
