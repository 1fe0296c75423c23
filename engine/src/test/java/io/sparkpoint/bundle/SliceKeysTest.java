package io.sparkpoint.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.bytes.UnsignedBytes;
import io.sparkpoint.tensor.TensorSlice;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SliceKeysTest {
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "p, '0,2:-', 0070000101028082807f",
    "p, '2,2:-', 0070000101028282807f",
    "w, '0,2:0,2', 00770001010280828082",
    "emb, '4,2:-', 00656d6200010102848280 7f",
  })
  void sliceKeysMatchTensorFlow(String name, String slice, String hex) {
    assertThat(UnsignedBytes.hex(SliceKeys.encode(name, TensorSlice.parse(slice)))).isEqualTo(hex.replace(" ", ""));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"0, 80", "2, 82", "-1, 7f", "100, c064", "-100, 3f9c", "9223372036854775807, ffc07fffffffffffffff"})
  void signedNumbersAreOrderPreserving(long value, String hex) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SliceKeys.writeSignedNumIncreasing(out, value);
    assertThat(UnsignedBytes.hex(out.toByteArray())).isEqualTo(hex);
  }
}
