package io.sparkpoint.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * float16 and bfloat16 against the bit patterns TensorFlow 2.18 wrote in all_dtypes_v2
 * (tf-real MANIFEST.md), both ways, bit for bit.
 */
class HalfFloatsTest {
  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "3c00, 1.0",
    "c100, -2.5",
    "2e66, 0.0999755859375",
    "7bff, 65504.0",
    "0400, 6.103515625e-05",
    "0001, 5.960464477539063e-08",
    "7c00, Infinity",
    "7e00, NaN",
  })
  void halfBitsTensorFlowWroteReadAsTheirValues(String bits, double value) {
    assertThat(Float.floatToIntBits(HalfFloats.halfToFloat(bits(bits)))).isEqualTo(Float.floatToIntBits((float) value));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "1.0, 3c00",
    "-2.5, c100",
    "0.1, 2e66",
    "65504.0, 7bff",
    "6.103515625e-05, 0400",
    "5.960464477539063e-08, 0001",
    "Infinity, 7c00",
    "NaN, 7e00",
  })
  void floatsRoundToTheHalfBitsTensorFlowWrote(float value, String bits) {
    assertThat(hex(HalfFloats.floatToHalf(value))).isEqualTo(bits);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "3f80, 1.0",
    "c020, -2.5",
    "3dcd, 0.10009765625",
    "7f62, 3.00405527047391e+38",
    "0da2, 9.98402083170343e-31",
    "449a, 1232.0",
    "ff80, -Infinity",
    "7fc0, NaN",
  })
  void bfloat16BitsTensorFlowWroteReadAsTheirValues(String bits, double value) {
    float actual = HalfFloats.bfloat16ToFloat(bits(bits));
    assertThat(Float.floatToIntBits(actual)).isEqualTo(Float.floatToIntBits((float) value));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "1.0, 3f80",
    "-2.5, c020",
    "0.1, 3dcd",
    "3e38, 7f62",
    "1e-30, 0da2",
    "1234.5678, 449a",
    "-Infinity, ff80",
    "NaN, 7fc0",
  })
  void floatsRoundToTheBfloat16BitsTensorFlowWrote(float value, String bits) {
    assertThat(hex(HalfFloats.floatToBfloat16(value))).isEqualTo(bits);
  }

  @Test
  void everyHalfSurvivesARoundTripThroughFloat() {
    for (int bits = 0; bits <= 0xFFFF; bits++) {
      float value = HalfFloats.halfToFloat((short) bits);
      short back = HalfFloats.floatToHalf(value);
      if (Float.isNaN(value)) {
        assertThat(Float.isNaN(HalfFloats.halfToFloat(back))).as("%04x", bits).isTrue();
      } else {
        assertThat(hex(back)).as("%04x", bits).isEqualTo(String.format("%04x", bits));
      }
    }
  }

  @Test
  void everyBfloat16SurvivesARoundTripThroughFloat() {
    for (int bits = 0; bits <= 0xFFFF; bits++) {
      float value = HalfFloats.bfloat16ToFloat((short) bits);
      short back = HalfFloats.floatToBfloat16(value);
      if (Float.isNaN(value)) {
        assertThat(Float.isNaN(HalfFloats.bfloat16ToFloat(back))).as("%04x", bits).isTrue();
      } else {
        assertThat(hex(back)).as("%04x", bits).isEqualTo(String.format("%04x", bits));
      }
    }
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "65519.0, 7bff", // below the midpoint to infinity
    "65520.0, 7c00", // the midpoint rounds to even: infinity
    "1e6, 7c00",
    "-1e6, fc00",
    "1.00048828125, 3c00", // 1 + 2^-11: tie, stays on the even 1.0
    "1.00146484375, 3c02", // 1 + 3 * 2^-11: tie, goes to the even 1 + 2^-9
    "2.9802322387695312e-08, 0000", // 2^-25: tie between 0 and the smallest subnormal
    "8.940696716308594e-08, 0002", // 3 * 2^-25: tie, goes to the even 2 * 2^-24
    "-0.0, 8000",
    "1e-10, 0000",
  })
  void halfRoundsToNearestEvenAndOverflowsToInfinity(float value, String bits) {
    assertThat(hex(HalfFloats.floatToHalf(value))).isEqualTo(bits);
  }

  @Test
  void bfloat16RoundsToNearestEven() {
    assertThat(hex(HalfFloats.floatToBfloat16(Float.intBitsToFloat(0x3f808000)))).isEqualTo("3f80"); // tie, even stays
    assertThat(hex(HalfFloats.floatToBfloat16(Float.intBitsToFloat(0x3f818000)))).isEqualTo("3f82"); // tie, odd rounds up
    assertThat(hex(HalfFloats.floatToBfloat16(Float.intBitsToFloat(0x3f808001)))).isEqualTo("3f81");
    assertThat(hex(HalfFloats.floatToBfloat16(Float.MAX_VALUE))).isEqualTo("7f80"); // rounds up into infinity
  }

  private static short bits(String hex) {
    return (short) Integer.parseInt(hex, 16);
  }

  private static String hex(short bits) {
    return String.format("%04x", bits & 0xFFFF);
  }
}
