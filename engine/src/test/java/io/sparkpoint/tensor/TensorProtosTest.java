package io.sparkpoint.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.sparkpoint.TestFixtures;
import io.sparkpoint.proto.DataType;
import io.sparkpoint.proto.TensorProto;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TensorProto in both directions, with TensorFlow's rules for typed values. */
class TensorProtosTest {
  @ParameterizedTest(name = "{0}")
  @EnumSource(TensorProtos.Encoding.class)
  void everyDtypeAndShapeRoundTripsThroughTheWire(TensorProtos.Encoding encoding) throws Exception {
    for (Map.Entry<String, Tensor> entry : TestFixtures.everyDtype(encoding.ordinal()).entrySet()) {
      Tensor tensor = entry.getValue();
      TensorProto proto = TensorProto.parseFrom(TensorProtos.toProto(tensor, encoding).toByteArray());
      assertThat(proto.getDtypeValue()).as(entry.getKey()).isEqualTo(tensor.dtype().number());
      assertThat(Shape.fromProto(proto.getTensorShape())).as(entry.getKey()).isEqualTo(tensor.shape());
      assertThat(TensorProtos.fromProto(proto)).as(entry.getKey()).isEqualTo(tensor);
    }
  }

  @Test
  void contentEncodingWritesTheCheckpointBytes() {
    Tensor tensor = Tensor.ofFloats(Shape.of(2), 1f, 2f);
    TensorProto proto = TensorProtos.toProto(tensor, TensorProtos.Encoding.CONTENT);
    assertThat(proto.getTensorContent().toByteArray()).isEqualTo(tensor.bytes());
    assertThat(proto.getFloatValCount()).isZero();
  }

  @Test
  void contentEncodingOfStringsIsVarintLengthsThenBytes() {
    TensorProto proto = TensorProtos.toProto(Tensor.ofStrings(Shape.of(2), "hi", ""), TensorProtos.Encoding.CONTENT);
    assertThat(proto.getTensorContent().toByteArray()).containsExactly(2, 0, 'h', 'i');
  }

  @Test
  void typedEncodingWritesHalvesAsBitsInHalfVal() {
    Tensor half = Tensor.of(DType.HALF, Shape.of(2), new byte[] {0x00, 0x3c, 0x00, (byte) 0xc1});
    TensorProto proto = TensorProtos.toProto(half, TensorProtos.Encoding.TYPED);
    assertThat(proto.getHalfValList()).containsExactly(0x3c00, 0xc100);
    assertThat(proto.getTensorContent().isEmpty()).isTrue();
  }

  @Test
  void pythonEncodingUsesContentOnlyForCommonNumbersWithSeveralElements() {
    assertThat(TensorProtos.toProto(Tensor.ofFloats(Shape.of(2, 3), new float[6]), TensorProtos.Encoding.PYTHON).getTensorContent().size()).isEqualTo(24);
    assertThat(TensorProtos.toProto(Tensor.scalar(42f), TensorProtos.Encoding.PYTHON).getFloatValList()).containsExactly(42f);
    assertThat(TensorProtos.toProto(Tensor.ofBooleans(Shape.of(3), true, false, true), TensorProtos.Encoding.PYTHON).getBoolValList())
        .containsExactly(true, false, true);
    assertThat(TensorProtos.toProto(Tensor.ofStrings(Shape.of(2), "a", "b"), TensorProtos.Encoding.PYTHON).getStringValCount()).isEqualTo(2);
  }

  @Test
  void aSingleTypedValueFillsTheWholeShape() {
    TensorProto floats = proto(DataType.DT_FLOAT, 2, 3).addFloatVal(7f).build();
    Tensor tensor = TensorProtos.fromProto(floats);
    assertThat(tensor).isEqualTo(Tensor.ofFloats(Shape.of(2, 3), 7f, 7f, 7f, 7f, 7f, 7f));
    TensorProto strings = proto(DataType.DT_STRING, 3).addStringVal(ByteString.copyFromUtf8("x")).build();
    assertThat(TensorProtos.fromProto(strings)).isEqualTo(Tensor.ofStrings(Shape.of(3), "x", "x", "x"));
  }

  @Test
  void fewerTypedValuesThanElementsRepeatTheLast() {
    TensorProto ints = proto(DataType.DT_INT32, 5).addIntVal(1).addIntVal(2).build();
    assertThat(TensorProtos.fromProto(ints)).isEqualTo(Tensor.ofInts(Shape.of(5), 1, 2, 2, 2, 2));
    TensorProto longs = proto(DataType.DT_INT64, 3).addInt64Val(-9).build();
    assertThat(TensorProtos.fromProto(longs)).isEqualTo(Tensor.ofLongs(Shape.of(3), -9, -9, -9));
    TensorProto complex = proto(DataType.DT_COMPLEX64, 2).addScomplexVal(1f).addScomplexVal(-1f).build();
    Tensor pairs = TensorProtos.fromProto(complex);
    assertThat(pairs.data().getFloat(8)).isEqualTo(1f);
    assertThat(pairs.data().getFloat(12)).isEqualTo(-1f);
  }

  @Test
  void noTypedValuesGiveZeros() {
    assertThat(TensorProtos.fromProto(proto(DataType.DT_DOUBLE, 3).build())).isEqualTo(Tensor.ofDoubles(Shape.of(3), 0, 0, 0));
    assertThat(TensorProtos.fromProto(proto(DataType.DT_BOOL, 2).build())).isEqualTo(Tensor.ofBooleans(Shape.of(2), false, false));
    Tensor strings = TensorProtos.fromProto(proto(DataType.DT_STRING, 2).build());
    assertThat(new String(strings.string(1), StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void tensorContentOfTheWrongSizeIsRefused() {
    TensorProto proto = proto(DataType.DT_FLOAT, 2).setTensorContent(ByteString.copyFrom(new byte[5])).build();
    assertThatThrownBy(() -> TensorProtos.fromProto(proto))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid tensor_content: 5 bytes for a float32 tensor of shape [2], expected 8");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = DataType.class, names = {"DT_RESOURCE", "DT_VARIANT"})
  void resourceAndVariantProtosAreUnsupported(DataType dtype) {
    String name = DType.fromNumber(dtype.getNumber()).pythonName();
    assertThatThrownBy(() -> TensorProtos.fromProto(proto(dtype).build()))
        .isInstanceOf(UnsupportedDTypeException.class)
        .hasMessageStartingWith("Unsupported dtype " + name + " for tensor (TensorProto)");
    assertThatThrownBy(() -> Tensor.of(DType.fromNumber(dtype.getNumber()), Shape.scalar(), new byte[0]))
        .isInstanceOf(UnsupportedDTypeException.class);
  }

  private static TensorProto.Builder proto(DataType dtype, long... dims) {
    return TensorProto.newBuilder().setDtype(dtype).setTensorShape(Shape.of(dims).toProto());
  }
}
