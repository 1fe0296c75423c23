package io.sparkpoint.spark.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DoubleElementsTest {
  private static double[] of(DType dtype, int... bytes) {
    byte[] data = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      data[i] = (byte) bytes[i];
    }
    return DoubleElements.all(Tensor.of(dtype, Shape.of(bytes.length / dtype.byteWidth()), data));
  }

  @Test
  void floatsDoublesAndIntegersDecodeExactly() {
    assertThat(DoubleElements.all(Tensor.ofFloats(Shape.of(3), 1.5f, -0.0f, Float.NaN))).containsExactly(1.5, -0.0, Double.NaN);
    assertThat(DoubleElements.all(Tensor.ofDoubles(Shape.of(2), 1e300, -2.5))).containsExactly(1e300, -2.5);
    assertThat(DoubleElements.all(Tensor.ofInts(Shape.of(2), Integer.MIN_VALUE, 7))).containsExactly(-2147483648.0, 7.0);
    assertThat(DoubleElements.all(Tensor.ofLongs(Shape.of(1), 1L << 53))).containsExactly(9007199254740992.0);
    assertThat(DoubleElements.all(Tensor.ofBooleans(Shape.of(2), true, false))).containsExactly(1.0, 0.0);
  }

  @Test
  void unsignedTypesAreZeroExtended() {
    assertThat(of(DType.UINT8, 0xFF)).containsExactly(255.0);
    assertThat(of(DType.UINT16, 0xFF, 0xFF)).containsExactly(65535.0);
    assertThat(of(DType.UINT32, 0xFF, 0xFF, 0xFF, 0xFF)).containsExactly(4294967295.0);
    assertThat(of(DType.UINT64, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)).containsExactly(18446744073709551615.0);
    assertThat(of(DType.INT8, 0x80)).containsExactly(-128.0);
  }

  @Test
  void fourBitIntegersUseTheLowNibble() {
    assertThat(of(DType.INT4, 0x0F, 0x07, 0xF8)).containsExactly(-1.0, 7.0, -8.0);
    assertThat(of(DType.UINT4, 0x0F, 0x07)).containsExactly(15.0, 7.0);
  }

  @Test
  void halfWidthAndFloat8TypesWidenExactly() {
    assertThat(of(DType.HALF, 0x00, 0x3C, 0x00, 0xC1)).containsExactly(1.0, -2.5);
    assertThat(of(DType.BFLOAT16, 0x80, 0x3F)).containsExactly(1.0);
    assertThat(of(DType.FLOAT8_E5M2, 0x3C, 0x7C, 0x7F)).containsExactly(1.0, Double.POSITIVE_INFINITY, Double.NaN);
    assertThat(of(DType.FLOAT8_E4M3FN, 0x38, 0x7E, 0xFE, 0x01, 0x7F)).containsExactly(1.0, 448.0, -448.0, 0x1p-9, Double.NaN);
  }

  @Test
  void stringsAndComplexNumbersHaveNoDoubleView() {
    assertThat(DoubleElements.hasDoubleView(DType.STRING)).isFalse();
    assertThat(DoubleElements.hasDoubleView(DType.COMPLEX64)).isFalse();
    assertThat(DoubleElements.hasDoubleView(DType.BOOL)).isTrue();
  }
}
