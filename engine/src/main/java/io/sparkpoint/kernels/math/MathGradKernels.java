package io.sparkpoint.kernels.math;

import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;
import io.sparkpoint.kernels.JvmPairwise;
import io.sparkpoint.kernels.Numbers;

/**
 * The math ops that gradient graphs add: AddN (every real dtype), Reciprocal (floats and int8 to
 * int64), and SqrtGrad, RsqrtGrad and ReciprocalGrad (float32, float64, float16, bfloat16; see
 * {@link PowerGrad}), all computed on the JVM in one pass per operand. Kernels are stateless and
 * thread-safe.
 */
public final class MathGradKernels implements KernelProvider {
  @Override
  public void register(KernelRegistry registry) {
    registry.register("AddN", AddN::kernel);
    registry.register("Reciprocal", Reciprocal::kernel);
    for (PowerGrad grad : PowerGrad.values()) {
      registry.register(grad.opType,
          node -> JvmPairwise.kernel(node, grad, Numbers.FLOATING, JvmPairwise.Operands.SAME_COUNT, "y", "dy"));
    }
  }
}
