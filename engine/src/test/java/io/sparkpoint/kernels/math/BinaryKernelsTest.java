package io.sparkpoint.kernels.math;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The broadcasting binary ops against hand-computed values; tolerances are in KernelRunner. */
class BinaryKernelsTest {
  private static final Shape S23 = Shape.of(2, 3);
  private static final Tensor X = Tensor.ofFloats(S23, 1, -2, 3, 4.5f, 0.5f, -6);
  private static final Tensor Y = Tensor.ofFloats(S23, 2, 4, -1, 1.5f, 0.25f, 3);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "Add;     3, 2, 2, 6, 0.75, -3",
      "AddV2;   3, 2, 2, 6, 0.75, -3",
      "Sub;     -1, -6, 4, 3, 0.25, -9",
      "Mul;     2, -8, -3, 6.75, 0.125, -18",
      "RealDiv; 0.5, -0.5, -3, 3, 2, -2",
      "Div;     0.5, -0.5, -3, 3, 2, -2",
      "Maximum; 2, 4, 3, 4.5, 0.5, 3",
      "Minimum; 1, -2, -1, 1.5, 0.25, -6"})
  void float32OpsMatchHandComputedValues(String op, String expected) {
    assertClose(run(op, X, Y), Tensor.ofFloats(S23, floats(expected)));
  }

  @Test
  void float64KeepsItsTypeAndPrecision() {
    Tensor x = Tensor.ofDoubles(Shape.of(3), 1, 2, 3);
    Tensor y = Tensor.ofDoubles(Shape.of(3), 3, 7, 9);
    assertClose(run("RealDiv", x, y), Tensor.ofDoubles(Shape.of(3), 1.0 / 3, 2.0 / 7, 1.0 / 3));
    assertClose(run("Pow", x, y), Tensor.ofDoubles(Shape.of(3), 1, 128, 19683));
  }

  @Test
  void powOnFloatsIncludesFractionalExponents() {
    Tensor x = Tensor.ofFloats(Shape.of(3), 4, 2, 9);
    Tensor y = Tensor.ofFloats(Shape.of(3), 0.5f, -1, 2);
    assertClose(run("Pow", x, y), Tensor.ofFloats(Shape.of(3), 2, 0.5f, 81));
  }

  @Test
  void integerOpsStayIntegers() {
    Tensor x = Tensor.ofInts(Shape.of(4), 7, -7, 5, Integer.MAX_VALUE);
    Tensor y = Tensor.ofInts(Shape.of(4), 2, 2, -3, 1);
    assertClose(run("Add", x, y), Tensor.ofInts(Shape.of(4), 9, -5, 2, Integer.MIN_VALUE));
    assertClose(run("Sub", x, y), Tensor.ofInts(Shape.of(4), 5, -9, 8, Integer.MAX_VALUE - 1));
    assertClose(run("Mul", x, y), Tensor.ofInts(Shape.of(4), 14, -14, -15, Integer.MAX_VALUE));
    assertClose(run("Maximum", x, y), Tensor.ofInts(Shape.of(4), 7, 2, 5, Integer.MAX_VALUE));
    assertClose(run("Minimum", x, y), Tensor.ofInts(Shape.of(4), 2, -7, -3, 1));
    Tensor exponents = Tensor.ofInts(Shape.of(4), 2, 3, 0, 1);
    assertClose(run("Pow", x, exponents), Tensor.ofInts(Shape.of(4), 49, -343, 1, Integer.MAX_VALUE));
  }

  @Test
  void integerDivTruncatesTowardZeroAsTfCppDiv() {
    Tensor x = Tensor.ofLongs(Shape.of(4), 7, -7, 7, -7);
    Tensor y = Tensor.ofLongs(Shape.of(4), 2, 2, -2, -2);
    assertClose(run("Div", x, y), Tensor.ofLongs(Shape.of(4), 3, -3, -3, 3));
  }

  @Test
  void integerDivisionByZeroFails() {
    Tensor x = Tensor.ofInts(Shape.of(2), 1, 2);
    Tensor y = Tensor.ofInts(Shape.of(2), 1, 0);
    assertThatThrownBy(() -> run("Div", x, y)).isInstanceOf(KernelException.class).hasMessage("Integer division by zero");
  }

  @Test
  void integersToNegativePowersFail() {
    Tensor x = Tensor.ofInts(Shape.of(1), 2);
    Tensor y = Tensor.ofInts(Shape.of(1), -1);
    assertThatThrownBy(() -> run("Pow", x, y)).hasMessage("Integers to negative integer powers are not allowed");
  }

  @Test
  void maximumAndMinimumPropagateNaN() {
    Tensor x = Tensor.ofFloats(Shape.of(3), Float.NaN, 1, 2);
    Tensor y = Tensor.ofFloats(Shape.of(3), 0, Float.NaN, 3);
    assertClose(run("Maximum", x, y), Tensor.ofFloats(Shape.of(3), Float.NaN, Float.NaN, 3));
    assertClose(run("Minimum", x, y), Tensor.ofFloats(Shape.of(3), Float.NaN, Float.NaN, 2));
  }

  @Test
  void rowVectorBroadcastsOverMatrix() {
    Tensor row = Tensor.ofFloats(Shape.of(3), 10, 20, 30);
    assertClose(run("AddV2", X, row), Tensor.ofFloats(S23, 11, 18, 33, 14.5f, 20.5f, 24));
    assertClose(run("Sub", row, X), Tensor.ofFloats(S23, 9, 22, 27, 5.5f, 19.5f, 36));
  }

  @Test
  void columnAndRowBroadcastToOuterShape() {
    Tensor column = Tensor.ofInts(Shape.of(2, 1), 1, 2);
    Tensor row = Tensor.ofInts(Shape.of(1, 3), 10, 20, 30);
    assertClose(run("Mul", column, row), Tensor.ofInts(S23, 10, 20, 30, 20, 40, 60));
  }

  @Test
  void scalarsBroadcastToAnyShape() {
    Tensor two = Tensor.scalar(2f);
    assertClose(run("Mul", X, two), Tensor.ofFloats(S23, 2, -4, 6, 9, 1, -12));
    assertClose(run("RealDiv", two, Tensor.ofFloats(Shape.of(2), 4, 8)), Tensor.ofFloats(Shape.of(2), 0.5f, 0.25f));
    assertClose(run("Add", two, Tensor.scalar(3f)), Tensor.scalar(5f));
  }

  @Test
  void broadcastingWithAnEmptyDimensionGivesAnEmptyResult() {
    Tensor empty = Tensor.of(DType.FLOAT, Shape.of(0, 3), new byte[0]);
    assertThat(run("Add", empty, Tensor.ofFloats(Shape.of(3), 1, 2, 3)).shape()).isEqualTo(Shape.of(0, 3));
  }

  @Test
  void incompatibleShapesUseTfWording() {
    Tensor four = Tensor.ofFloats(Shape.of(4), 1, 2, 3, 4);
    assertThatThrownBy(() -> run("Add", X, four))
        .isInstanceOf(KernelException.class)
        .hasMessage("Incompatible shapes: [2,3] vs. [4]");
  }

  @Test
  void mixedDtypesUseTfWording() {
    Tensor ints = Tensor.ofInts(Shape.of(3), 1, 2, 3);
    assertThatThrownBy(() -> run("AddV2", X, ints))
        .isInstanceOf(KernelException.class)
        .hasMessage("Input 'y' of 'AddV2' Op has type int32 that does not match type float32 of argument 'x'.");
  }

  @Test
  void realDivRefusesIntegers() {
    Tensor ints = Tensor.ofInts(Shape.of(1), 1);
    assertThatThrownBy(() -> run("RealDiv", ints, ints))
        .isInstanceOf(KernelException.class)
        .hasMessage("Unsupported dtype int32 for op RealDiv (node realdiv): no kernel registered for T=DT_INT32;"
            + " supported: float32, float64");
  }

  @Test
  void anUnsupportedTypeAttrFailsWhenTheKernelIsCreated() {
    assertThatThrownBy(() -> run(node("Sub").putAttr("T", type(DType.STRING)), X, Y))
        .isInstanceOf(KernelException.class)
        .hasMessageStartingWith("Unsupported dtype string for op Sub (node sub)");
  }

  private static float[] floats(String csv) {
    String[] parts = csv.split(",");
    float[] values = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = Float.parseFloat(parts[i].trim());
    }
    return values;
  }
}
