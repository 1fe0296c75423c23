package io.sparkpoint.kernels.math;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.HalfTensors;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Reciprocal: 1 / x, IEEE for floats and C++ integer division for integers. */
class ReciprocalTest {
  private static final Shape S6 = Shape.of(6);

  @Test
  void floatsDivideOneByEachElement() {
    float inf = Float.POSITIVE_INFINITY;
    assertClose(run("Reciprocal", Tensor.ofFloats(S6, 2, -4, 0, -0f, inf, Float.NaN)),
        Tensor.ofFloats(S6, 0.5f, -0.25f, inf, -inf, 0, Float.NaN));
    assertClose(run("Reciprocal", Tensor.ofDoubles(Shape.of(2), 3, -1e-310)),
        Tensor.ofDoubles(Shape.of(2), 1 / 3.0, 1 / -1e-310));
    assertThat(run("Reciprocal", HalfTensors.of(DType.HALF, 4, 3))).isEqualTo(HalfTensors.of(DType.HALF, 0.25f, 1 / 3f));
  }

  @Test
  void integersTruncateTowardZero() {
    Shape s4 = Shape.of(4);
    assertClose(run("Reciprocal", Tensor.ofInts(s4, 1, -1, 2, -7)), Tensor.ofInts(s4, 1, -1, 0, 0));
    assertClose(run("Reciprocal", Tensor.ofLongs(Shape.of(2), Long.MIN_VALUE, -1)), Tensor.ofLongs(Shape.of(2), 0, -1));
    assertThat(run("Reciprocal", Tensor.of(DType.INT8, Shape.of(3), new byte[] {-128, 1, -1})).bytes())
        .containsExactly(new byte[] {0, 1, -1});
  }

  @Test
  void anIntegerZeroIsAnError() {
    assertThatThrownBy(() -> run("Reciprocal", Tensor.ofInts(Shape.of(2), 3, 0)))
        .isInstanceOf(KernelException.class)
        .hasMessage("Integer division by zero");
  }

  @Test
  void unsignedTypesAreRefused() {
    assertThatThrownBy(() -> run("Reciprocal", Tensor.of(DType.UINT8, Shape.of(1), new byte[] {1})))
        .hasMessageStartingWith("Unsupported dtype uint8 for op Reciprocal (node reciprocal)");
  }

  @Test
  void anEmptyTensorIsItsOwnReciprocal() {
    Tensor empty = Tensor.ofInts(Shape.of(0, 2));
    assertThat(run("Reciprocal", empty)).isSameAs(empty);
  }
}
