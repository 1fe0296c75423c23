package io.sparkpoint.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.UnsupportedDTypeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Tensors to ND4J arrays and back, for every dtype ND4J has; the one test class that loads ND4J's natives. */
class NdArraysTest {
  static Stream<Arguments> tensors() {
    return Stream.of(
        Arguments.of(DType.FLOAT, DataType.FLOAT, floats(1.5f, -2.25f, Float.MAX_VALUE, Float.MIN_VALUE, -0.0f, 3.14f)),
        Arguments.of(DType.DOUBLE, DataType.DOUBLE, doubles(1.5, -2.25, Double.MAX_VALUE, Double.MIN_VALUE, -0.0, Math.PI)),
        Arguments.of(DType.HALF, DataType.HALF, shorts(0x3c00, 0xc100, 0x2e66, 0x7bff, 0x0400, 0x0001)),
        Arguments.of(DType.BFLOAT16, DataType.BFLOAT16, shorts(0x3f80, 0xc020, 0x3dcd, 0x7f62, 0x0da2, 0x449a)),
        Arguments.of(DType.INT8, DataType.BYTE, bytes(-128, 127, 0, -1, 5, 100)),
        Arguments.of(DType.INT16, DataType.SHORT, shorts(Short.MIN_VALUE, Short.MAX_VALUE, 0, -1, 5, 1000)),
        Arguments.of(DType.INT32, DataType.INT, ints(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 5, 100_000)),
        Arguments.of(DType.INT64, DataType.LONG, longs(Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 5, 1L << 40)),
        Arguments.of(DType.UINT8, DataType.UBYTE, bytes(0, 255, 128, 1, 127, 200)),
        Arguments.of(DType.UINT16, DataType.UINT16, shorts(0, 0xFFFF, 0x8000, 1, 0x7FFF, 40000)),
        Arguments.of(DType.UINT32, DataType.UINT32, ints(0, 0xFFFFFFFF, 0x80000000, 1, Integer.MAX_VALUE, 3_000_000_000L)),
        Arguments.of(DType.UINT64, DataType.UINT64, longs(0, Long.MAX_VALUE, 1L << 62, 1, 1L << 40, 12345)),
        Arguments.of(DType.BOOL, DataType.BOOL, bytes(1, 0, 1, 1, 0, 0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tensors")
  void tensorsRoundTripThroughNd4jWithTheirTypeShapeAndValues(DType dtype, DataType nd4jType, ByteBuffer bytes) {
    Tensor tensor = Tensor.wrap(dtype, Shape.of(2, 3), bytes);
    INDArray array = NdArrays.toNd4j(tensor);
    assertThat(array.dataType()).isEqualTo(nd4jType);
    assertThat(array.shape()).containsExactly(2, 3);
    assertThat(array.getDouble(1, 0)).as("row-major order").isEqualTo(tensor.doubleAt(3));
    assertThat(NdArrays.dtypeOf(array.dataType())).isEqualTo(dtype);
    assertThat(NdArrays.fromNd4j(array)).isEqualTo(tensor);
  }

  @Test
  void fortranOrderedArraysComeBackInRowMajorOrder() {
    INDArray array = NdArrays.toNd4j(Tensor.ofInts(Shape.of(2, 3), 0, 1, 2, 3, 4, 5)).dup('f');
    assertThat(NdArrays.fromNd4j(array)).isEqualTo(Tensor.ofInts(Shape.of(2, 3), 0, 1, 2, 3, 4, 5));
  }

  @Test
  void scalarsStayScalars() {
    INDArray array = NdArrays.toNd4j(Tensor.scalar(42f));
    assertThat(array.rank()).isZero();
    assertThat(array.getFloat(0)).isEqualTo(42f);
    assertThat(NdArrays.fromNd4j(array)).isEqualTo(Tensor.scalar(42f));
  }

  @Test
  void emptyTensorsKeepTheirShape() {
    for (Shape shape : new Shape[] {Shape.of(0), Shape.of(2, 0)}) {
      Tensor empty = Tensor.of(DType.FLOAT, shape, new byte[0]);
      INDArray array = NdArrays.toNd4j(empty);
      assertThat(array.isEmpty()).isTrue();
      assertThat(NdArrays.fromNd4j(array)).isEqualTo(empty);
    }
  }

  @Test
  void complexAndStringTensorsHaveNoNd4jType() {
    assertThatThrownBy(() -> NdArrays.toNd4j(Tensor.of(DType.COMPLEX64, Shape.of(1), new byte[8])))
        .isInstanceOf(UnsupportedDTypeException.class)
        .hasMessage("Unsupported dtype complex64 for ND4J: ND4J has no complex64 arrays");
    assertThatThrownBy(() -> NdArrays.toNd4j(Tensor.ofStrings(Shape.of(1), "a")))
        .isInstanceOf(UnsupportedDTypeException.class)
        .hasMessage("Unsupported dtype string for ND4J: ND4J has no string arrays");
  }

  private static ByteBuffer buffer(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer floats(float... values) {
    ByteBuffer buffer = buffer(values.length * 4);
    for (float v : values) {
      buffer.putFloat(v);
    }
    return buffer.flip();
  }

  private static ByteBuffer doubles(double... values) {
    ByteBuffer buffer = buffer(values.length * 8);
    for (double v : values) {
      buffer.putDouble(v);
    }
    return buffer.flip();
  }

  private static ByteBuffer bytes(int... values) {
    ByteBuffer buffer = buffer(values.length);
    for (int v : values) {
      buffer.put((byte) v);
    }
    return buffer.flip();
  }

  private static ByteBuffer shorts(int... values) {
    ByteBuffer buffer = buffer(values.length * 2);
    for (int v : values) {
      buffer.putShort((short) v);
    }
    return buffer.flip();
  }

  private static ByteBuffer ints(long... values) {
    ByteBuffer buffer = buffer(values.length * 4);
    for (long v : values) {
      buffer.putInt((int) v);
    }
    return buffer.flip();
  }

  private static ByteBuffer longs(long... values) {
    ByteBuffer buffer = buffer(values.length * 8);
    for (long v : values) {
      buffer.putLong(v);
    }
    return buffer.flip();
  }
}
