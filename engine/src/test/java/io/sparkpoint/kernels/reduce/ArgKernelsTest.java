package io.sparkpoint.kernels.reduce;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.type;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** ArgMax and ArgMin against hand-computed values; ties give the first index. */
class ArgKernelsTest {
  /** [[1,5,3],[7,2,7]] */
  private static final Tensor X = Tensor.ofFloats(Shape.of(2, 3), 1, 5, 3, 7, 2, 7);

  private static Tensor dim(int value) {
    return Tensor.ofInts(Shape.scalar(), value);
  }

  private static Tensor longs(long... values) {
    return Tensor.ofLongs(Shape.of(values.length), values);
  }

  @Test
  void argMaxAndArgMin() {
    assertClose(run("ArgMax", X, dim(1)), longs(1, 0));
    assertClose(run("ArgMax", X, dim(0)), longs(1, 0, 1));
    assertClose(run("ArgMax", X, Tensor.scalar(-1L)), longs(1, 0));
    assertClose(run("ArgMin", X, dim(1)), longs(0, 1));
    assertClose(run("ArgMin", X, dim(0)), longs(0, 1, 0));
    assertClose(run(node("ArgMax").putAttr("output_type", type(DType.INT32)), X, dim(1)),
        Tensor.ofInts(Shape.of(2), 1, 0));
    assertClose(run("ArgMax", Tensor.ofInts(Shape.of(3), -4, -1, -9), dim(0)), Tensor.scalar(1L));
    assertClose(run("ArgMin", Tensor.ofBooleans(Shape.of(3), true, false, false), dim(0)), Tensor.scalar(1L));
    assertClose(run("ArgMax", Tensor.ofDoubles(Shape.of(3), 1, Double.NaN, 5), dim(0)), Tensor.scalar(2L));
  }

  /**
   * Regression (conformance): as TF's Eigen reducer, NaN never wins, and the running best starts at
   * index 0 with the lowest finite value, so -inf never replaces it.
   */
  @Test
  void nanNeverWinsAndInfinitiesDoNotBeatTheStartingValue() {
    double nan = Double.NaN;
    double inf = Double.POSITIVE_INFINITY;
    Tensor rows = Tensor.ofDoubles(Shape.of(5, 3), nan, 1, 2, 1, nan, 0, nan, -inf, -inf, inf, nan, inf, nan, inf, inf);
    assertClose(run("ArgMax", rows, dim(1)), longs(2, 0, 0, 0, 1));
    assertClose(run("ArgMin", rows, dim(1)), longs(1, 2, 1, 0, 0));
    Tensor floats = Tensor.ofFloats(Shape.of(2), Float.NaN, -Float.MAX_VALUE);
    assertClose(run("ArgMax", floats, dim(0)), Tensor.scalar(0L));
  }

  @Test
  void errorsUseTfWording() {
    assertThatThrownBy(() -> run("ArgMax", X, dim(2))).hasMessage("Expected dimension in the range [-2, 2), but got 2");
    assertThatThrownBy(() -> run("ArgMin", Tensor.ofFloats(Shape.of(0, 3)), dim(0)))
        .hasMessage("Reduction axis 0 is empty in shape [0,3]");
    assertThatThrownBy(() -> run("ArgMax", X, Tensor.ofInts(Shape.of(1), 0)))
        .hasMessage("dim must be a scalar, but received tensor of shape: [1]");
    assertThatThrownBy(() -> run(node("ArgMin").putAttr("output_type", type(DType.INT16)), X, dim(0)))
        .hasMessage("Value for attr 'output_type' of int16 is not in the list of allowed values: int32, int64 (node argmin)");
    assertThatThrownBy(() -> run("ArgMax", Tensor.ofStrings(Shape.of(1), "a"), dim(0)))
        .hasMessageStartingWith("Unsupported dtype string for op ArgMax (node argmax)");
  }
}
