package io.sparkpoint.spark.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringEndsWith;
import org.apache.spark.sql.sources.StringStartsWith;
import org.junit.jupiter.api.Test;

class ScanFilterTest {
  private static ScanFilter of(Filter... filters) {
    return ScanFilter.of(filters);
  }

  @Test
  void keepsOnlyFiltersOnCheckpointStepAndNameWithLiteralsOfTheirType() {
    ScanFilter filter = of(new EqualTo("name", "w"), new EqualTo("dtype", "float32"), new EqualTo("step", "7"),
        new StringEndsWith("name", "/Adam"), new GreaterThan("step", 5L));
    assertThat(filter.filters()).containsExactly(new EqualTo("name", "w"), new GreaterThan("step", 5L));
  }

  @Test
  void namesAreMatchedByEqualityListsAndPrefixes() {
    assertThat(of(new EqualTo("name", "w")).accepts("p", 1L, "w")).isTrue();
    assertThat(of(new EqualTo("name", "w")).accepts("p", 1L, "b")).isFalse();
    assertThat(of(new In("name", new Object[] {"a", "b"})).accepts("p", 1L, "b")).isTrue();
    assertThat(of(new StringStartsWith("name", "dense/")).accepts("p", 1L, "dense/kernel")).isTrue();
    assertThat(of(new StringStartsWith("name", "dense/")).accepts("p", 1L, "conv/kernel")).isFalse();
  }

  @Test
  void stepsCompareAsNumbersAndANullStepPassesNoComparison() {
    ScanFilter range = of(new GreaterThanOrEqual("step", 10L), new LessThan("step", 20L));
    assertThat(range.acceptsCheckpoint("m-10", 10L)).isTrue();
    assertThat(range.acceptsCheckpoint("m-9", 9L)).isFalse();
    assertThat(range.acceptsCheckpoint("m-20", 20L)).isFalse();
    assertThat(range.acceptsCheckpoint("m", null)).isFalse();
    assertThat(of(new IsNotNull("step")).acceptsCheckpoint("m", null)).isFalse();
  }

  @Test
  void checkpointsAreJudgedWithoutTheFiltersThatNeedAName() {
    ScanFilter filter = of(new EqualTo("step", 2L), new EqualTo("name", "w"));
    assertThat(filter.acceptsCheckpoint("m-2", 2L)).isTrue();
    assertThat(filter.acceptsCheckpoint("m-1", 1L)).isFalse();
    assertThat(of(new Or(new EqualTo("step", 1L), new EqualTo("name", "w"))).acceptsCheckpoint("m-2", 2L)).isTrue();
  }

  @Test
  void andOrAndNotCombine() {
    ScanFilter filter = of(new And(new Not(new EqualTo("name", "global_step")), new Or(new EqualTo("step", 1L), new EqualTo("step", 3L))));
    assertThat(filter.accepts("m-3", 3L, "w")).isTrue();
    assertThat(filter.accepts("m-3", 3L, "global_step")).isFalse();
    assertThat(filter.accepts("m-2", 2L, "w")).isFalse();
  }
}
