package io.sparkpoint.kernels.compare;

import static io.sparkpoint.kernels.KernelRunner.bool;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The comparisons and logical ops against hand-computed values. */
class ComparisonKernelsTest {
  private static final double NAN = Double.NaN;
  private static final double INF = Double.POSITIVE_INFINITY;

  static Tensor bools(boolean... values) {
    return Tensor.ofBooleans(Shape.of(values.length), values);
  }

  static Tensor bools(Shape shape, String tf) {
    boolean[] values = new boolean[tf.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = tf.charAt(i) == 'T';
    }
    return Tensor.ofBooleans(shape, values);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // x:   1  2  NaN  -0  inf  -inf  NaN
      // y:   2  2  NaN   0  inf     1    3
      "Equal,        FTFTTFF",
      "NotEqual,     TFTFFTT",
      "Less,         TFFFFTF",
      "LessEqual,    TTFTTTF",
      "Greater,      FFFFFFF",
      "GreaterEqual, FTFTTFF"})
  void floatsCompareAsIeeeNumbers(String op, String expected) {
    Tensor x = Tensor.ofDoubles(Shape.of(7), 1, 2, NAN, -0.0, INF, -INF, NAN);
    Tensor y = Tensor.ofDoubles(Shape.of(7), 2, 2, NAN, 0.0, INF, 1, 3);
    assertThat(run(op, x, y)).isEqualTo(bools(Shape.of(7), expected));
    Tensor xf = Tensor.ofFloats(Shape.of(7), 1, 2, Float.NaN, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN);
    Tensor yf = Tensor.ofFloats(Shape.of(7), 2, 2, Float.NaN, 0f, Float.POSITIVE_INFINITY, 1, 3);
    assertThat(run(op, xf, yf)).isEqualTo(bools(Shape.of(7), expected));
  }

  @Test
  void operandsBroadcastAsInTf() {
    Tensor column = Tensor.ofInts(Shape.of(2, 1), 1, 5);
    Tensor row = Tensor.ofInts(Shape.of(3), 0, 1, 5);
    assertThat(run("Less", column, row)).isEqualTo(bools(Shape.of(2, 3), "FFTFFF"));
    assertThat(run("GreaterEqual", column, row)).isEqualTo(bools(Shape.of(2, 3), "TTFTTT"));
    assertThat(run("Equal", Tensor.ofInts(Shape.scalar(), 5), row)).isEqualTo(bools(false, false, true));
    assertThat(run("Equal", Tensor.ofInts(Shape.of(0), new int[0]), Tensor.ofInts(Shape.scalar(), 1)))
        .isEqualTo(Tensor.ofBooleans(Shape.of(0)));
  }

  @Test
  void integersCompareExactlyAndUint64Unsigned() {
    Tensor x = Tensor.ofLongs(Shape.of(2), Long.MAX_VALUE, Long.MIN_VALUE);
    Tensor y = Tensor.ofLongs(Shape.of(2), Long.MAX_VALUE - 1, Long.MIN_VALUE + 1);
    assertThat(run("Greater", x, y)).isEqualTo(bools(true, false));
    Tensor big = uint64(-1L, 1);
    Tensor one = uint64(1, 1);
    assertThat(run("Greater", big, one)).isEqualTo(bools(true, false));
    Tensor bytes = Tensor.of(DType.UINT8, Shape.of(2), new byte[] {(byte) 200, 3});
    assertThat(run("Less", bytes, Tensor.of(DType.UINT8, Shape.scalar(), new byte[] {100})))
        .isEqualTo(bools(false, true));
  }

  @Test
  void equalityAlsoTakesBoolsAndStrings() {
    assertThat(run("Equal", bools(true, false, true), bools(true, true, false))).isEqualTo(bools(true, false, false));
    assertThat(run("NotEqual", bools(true, false), Tensor.ofBooleans(Shape.scalar(), false)))
        .isEqualTo(bools(true, false));
    Tensor words = Tensor.ofStrings(Shape.of(3), "cat", "", "dog");
    assertThat(run("Equal", words, Tensor.ofStrings(Shape.scalar(), "dog"))).isEqualTo(bools(false, false, true));
    assertThat(run("NotEqual", words, Tensor.ofStrings(Shape.of(3), "cat", "", "do"))).isEqualTo(bools(false, false, true));
  }

  @Test
  void incompatibleShapesFailUnlessEqualityIsToldNotTo() {
    Tensor x = Tensor.ofFloats(Shape.of(2), 1, 2);
    Tensor y = Tensor.ofFloats(Shape.of(3), 1, 2, 3);
    assertThatThrownBy(() -> run("Less", x, y)).isInstanceOf(KernelException.class)
        .hasMessage("Incompatible shapes: [2] vs. [3]");
    assertThatThrownBy(() -> run("Equal", x, y)).hasMessage("Incompatible shapes: [2] vs. [3]");
    assertThat(run(node("Equal").putAttr("incompatible_shape_error", bool(false)), x, y))
        .isEqualTo(Tensor.ofBooleans(Shape.scalar(), false));
    assertThat(run(node("NotEqual").putAttr("incompatible_shape_error", bool(false)), x, y))
        .isEqualTo(Tensor.ofBooleans(Shape.scalar(), true));
    assertThat(run(node("NotEqual").putAttr("incompatible_shape_error", bool(false)), x, x))
        .isEqualTo(bools(false, false));
  }

  @Test
  void dtypesAreChecked() {
    Tensor floats = Tensor.ofFloats(Shape.of(1), 1);
    assertThatThrownBy(() -> run("Equal", floats, Tensor.ofInts(Shape.of(1), 1)))
        .hasMessage("Input 'y' of 'Equal' Op has type int32 that does not match type float32 of argument 'x'.");
    Tensor words = Tensor.ofStrings(Shape.of(1), "a");
    assertThatThrownBy(() -> run("Less", words, words)).hasMessageStartingWith(
        "Unsupported dtype string for op Less (node less): no kernel registered for T=DT_STRING; supported: ");
    assertThatThrownBy(() -> run(node("Greater").putAttr("T", type(DType.BOOL)), floats, floats))
        .hasMessageStartingWith("Unsupported dtype bool for op Greater (node greater)");
  }

  @Test
  void logicalOpsBroadcastBools() {
    Tensor column = Tensor.ofBooleans(Shape.of(2, 1), true, false);
    Tensor row = bools(true, false);
    assertThat(run("LogicalAnd", column, row)).isEqualTo(bools(Shape.of(2, 2), "TFFF"));
    assertThat(run("LogicalOr", column, row)).isEqualTo(bools(Shape.of(2, 2), "TTTF"));
    assertThat(run("LogicalNot", row)).isEqualTo(bools(false, true));
    assertThat(run("LogicalNot", Tensor.ofBooleans(Shape.of(0, 2)))).isEqualTo(Tensor.ofBooleans(Shape.of(0, 2)));
    assertThatThrownBy(() -> run("LogicalAnd", row, bools(true, true, true)))
        .hasMessage("Incompatible shapes: [2] vs. [3]");
    assertThatThrownBy(() -> run("LogicalOr", row, Tensor.ofFloats(Shape.of(2), 1, 0)))
        .hasMessage("Input 'y' of 'LogicalOr' Op has type float32 that does not match expected type of bool.");
    assertThatThrownBy(() -> run("LogicalNot", Tensor.ofInts(Shape.of(1), 1)))
        .hasMessage("Input 'x' of 'LogicalNot' Op has type int32 that does not match expected type of bool.");
  }

  private static Tensor uint64(long... values) {
    ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asLongBuffer().put(values);
    return Tensor.wrap(DType.UINT64, Shape.of(values.length), buffer);
  }
}
