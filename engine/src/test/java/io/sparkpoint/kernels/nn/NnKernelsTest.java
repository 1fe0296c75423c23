package io.sparkpoint.kernels.nn;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.string;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Activations and BiasAdd against hand-computed values; tolerances are in KernelRunner. */
class NnKernelsTest {
  private static final Shape S5 = Shape.of(5);
  private static final Tensor X = Tensor.ofFloats(S5, -2, -0.5f, 0, 3, 7);

  @Test
  void reluAndRelu6Clip() {
    assertClose(run("Relu", X), Tensor.ofFloats(S5, 0, 0, 0, 3, 7));
    assertClose(run("Relu6", X), Tensor.ofFloats(S5, 0, 0, 0, 3, 6));
    Tensor ints = Tensor.ofInts(Shape.of(3), -4, 2, 9);
    assertClose(run("Relu", ints), Tensor.ofInts(Shape.of(3), 0, 2, 9));
    assertClose(run("Relu6", ints), Tensor.ofInts(Shape.of(3), 0, 2, 6));
  }

  @Test
  void eluSigmoidAndTanh() {
    assertClose(run("Elu", X), Tensor.ofFloats(S5, (float) Math.expm1(-2), (float) Math.expm1(-0.5), 0, 3, 7));
    assertClose(run("Sigmoid", X), Tensor.ofFloats(S5, sigmoid(-2), sigmoid(-0.5), 0.5f, sigmoid(3), sigmoid(7)));
    assertClose(run("Tanh", X), Tensor.ofFloats(S5,
        (float) Math.tanh(-2), (float) Math.tanh(-0.5), 0, (float) Math.tanh(3), (float) Math.tanh(7)));
    Tensor d = Tensor.ofDoubles(Shape.of(2), -1, 0.5);
    assertClose(run("Sigmoid", d), Tensor.ofDoubles(Shape.of(2), 1 / (1 + Math.exp(1)), 1 / (1 + Math.exp(-0.5))));
    assertClose(run("Tanh", d), Tensor.ofDoubles(Shape.of(2), Math.tanh(-1), Math.tanh(0.5)));
    assertClose(run("Elu", d), Tensor.ofDoubles(Shape.of(2), Math.expm1(-1), 0.5));
  }

  @Test
  void sigmoidRefusesIntegers() {
    assertThatThrownBy(() -> run("Sigmoid", Tensor.ofInts(Shape.of(1), 1)))
        .isInstanceOf(KernelException.class)
        .hasMessageStartingWith("Unsupported dtype int32 for op Sigmoid (node sigmoid)");
  }

  @Test
  void biasAddAddsAlongTheLastDimension() {
    Tensor value = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
    Tensor bias = Tensor.ofFloats(Shape.of(3), 10, 20, 30);
    assertClose(run("BiasAdd", value, bias), Tensor.ofFloats(Shape.of(2, 3), 11, 22, 33, 14, 25, 36));
    Tensor nhwc = Tensor.ofInts(Shape.of(1, 2, 1, 2), 1, 2, 3, 4);
    assertClose(run("BiasAdd", nhwc, Tensor.ofInts(Shape.of(2), 100, 200)),
        Tensor.ofInts(Shape.of(1, 2, 1, 2), 101, 202, 103, 204));
  }

  @Test
  void biasAddRefusesNchw() {
    assertThatThrownBy(() -> run(node("BiasAdd").putAttr("data_format", string("NCHW"))))
        .isInstanceOf(KernelException.class)
        .hasMessage("Unsupported data_format NCHW for BiasAdd (node biasadd): only NHWC is supported");
  }

  @Test
  void biasAddShapeErrorsUseTfWording() {
    Tensor value = Tensor.ofFloats(Shape.of(2, 4), new float[8]);
    assertThatThrownBy(() -> run("BiasAdd", value, Tensor.ofFloats(Shape.of(3), 1, 2, 3)))
        .hasMessage("Must provide as many biases as the last dimension of the input tensor: [3] vs. [2,4]");
    assertThatThrownBy(() -> run("BiasAdd", Tensor.ofFloats(Shape.of(3), 1, 2, 3), Tensor.ofFloats(Shape.of(3), 1, 2, 3)))
        .hasMessage("Input tensor must be at least 2D: [3]");
    assertThatThrownBy(() -> run("BiasAdd", value, value)).hasMessage("Biases must be 1D: [2,4]");
  }

  private static float sigmoid(double x) {
    return (float) (1 / (1 + Math.exp(-x)));
  }
}
