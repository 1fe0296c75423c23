package io.sparkpoint.kernels.math;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.HalfFloats;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FloorDiv, FloorMod and Mod against hand-computed values, TF's C++ semantics for every sign. */
class DivModKernelsTest {
  private static final Shape S6 = Shape.of(6);
  private static final Tensor X = Tensor.ofInts(S6, 7, -7, 7, -7, 0, -1);
  private static final Tensor Y = Tensor.ofInts(S6, 2, 2, -2, -2, 3, 3);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "FloorDiv; 3, -4, -4, 3, 0, -1",
      "FloorMod; 1, 1, -1, -1, 0, 2",
      "Mod;      1, -1, 1, -1, 0, -1"})
  void integersRoundAsTfDoes(String op, String expected) {
    int[] values = java.util.Arrays.stream(expected.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    assertClose(run(op, X, Y), Tensor.ofInts(S6, values));
    long[] longs = java.util.Arrays.stream(values).asLongStream().toArray();
    assertClose(run(op, longs(7, -7, 7, -7, 0, -1), longs(2, 2, -2, -2, 3, 3)), Tensor.ofLongs(S6, longs));
  }

  @Test
  void theLowestIntegerOverMinusOneWrapsAndTheFloorNeverOverflows() {
    Tensor x = Tensor.ofInts(Shape.of(4), Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE);
    Tensor y = Tensor.ofInts(Shape.of(4), -1, 3, -1, Integer.MAX_VALUE);
    assertClose(run("FloorDiv", x, y), Tensor.ofInts(Shape.of(4), Integer.MIN_VALUE, -715827883, -Integer.MAX_VALUE, -2));
    assertClose(run("FloorMod", x, y), Tensor.ofInts(Shape.of(4), 0, 1, 0, Integer.MAX_VALUE - 1));
    assertClose(run("Mod", x, y), Tensor.ofInts(Shape.of(4), 0, -2, 0, -1));
    assertClose(run("FloorDiv", longs(Long.MIN_VALUE), longs(-1)), longs(Long.MIN_VALUE));
  }

  @Test
  void floatsFloorTheQuotientAndTakeTheDivisorsSign() {
    Tensor x = Tensor.ofFloats(Shape.of(4), 7.5f, -7.5f, 7.5f, -7.5f);
    Tensor y = Tensor.ofFloats(Shape.of(4), 2, 2, -2, -2);
    assertClose(run("FloorDiv", x, y), Tensor.ofFloats(Shape.of(4), 3, -4, -4, 3));
    assertClose(run("FloorMod", x, y), Tensor.ofFloats(Shape.of(4), 1.5f, 0.5f, -0.5f, -1.5f));
    assertClose(run("Mod", x, y), Tensor.ofFloats(Shape.of(4), 1.5f, -1.5f, 1.5f, -1.5f));
    Tensor d = Tensor.ofDoubles(Shape.of(2), -1, 5.25);
    assertClose(run("FloorMod", d, Tensor.ofDoubles(Shape.of(2), 0.75, -1)), Tensor.ofDoubles(Shape.of(2), 0.5, -0.75));
  }

  @Test
  void floatDivisionByZeroGivesInfinitiesAndNaN() {
    Tensor x = Tensor.ofFloats(Shape.of(3), 1, -1, 0);
    Tensor zero = Tensor.ofFloats(Shape.of(3), 0, 0, 0);
    Tensor div = run("FloorDiv", x, zero);
    assertThat(div.doubleAt(0)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(div.doubleAt(1)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(div.doubleAt(2)).isNaN();
    assertThat(run("FloorMod", x, zero).doubleAt(0)).isNaN();
    assertThat(run("Mod", x, zero).doubleAt(1)).isNaN();
  }

  @Test
  void operandsBroadcast() {
    Tensor x = Tensor.ofInts(Shape.of(2, 3), 5, 6, 7, -5, -6, -7);
    assertClose(run("FloorDiv", x, Tensor.ofInts(Shape.of(3), 2, 3, 4)), Tensor.ofInts(Shape.of(2, 3), 2, 2, 1, -3, -2, -2));
    assertClose(run("FloorMod", Tensor.ofInts(Shape.scalar(), 7), x), Tensor.ofInts(Shape.of(2, 3), 2, 1, 0, -3, -5, 0));
    assertClose(run("Mod", Tensor.ofInts(Shape.of(2, 1), 9, -9), Tensor.ofInts(Shape.of(1, 2), 4, 5)),
        Tensor.ofInts(Shape.of(2, 2), 1, 4, -1, -4));
    assertThat(run("FloorDiv", Tensor.ofFloats(Shape.of(0, 3)), Tensor.ofFloats(Shape.of(3), 1, 2, 3)).shape())
        .isEqualTo(Shape.of(0, 3));
  }

  @Test
  void narrowAndUnsignedIntegers() {
    assertThat(run("FloorDiv", bytes(DType.INT8, -128, 7), bytes(DType.INT8, -1, -2))).isEqualTo(bytes(DType.INT8, -128, -4));
    assertThat(run("FloorMod", bytes(DType.INT8, -128, 7), bytes(DType.INT8, -1, -2))).isEqualTo(bytes(DType.INT8, 0, -1));
    assertThat(run("FloorDiv", bytes(DType.UINT8, 200, 7), bytes(DType.UINT8, 3, 2))).isEqualTo(bytes(DType.UINT8, 66, 3));
    Tensor max = Tensor.of(DType.UINT64, Shape.of(1), le(-1L));
    Tensor two = Tensor.of(DType.UINT64, Shape.of(1), le(2L));
    assertThat(run("FloorDiv", max, two)).isEqualTo(Tensor.of(DType.UINT64, Shape.of(1), le(Long.MAX_VALUE)));
    assertThat(run("FloorMod", max, two)).isEqualTo(Tensor.of(DType.UINT64, Shape.of(1), le(1L)));
  }

  @Test
  void halfFloatsRoundTheQuotientToHalf() {
    Tensor x = half(7, -7, 2049);
    Tensor y = half(2, 2, 1);
    assertThat(run("FloorDiv", x, y)).isEqualTo(half(3, -4, 2048));
    assertThat(run("FloorMod", x, y)).isEqualTo(half(1, 1, 0));
  }

  @Test
  void integerDivisionByZeroFailsTheWholeOp() {
    for (String op : new String[] {"FloorDiv", "FloorMod", "Mod"}) {
      assertThatThrownBy(() -> run(op, Tensor.ofInts(Shape.of(2), 1, 2), Tensor.ofInts(Shape.scalar(), 0)))
          .isInstanceOf(KernelException.class).hasMessage("Integer division by zero");
    }
    assertThatThrownBy(() -> run("FloorDiv", bytes(DType.UINT8, 1), bytes(DType.UINT8, 0)))
        .hasMessage("Integer division by zero");
  }

  @Test
  void dtypeAndShapeErrors() {
    assertThatThrownBy(() -> run("Mod", bytes(DType.INT8, 1), bytes(DType.INT8, 1)))
        .hasMessageStartingWith("Unsupported dtype int8 for op Mod (node mod)");
    assertThatThrownBy(() -> run("FloorDiv", Tensor.ofInts(Shape.of(1), 1), longs(1)))
        .hasMessage("Input 'y' of 'FloorDiv' Op has type int64 that does not match type int32 of argument 'x'.");
    assertThatThrownBy(() -> run("FloorMod", Tensor.ofInts(Shape.of(2), 1, 2), Tensor.ofInts(Shape.of(3), 1, 2, 3)))
        .hasMessage("Incompatible shapes: [2] vs. [3]");
    assertThatThrownBy(() -> run("FloorDiv", Tensor.ofBooleans(Shape.of(1), true), Tensor.ofBooleans(Shape.of(1), true)))
        .hasMessageStartingWith("Unsupported dtype bool for op FloorDiv");
  }

  private static Tensor longs(long... values) {
    return Tensor.ofLongs(Shape.of(values.length), values);
  }

  private static Tensor bytes(DType type, int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) values[i];
    }
    return Tensor.of(type, Shape.of(values.length), b);
  }

  private static byte[] le(long value) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
  }

  private static Tensor half(float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putShort(HalfFloats.floatToHalf(v));
    }
    return Tensor.of(DType.HALF, Shape.of(values.length), b.array());
  }
}
