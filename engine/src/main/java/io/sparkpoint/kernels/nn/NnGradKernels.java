package io.sparkpoint.kernels.nn;

import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;
import io.sparkpoint.kernels.JvmPairwise;

/**
 * The gradient ops of the nn family, as TF's gradient registry emits them: ReluGrad, Relu6Grad,
 * EluGrad, SigmoidGrad and TanhGrad (see {@link ActivationGrad} for their inputs and arithmetic),
 * computed on the JVM in one pass, on float32, float64, float16 and bfloat16 (ReluGrad and Relu6Grad
 * also on every integer type); and BiasAddGrad (NHWC). Kernels are stateless and thread-safe.
 */
public final class NnGradKernels implements KernelProvider {
  @Override
  public void register(KernelRegistry registry) {
    for (ActivationGrad grad : ActivationGrad.values()) {
      registry.register(grad.opType, node -> JvmPairwise.kernel(node, grad, grad.types, grad.operands, grad.argNames));
    }
    registry.register("BiasAddGrad", BiasAddGrad::kernel);
  }
}
