package io.sparkpoint.spark.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TensorStatsTest {
  private static TensorStats of(double... values) {
    TensorStats stats = new TensorStats();
    stats.addAll(values, values.length);
    return stats;
  }

  @Test
  void summarizesFiniteValues() {
    TensorStats stats = of(3, -4, 1, 0);
    assertThat(stats.min()).isEqualTo(-4.0);
    assertThat(stats.max()).isEqualTo(3.0);
    assertThat(stats.mean()).isEqualTo(0.0);
    assertThat(stats.l2Norm()).isCloseTo(Math.sqrt(26), within(1e-15));
    assertThat(stats.nanCount()).isZero();
  }

  @Test
  void countsNaNsAndLeavesThemOutOfTheRest() {
    TensorStats stats = of(Double.NaN, 2, Double.NaN, 4);
    assertThat(stats.nanCount()).isEqualTo(2);
    assertThat(stats.min()).isEqualTo(2.0);
    assertThat(stats.max()).isEqualTo(4.0);
    assertThat(stats.mean()).isEqualTo(3.0);
    assertThat(stats.l2Norm()).isCloseTo(Math.sqrt(20), within(1e-15));
  }

  @Test
  void anEmptyOrAllNaNTensorHasNoMinMaxOrMeanAndANormOfZero() {
    for (TensorStats stats : new TensorStats[] {of(), of(Double.NaN, Double.NaN)}) {
      assertThat(stats.min()).isNull();
      assertThat(stats.max()).isNull();
      assertThat(stats.mean()).isNull();
      assertThat(stats.l2Norm()).isZero();
    }
    assertThat(of(Double.NaN).nanCount()).isEqualTo(1);
  }

  @Test
  void infinitiesTakePartInMinMaxMeanAndNorm() {
    TensorStats up = of(1, Double.POSITIVE_INFINITY);
    assertThat(up.max()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(up.mean()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(up.l2Norm()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(of(Double.NEGATIVE_INFINITY, 1).mean()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(of(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY).mean()).isNaN();
  }

  @Test
  void theNormNeitherOverflowsNorUnderflows() {
    assertThat(of(1e300, 1e300).l2Norm()).isCloseTo(Math.sqrt(2) * 1e300, within(1e285));
    assertThat(of(3e-300, 4e-300).l2Norm()).isCloseTo(5e-300, within(1e-314));
  }

  @Test
  void theMeanKeepsPrecisionOverManySmallValuesAfterALargeOne() {
    TensorStats stats = new TensorStats();
    stats.add(1e16);
    for (int i = 0; i < 1000; i++) {
      stats.add(1);
    }
    stats.add(-1e16);
    assertThat(stats.mean()).isEqualTo(1000.0 / 1002);
  }
}
