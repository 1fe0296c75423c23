package io.sparkpoint.kernels.reduce;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.bool;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Sum, Mean, Max, Min and Prod against hand-computed values. */
class ReduceKernelsTest {
  /** [[1,2,3],[4,5,6]] */
  private static final Tensor X = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);

  static Tensor axes(int... values) {
    return Tensor.ofInts(Shape.of(values.length), values);
  }

  private static Tensor floats(float... values) {
    return Tensor.ofFloats(Shape.of(values.length), values);
  }

  @Test
  void sumOverAxes() {
    assertClose(run("Sum", X, axes(0)), floats(5, 7, 9));
    assertClose(run("Sum", X, axes(1)), floats(6, 15));
    assertClose(run("Sum", X, Tensor.ofInts(Shape.scalar(), -1)), floats(6, 15));
    assertClose(run("Sum", X, axes(0, 1)), Tensor.scalar(21f));
    assertClose(run("Sum", X, Tensor.ofLongs(Shape.of(2), -1, 0)), Tensor.scalar(21f));
    assertClose(run(node("Sum").putAttr("keep_dims", bool(true)), X, axes(-1)), Tensor.ofFloats(Shape.of(2, 1), 6, 15));
    assertClose(run(node("Sum").putAttr("keep_dims", bool(true)), X, axes(0, 1)), Tensor.ofFloats(Shape.of(1, 1), 21));
  }

  @Test
  void emptyAxesMeanNoReduction() {
    assertClose(run("Sum", X, axes()), X);
    assertClose(run("Max", Tensor.scalar(3f), axes()), Tensor.scalar(3f));
  }

  @Test
  void meanMaxMinProd() {
    assertClose(run("Mean", X, axes(1)), floats(2, 5));
    assertClose(run("Mean", X, axes(0)), floats(2.5f, 3.5f, 4.5f));
    assertClose(run("Max", X, axes(0)), floats(4, 5, 6));
    assertClose(run("Min", X, axes(1)), floats(1, 4));
    assertClose(run("Prod", X, axes(1)), floats(6, 120));
    Tensor cube = Tensor.ofDoubles(Shape.of(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8);
    assertClose(run("Sum", cube, axes(0, 2)), Tensor.ofDoubles(Shape.of(2), 14, 22));
    assertClose(run("Max", cube, axes(2, 0)), Tensor.ofDoubles(Shape.of(2), 6, 8));
  }

  @Test
  void integersAreExactAndWrapLikeTf() {
    Tensor ints = Tensor.ofInts(Shape.of(2, 2), 1, 2, 3, 5);
    assertClose(run("Mean", ints, axes(1)), Tensor.ofInts(Shape.of(2), 1, 4));
    assertClose(run("Mean", Tensor.ofInts(Shape.of(2), -3, -4), axes(0)), Tensor.ofInts(Shape.scalar(), -3));
    assertClose(run("Sum", Tensor.ofInts(Shape.of(2), Integer.MAX_VALUE, 1), axes(0)),
        Tensor.ofInts(Shape.scalar(), Integer.MIN_VALUE));
    assertClose(run("Prod", Tensor.ofLongs(Shape.of(3), 2, -3, 4), axes(0)), Tensor.scalar(-24L));
    assertClose(run("Max", Tensor.ofLongs(Shape.of(2), -5, -2), axes(0)), Tensor.scalar(-2L));
    Tensor bytes = Tensor.of(DType.UINT8, Shape.of(2), new byte[] {(byte) 200, 100});
    assertThat(run("Sum", bytes, axes(0))).isEqualTo(Tensor.of(DType.UINT8, Shape.scalar(), new byte[] {44}));
    assertThat(run("Max", bytes, axes(0))).isEqualTo(Tensor.of(DType.UINT8, Shape.scalar(), new byte[] {(byte) 200}));
  }

  /** Regression (conformance): TF's Max and Min return NaN for a row holding NaN, wherever it sits. */
  @Test
  void floatMaxAndMinPropagateNaN() {
    Tensor x = Tensor.ofDoubles(Shape.of(3, 3), Double.NaN, 1, 2, 1, 3, Double.NaN, 4, 5, 6);
    assertClose(run("Max", x, axes(1)), Tensor.ofDoubles(Shape.of(3), Double.NaN, Double.NaN, 6));
    assertClose(run("Min", x, axes(1)), Tensor.ofDoubles(Shape.of(3), Double.NaN, Double.NaN, 4));
    assertClose(run("Max", x, axes(0)), Tensor.ofDoubles(Shape.of(3), Double.NaN, 5, Double.NaN));
  }

  /** Regression (conformance): TF sums int32 in 64 bits for Mean (Sum still wraps). */
  @Test
  void int32MeanDoesNotOverflow() {
    Tensor x = Tensor.ofInts(Shape.of(2, 3), 2_000_000_000, 2_000_000_000, 2_000_000_000, -2_000_000_000,
        -2_000_000_000, 7);
    assertClose(run("Mean", x, axes(1)), Tensor.ofInts(Shape.of(2), 2_000_000_000, -1_333_333_331));
    assertClose(run("Sum", x, axes(1)), Tensor.ofInts(Shape.of(2), (int) 6_000_000_000L, (int) -3_999_999_993L));
    Tensor longs = Tensor.ofLongs(Shape.of(2), Long.MAX_VALUE, 3);
    assertClose(run("Mean", longs, axes(0)), Tensor.scalar((Long.MAX_VALUE + 3) / 2));
  }

  @Test
  void emptyReductionsGiveTheIdentity() {
    Tensor empty = Tensor.ofFloats(Shape.of(0, 3));
    assertClose(run("Sum", empty, axes(0)), floats(0, 0, 0));
    assertClose(run("Prod", empty, axes(0)), floats(1, 1, 1));
    assertClose(run("Max", empty, axes(0)), floats(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NEGATIVE_INFINITY));
    assertClose(run("Mean", empty, axes(0)), floats(Float.NaN, Float.NaN, Float.NaN));
    assertThat(run("Sum", empty, axes(1)).shape()).isEqualTo(Shape.of(0));
    assertClose(run("Min", Tensor.ofInts(Shape.of(0)), axes(0)), Tensor.ofInts(Shape.scalar(), Integer.MAX_VALUE));
  }

  @Test
  void halfReducesInFloat() {
    Tensor half = Tensor.of(DType.HALF, Shape.of(3), new byte[] {0, 0x3C, 0, 0x40, 0, 0x42});
    Tensor sum = run("Sum", half, axes(0));
    assertThat(sum.dtype()).isEqualTo(DType.HALF);
    assertThat(sum.doubleAt(0)).isEqualTo(6.0);
  }

  @Test
  void errorsUseTfWording() {
    assertThatThrownBy(() -> run("Sum", X, axes(2))).isInstanceOf(KernelException.class)
        .hasMessage("Invalid reduction dimension (2 for input with 2 dimension(s)");
    assertThatThrownBy(() -> run("Sum", X, axes(-3)))
        .hasMessage("Invalid reduction dimension (-3 for input with 2 dimension(s)");
    assertThatThrownBy(() -> run("Mean", X, axes(1, -1)))
        .hasMessage("Invalid reduction arguments: Axes contains duplicate dimension: 1");
    assertThatThrownBy(() -> run("Sum", Tensor.ofBooleans(Shape.of(1), true), axes(0)))
        .hasMessageStartingWith("Unsupported dtype bool for op Sum (node sum)");
    assertThatThrownBy(() -> run("Sum", X, Tensor.ofFloats(Shape.of(1), 0)))
        .hasMessage("Input 'reduction_indices' of 'Sum' Op has type float32 that is not in the allowed types int32, int64");
  }
}
