package io.sparkpoint.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.exec.KernelRegistry;
import org.junit.jupiter.api.Test;

/** The kernel providers are found through META-INF/services. */
class KernelProvidersTest {
  @Test
  void serviceLoaderFindsEveryMathAndNnKernel() {
    assertThat(KernelRegistry.fromServiceLoader().opTypes()).contains(
        "Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "Maximum", "Minimum", "Pow", "Neg", "Square", "Sqrt",
        "Rsqrt", "Exp", "Log", "Abs", "Sign", "MatMul", "BatchMatMulV2", "BiasAdd", "Relu", "Relu6", "Elu",
        "Sigmoid", "Tanh", "Softmax", "LogSoftmax");
  }

  @Test
  void serviceLoaderFindsEveryArrayAndReduceKernel() {
    assertThat(KernelRegistry.fromServiceLoader().opTypes()).contains(
        "Reshape", "Shape", "Size", "Rank", "ExpandDims", "Squeeze", "ConcatV2", "Pack", "Unpack", "Slice",
        "StridedSlice", "Transpose", "Tile", "Fill", "ZerosLike", "OnesLike", "Cast", "Range",
        "Sum", "Mean", "Max", "Min", "Prod", "ArgMax", "ArgMin");
  }

  @Test
  void serviceLoaderFindsEveryGradientKernel() {
    assertThat(KernelRegistry.fromServiceLoader().opTypes()).contains(
        "ReluGrad", "Relu6Grad", "EluGrad", "SigmoidGrad", "TanhGrad", "BiasAddGrad", "SqrtGrad", "RsqrtGrad",
        "ReciprocalGrad", "Reciprocal", "AddN", "BroadcastGradientArgs", "PreventGradient");
  }
}
