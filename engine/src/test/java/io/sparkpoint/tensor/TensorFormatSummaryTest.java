package io.sparkpoint.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link TensorFormat#summarized}: large tensors printed as numpy prints them, edges of each long axis only. */
class TensorFormatSummaryTest {
  private static Tensor range(long... dims) {
    int[] values = new int[(int) Shape.of(dims).numElements()];
    Arrays.setAll(values, i -> i);
    return Tensor.ofInts(Shape.of(dims), values);
  }

  @Test
  void aLongVectorKeepsItsFirstAndLastEntries() {
    assertThat(TensorFormat.summarized(range(10), 3)).isEqualTo("[0, 1, 2, ..., 7, 8, 9]");
  }

  @Test
  void shortAxesArePrintedWhole() {
    assertThat(TensorFormat.summarized(range(6), 3)).isEqualTo("[0, 1, 2, 3, 4, 5]");
    assertThat(TensorFormat.summarized(range(2, 3), 3)).isEqualTo("[[0, 1, 2],\n [3, 4, 5]]");
  }

  @Test
  void everyLongAxisIsCut() {
    assertThat(TensorFormat.summarized(range(8, 10), 2)).isEqualTo(
        "[[0, 1, ..., 8, 9],\n [10, 11, ..., 18, 19],\n ...,\n [60, 61, ..., 68, 69],\n [70, 71, ..., 78, 79]]");
  }

  @Test
  void scalarsAndEmptyTensorsAreUnchanged() {
    assertThat(TensorFormat.summarized(Tensor.scalar(1.5f), 3)).isEqualTo("1.5");
    assertThat(TensorFormat.summarized(Tensor.ofFloats(Shape.of(0)), 3)).isEqualTo("[]");
  }
}
