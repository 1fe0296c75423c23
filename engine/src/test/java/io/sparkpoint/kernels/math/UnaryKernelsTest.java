package io.sparkpoint.kernels.math;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.run;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The unary math ops against hand-computed values; tolerances are in KernelRunner. */
class UnaryKernelsTest {
  private static final Shape S4 = Shape.of(2, 2);

  @Test
  void negSquareAbsAndSignOnFloats() {
    Tensor x = Tensor.ofFloats(S4, -1.5f, 0, 2, 3.25f);
    assertClose(run("Neg", x), Tensor.ofFloats(S4, 1.5f, 0, -2, -3.25f));
    assertClose(run("Square", x), Tensor.ofFloats(S4, 2.25f, 0, 4, 10.5625f));
    assertClose(run("Abs", x), Tensor.ofFloats(S4, 1.5f, 0, 2, 3.25f));
    assertClose(run("Sign", x), Tensor.ofFloats(S4, -1, 0, 1, 1));
  }

  @Test
  void negSquareAbsAndSignOnIntegers() {
    Tensor x = Tensor.ofInts(S4, -3, 0, 2, 7);
    assertClose(run("Neg", x), Tensor.ofInts(S4, 3, 0, -2, -7));
    assertClose(run("Square", x), Tensor.ofInts(S4, 9, 0, 4, 49));
    assertClose(run("Abs", x), Tensor.ofInts(S4, 3, 0, 2, 7));
    assertClose(run("Sign", x), Tensor.ofInts(S4, -1, 0, 1, 1));
    Tensor big = Tensor.ofLongs(Shape.of(2), -(1L << 40), 5);
    assertClose(run("Abs", big), Tensor.ofLongs(Shape.of(2), 1L << 40, 5));
    assertClose(run("Square", big), Tensor.ofLongs(Shape.of(2), 0, 25));
  }

  @Test
  void sqrtRsqrtExpAndLogOnFloat32() {
    Tensor x = Tensor.ofFloats(S4, 1, 4, 0.25f, 2);
    assertClose(run("Sqrt", x), Tensor.ofFloats(S4, 1, 2, 0.5f, (float) Math.sqrt(2)));
    assertClose(run("Rsqrt", x), Tensor.ofFloats(S4, 1, 0.5f, 2, (float) (1 / Math.sqrt(2))));
    assertClose(run("Exp", x), Tensor.ofFloats(S4, (float) Math.E, (float) Math.exp(4), (float) Math.exp(0.25), (float) Math.exp(2)));
    assertClose(run("Log", x), Tensor.ofFloats(S4, 0, (float) Math.log(4), (float) Math.log(0.25), (float) Math.log(2)));
  }

  @Test
  void sqrtRsqrtExpAndLogOnFloat64() {
    Tensor x = Tensor.ofDoubles(Shape.of(3), 2, 10, 0.5);
    assertClose(run("Sqrt", x), Tensor.ofDoubles(Shape.of(3), Math.sqrt(2), Math.sqrt(10), Math.sqrt(0.5)));
    assertClose(run("Rsqrt", x), Tensor.ofDoubles(Shape.of(3), 1 / Math.sqrt(2), 1 / Math.sqrt(10), 1 / Math.sqrt(0.5)));
    assertClose(run("Exp", x), Tensor.ofDoubles(Shape.of(3), Math.exp(2), Math.exp(10), Math.exp(0.5)));
    assertClose(run("Log", x), Tensor.ofDoubles(Shape.of(3), Math.log(2), Math.log(10), Math.log(0.5)));
  }

  @Test
  void logOfZeroIsMinusInfinityAndOfNegativeIsNaN() {
    Tensor x = Tensor.ofFloats(Shape.of(2), 0, -1);
    assertClose(run("Log", x), Tensor.ofFloats(Shape.of(2), Float.NEGATIVE_INFINITY, Float.NaN));
  }

  @Test
  void scalarsStayScalars() {
    assertClose(run("Neg", Tensor.scalar(2f)), Tensor.scalar(-2f));
  }

  @Test
  void sqrtRefusesIntegers() {
    assertThatThrownBy(() -> run("Sqrt", Tensor.ofInts(Shape.of(1), 4)))
        .isInstanceOf(KernelException.class)
        .hasMessage("Unsupported dtype int32 for op Sqrt (node sqrt): no kernel registered for T=DT_INT32;"
            + " supported: float32, float64");
  }
}
