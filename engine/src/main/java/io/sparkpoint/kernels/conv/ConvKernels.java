package io.sparkpoint.kernels.conv;

import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;

/**
 * The convolution family with TF 2.18's CPU semantics, NHWC only: Conv2D (strides, dilations,
 * SAME / VALID / EXPLICIT padding, grouped), MaxPool and AvgPool (SAME / VALID), and their
 * gradients Conv2DBackpropInput, Conv2DBackpropFilter, MaxPoolGrad and AvgPoolGrad. Kernels are
 * stateless and thread-safe.
 */
public final class ConvKernels implements KernelProvider {
  static {
    io.sparkpoint.kernels.Nd4jRuntime.ensureConfigured();
  }

  @Override
  public void register(KernelRegistry registry) {
    registry.register("Conv2D", Conv2D::kernel);
    registry.register("MaxPool", node -> Pool2D.kernel(node, Pool2D.Kind.MAX));
    registry.register("AvgPool", node -> Pool2D.kernel(node, Pool2D.Kind.AVG));
    registry.register("Conv2DBackpropInput", Conv2DBackpropInput::kernel);
    registry.register("Conv2DBackpropFilter", Conv2DBackpropFilter::kernel);
    registry.register("MaxPoolGrad", PoolGrads::maxPoolGrad);
    registry.register("AvgPoolGrad", PoolGrads::avgPoolGrad);
  }
}
