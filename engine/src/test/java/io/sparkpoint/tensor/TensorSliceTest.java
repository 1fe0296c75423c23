package io.sparkpoint.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Slice specs as SaveV2 and RestoreV2 take them, and TensorFlow's wording for bad ones (format facts §1.7). */
class TensorSliceTest {
  @Test
  void shapeAndSliceParsesAndPrintsAsTensorFlowWritesIt() {
    ShapeAndSlice spec = ShapeAndSlice.parse("4 2 0,2:-");
    assertThat(spec.fullShape()).isEqualTo(Shape.of(4, 2));
    assertThat(spec.slice().sliceShape(spec.fullShape())).isEqualTo(Shape.of(2, 2));
    assertThat(spec).hasToString("4 2 0,2:-");
    assertThat(TensorSlice.parse("").rank()).isZero();
    assertThatThrownBy(() -> ShapeAndSlice.parse(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Need least two elements in shape_and_slice specification: ");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
    "4|Need least two elements in shape_and_slice specification: 4",
    "4 x 0,2|Non numerical dimension in shape_and_slice: 4 x 0,2",
    "4 2 0,2:a,b|Expected a pair of numbers or '-' but got 'a,b': string = 0,2:a,b",
    "4 2 0:-|Expected a pair of numbers or '-' but got '0': string = 0:-",
    "4 2 0,1,2:-|Expected a pair of numbers or '-' but got '0,1,2': string = 0,1,2:-",
  })
  void malformedSpecsAreRefusedInTensorFlowsWords(String spec, String message) {
    assertThatThrownBy(() -> ShapeAndSlice.parse(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource({"'4 2 0,5:-'", "'4 2 3,2:-'", "'4 9223372036854775807,1'", "'4 1,9223372036854775807'", "'4 2 0,2'"})
  void slicesReachingOutsideTheShapeAreRefused(String spec) {
    assertThatThrownBy(() -> ShapeAndSlice.parse(spec)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(spec.substring(spec.lastIndexOf(' ') + 1));
  }

  @Test
  void extentsMustHaveANonNegativeStartAndAPositiveLength() {
    assertThatThrownBy(() -> TensorSlice.parse("0,0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid slice extent '0,0' in 0,0");
    assertThatThrownBy(() -> TensorSlice.of(new long[] {-1}, new long[] {2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid slice extent in dimension 0: start -1, length 2");
  }

  @Test
  void protoRoundTripKeepsFullDimensionsAsEmptyExtents() {
    TensorSlice slice = TensorSlice.parse("2,2:-");
    assertThat(slice.toProto().getExtent(1).hasLength()).isFalse();
    assertThat(TensorSlice.fromProto(slice.toProto())).isEqualTo(slice);
    assertThat(slice.coversAll(Shape.of(4, 2))).isFalse();
    assertThat(TensorSlice.parse("0,4:0,2").coversAll(Shape.of(4, 2))).isTrue();
  }
}
