package io.sparkpoint.kernels.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Words to numbers: mantissa-bit uniforms and the Box-Muller transform. */
class SamplesTest {
  @Test
  void aFloatUniformIsTheLow23BitsOverTwoTo23() {
    assertThat(Samples.uint32ToFloat(0)).isEqualTo(0.0f);
    assertThat(Samples.uint32ToFloat(0xFF800000)).isEqualTo(0.0f);
    assertThat(Samples.uint32ToFloat(1)).isEqualTo(0x1p-23f);
    assertThat(Samples.uint32ToFloat(-1)).isEqualTo(1 - 0x1p-23f);
  }

  @Test
  void aDoubleUniformTakesTwentyBitsOfTheFirstWordAndAllOfTheSecond() {
    assertThat(Samples.uint64ToDouble(0, 0)).isEqualTo(0.0);
    assertThat(Samples.uint64ToDouble(0xFFF00000, 1)).isEqualTo(0x1p-52);
    assertThat(Samples.uint64ToDouble(1, 0)).isEqualTo(0x1p-20);
    assertThat(Samples.uint64ToDouble(-1, -1)).isEqualTo(1 - 0x1p-52);
  }

  @Test
  void halfAndBfloat16UniformsUseTheirMantissaWidthOfLowBits() {
    assertThat(Samples.uint16ToHalf(0xFFFF_FC01)).isEqualTo(0x1p-10f);
    assertThat(Samples.uint16ToHalf(0x3FF)).isEqualTo(1 - 0x1p-10f);
    assertThat(Samples.uint16ToBfloat16(0xFF81)).isEqualTo(0x1p-7f);
    assertThat(Samples.uint16ToBfloat16(0x7F)).isEqualTo(1 - 0x1p-7f);
  }

  @Test
  void boxMullerKeepsTinyUniformsAwayFromLogOfZero() {
    float[] pair = new float[2];
    Samples.boxMullerFloat(0, 0, pair);
    assertThat(pair[1]).isEqualTo((float) Math.sqrt(-2.0f * (float) Math.log(1.0e-7f)));
    assertThat(pair[0]).isEqualTo(0f);
    double[] pairs = new double[2];
    Samples.boxMullerDouble(0, 0, 0, 0, pairs);
    assertThat(pairs).containsExactly(0.0, Math.sqrt(-2.0 * Math.log(1.0e-7)));
  }
}
