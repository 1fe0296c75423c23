package io.sparkpoint.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.exec.KernelRegistry;
import org.junit.jupiter.api.Test;

/** The math and nn providers are found through META-INF/services. */
class KernelProvidersTest {
  @Test
  void serviceLoaderFindsEveryMathAndNnKernel() {
    assertThat(KernelRegistry.fromServiceLoader().opTypes()).contains(
        "Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "Maximum", "Minimum", "Pow", "Neg", "Square", "Sqrt",
        "Rsqrt", "Exp", "Log", "Abs", "Sign", "MatMul", "BatchMatMulV2", "BiasAdd", "Relu", "Relu6", "Elu",
        "Sigmoid", "Tanh", "Softmax", "LogSoftmax");
  }
}
