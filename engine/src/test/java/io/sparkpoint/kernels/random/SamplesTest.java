package io.sparkpoint.kernels.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Words to numbers: mantissa-bit uniforms, and the glibc float log and sincos Box-Muller uses. */
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
  void logfRoundsLikeGlibcWhereTheNearestFloatDiffers() {
    // glibc's value, then the correctly rounded one (StrictMath's) one ulp away
    assertThat(GlibcFloatMath.log(0x1.b40808p-1f)).isEqualTo(-0x1.48ee1ep-3f).isNotEqualTo((float) StrictMath.log(0x1.b40808p-1f));
    assertThat(GlibcFloatMath.log(0x1.d46a3cp-1f)).isEqualTo(-0x1.6c6bd2p-4f);
    assertThat(GlibcFloatMath.log(0x1.d6592cp-1f)).isEqualTo(-0x1.5b8cdp-4f);
    assertThat(GlibcFloatMath.log(1.0f)).isEqualTo(0.0f);
    assertThat(GlibcFloatMath.log(0.5f)).isEqualTo((float) -Math.log(2));
  }

  @Test
  void sincosfRoundsLikeGlibcInEveryQuadrant() {
    assertThat(sincos(0x1.29ad9cp-5f)[0]).isEqualTo(0x1.299cd8p-5f);
    assertThat(sincos(0x1.97b61ep-2f)[0]).isEqualTo(0x1.8d0632p-2f);
    assertThat(sincos(0x1.7f086p-1f)[1]).isEqualTo(0x1.77488ap-1f);
    assertThat(sincos(0x1.6078d2p0f)[1]).isEqualTo(0x1.8abac4p-3f);
    assertThat(sincos(0x1.c93eb6p0f)[1]).isEqualTo(-0x1.b591c6p-3f);
    assertThat(sincos(0f)).containsExactly(0f, 1f);
    assertThat(sincos(0x1p-13f)).containsExactly(0x1p-13f, 1f);
  }

  @Test
  void sincosfStaysWithinOneUlpOfTheTrueValuesOverTheWholeCircle() {
    for (int m = 0; m < 1 << 23; m += 997) {
      float angle = (float) (2.0 * Math.PI * Samples.uint32ToFloat(m));
      float[] both = sincos(angle);
      assertThat(ulpsApart(both[0], (float) StrictMath.sin(angle))).as("sin %s", angle).isLessThanOrEqualTo(1);
      assertThat(ulpsApart(both[1], (float) StrictMath.cos(angle))).as("cos %s", angle).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void argumentsBoxMullerNeverPassesAreRefused() {
    assertThatThrownBy(() -> GlibcFloatMath.log(2f)).hasMessage("Invalid argument for logf: 2.0; expected [2^-126, 1]");
    assertThatThrownBy(() -> GlibcFloatMath.log(0f)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sincos(-1f)).hasMessage("Invalid argument for sincosf: -1.0; expected [0, 120)");
    assertThatThrownBy(() -> sincos(200f)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void boxMullerKeepsTinyUniformsAwayFromLogOfZero() {
    float[] pair = new float[2];
    Samples.boxMullerFloat(0, 0, pair);
    assertThat(pair[1]).isEqualTo((float) Math.sqrt(-2.0f * GlibcFloatMath.log(1.0e-7f)));
    assertThat(pair[0]).isEqualTo(0f);
    double[] pairs = new double[2];
    Samples.boxMullerDouble(0, 0, 0, 0, pairs);
    assertThat(pairs).containsExactly(0.0, Math.sqrt(-2.0 * Math.log(1.0e-7)));
  }

  /** How many floats lie between a and b, plus one (both of the same sign). */
  private static int ulpsApart(float a, float b) {
    return Math.abs(Float.floatToIntBits(a) - Float.floatToIntBits(b));
  }

  private static float[] sincos(float angle) {
    float[] out = new float[2];
    GlibcFloatMath.sincos(angle, out);
    return out;
  }
}
