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

/** SqrtGrad, RsqrtGrad and ReciprocalGrad, each from (y, dy), y the forward op's output. */
class PowerGradTest {
  private static final float NAN = Float.NaN;
  private static final float INF = Float.POSITIVE_INFINITY;

  private static Tensor floats(float... values) {
    return Tensor.ofFloats(Shape.of(values.length), values);
  }

  @Test
  void sqrtGradIsHalfDyOverY() {
    assertClose(run("SqrtGrad", floats(2, 0.5f, 0, INF, -4), floats(4, 1, 1, 1, 2)), floats(1, 1, INF, 0, -0.25f));
    assertClose(run("SqrtGrad", Tensor.ofDoubles(Shape.of(1), 3), Tensor.ofDoubles(Shape.of(1), 1)),
        Tensor.ofDoubles(Shape.of(1), 0.5 / 3));
  }

  @Test
  void rsqrtGradIsMinusHalfYCubedTimesDy() {
    assertClose(run("RsqrtGrad", floats(2, 0.5f, -1, NAN), floats(1, 4, 2, 1)), floats(-4, -0.25f, 1, NAN));
    assertClose(run("RsqrtGrad", Tensor.ofDoubles(Shape.of(1), 0.1), Tensor.ofDoubles(Shape.of(1), 3)),
        Tensor.ofDoubles(Shape.of(1), (-0.5 * (0.1 * 0.1)) * (0.1 * 3)));
  }

  @Test
  void reciprocalGradIsMinusYSquaredTimesDy() {
    assertClose(run("ReciprocalGrad", floats(2, -0.5f, INF, 0), floats(3, 4, 1, 5)), floats(-12, -1, -INF, 0));
    assertClose(run("ReciprocalGrad", Tensor.ofDoubles(Shape.of(1), 0.3), Tensor.ofDoubles(Shape.of(1), -2)),
        Tensor.ofDoubles(Shape.of(1), 2 * 0.3 * 0.3));
  }

  @Test
  void aZeroDyGivesZeroEvenWhereYIsZeroInfiniteOrNan() {
    Tensor y = floats(0, INF, NAN, -0f);
    Tensor dy = floats(0, 0, -0f, 0);
    for (String op : new String[] {"SqrtGrad", "RsqrtGrad", "ReciprocalGrad"}) {
      assertThat(run(op, y, dy)).as(op).isEqualTo(floats(0, 0, 0, 0));
    }
  }

  @Test
  void rsqrtGradIsZeroWhereYTimesDyIsZero() {
    assertThat(run("RsqrtGrad", floats(0, 1e-30f), floats(5, 1e-30f))).isEqualTo(floats(0, 0));
    assertClose(run("RsqrtGrad", floats(0), floats(INF)), floats(NAN));
  }

  @Test
  void halfFloatsAreComputedInFloat32() {
    assertThat(run("SqrtGrad", HalfTensors.of(DType.HALF, 2), HalfTensors.of(DType.HALF, 4)))
        .isEqualTo(HalfTensors.of(DType.HALF, 1));
    assertThat(run("ReciprocalGrad", HalfTensors.of(DType.BFLOAT16, 2), HalfTensors.of(DType.BFLOAT16, 3)))
        .isEqualTo(HalfTensors.of(DType.BFLOAT16, -12));
  }

  @Test
  void theOperandsNeedEqualCountsAndAFloatType() {
    assertThat(run("SqrtGrad", Tensor.ofFloats(Shape.of(2, 1), 1, 1), floats(2, 2)).shape()).isEqualTo(Shape.of(2, 1));
    assertThatThrownBy(() -> run("RsqrtGrad", floats(1, 2, 3), floats(1)))
        .isInstanceOf(KernelException.class)
        .hasMessage("The two arguments to a cwise op must have same number of elements, got 3 and 1");
    assertThatThrownBy(() -> run("SqrtGrad", Tensor.ofInts(Shape.of(1), 1), Tensor.ofInts(Shape.of(1), 1)))
        .hasMessageStartingWith("Unsupported dtype int32 for op SqrtGrad (node sqrtgrad)");
    assertThatThrownBy(() -> run("ReciprocalGrad", floats(1), Tensor.ofDoubles(Shape.of(1), 1)))
        .hasMessage("Input 'dy' of 'ReciprocalGrad' Op has type float64 that does not match type float32 of argument 'y'.");
  }
}
