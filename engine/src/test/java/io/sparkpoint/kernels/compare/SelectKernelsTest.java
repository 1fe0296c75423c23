package io.sparkpoint.kernels.compare;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.compare.ComparisonKernelsTest.bools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Select (TF1's three condition shapes) and SelectV2 (broadcasting) against hand-computed values. */
class SelectKernelsTest {
  /** [[1,2,3],[4,5,6]] */
  private static final Tensor T = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
  /** [[-1,-2,-3],[-4,-5,-6]] */
  private static final Tensor E = Tensor.ofFloats(Shape.of(2, 3), -1, -2, -3, -4, -5, -6);

  private static Tensor scalar(boolean value) {
    return Tensor.ofBooleans(Shape.scalar(), value);
  }

  @Test
  void selectWithScalarConditionTakesAWholeInput() {
    assertThat(run("Select", scalar(true), T, E)).isEqualTo(T);
    assertThat(run("Select", scalar(false), T, E)).isEqualTo(E);
  }

  @Test
  void selectWithConditionOfTheSameShapePicksEachElement() {
    Tensor cond = bools(Shape.of(2, 3), "TFTFFT");
    assertClose(run("Select", cond, T, E), Tensor.ofFloats(Shape.of(2, 3), 1, -2, 3, -4, -5, 6));
    assertClose(run("Select", bools(true, false), Tensor.ofInts(Shape.of(2), 7, 8), Tensor.ofInts(Shape.of(2), 9, 10)),
        Tensor.ofInts(Shape.of(2), 7, 10));
  }

  @Test
  void selectWithVectorConditionPicksRows() {
    assertClose(run("Select", bools(false, true), T, E), Tensor.ofFloats(Shape.of(2, 3), -1, -2, -3, 4, 5, 6));
    Tensor empty = Tensor.ofFloats(Shape.of(0, 3));
    assertThat(run("Select", Tensor.ofBooleans(Shape.of(0)), empty, empty)).isEqualTo(empty);
  }

  @Test
  void selectCopiesStrings() {
    Tensor t = Tensor.ofStrings(Shape.of(2), "yes", "oui");
    Tensor e = Tensor.ofStrings(Shape.of(2), "no", "non");
    assertThat(run("Select", bools(true, false), t, e)).isEqualTo(Tensor.ofStrings(Shape.of(2), "yes", "non"));
  }

  @Test
  void selectRejectsMismatchedShapesWithTfMessages() {
    Tensor other = Tensor.ofFloats(Shape.of(3, 2), 1, 2, 3, 4, 5, 6);
    assertThatThrownBy(() -> run("Select", scalar(true), T, other)).isInstanceOf(KernelException.class)
        .hasMessage("'then' and 'else' must have the same size.  but received: [2,3] vs. [3,2]");
    assertThatThrownBy(() -> run("Select", bools(true, false), T, other))
        .hasMessage("'then' and 'else' must have the same size.  but received: [2,3] vs. [3,2]");
    assertThatThrownBy(() -> run("Select", bools(true, false, true), T, E))
        .hasMessage("Number of batches of 'then' must match size of 'cond', but saw: 2 vs. 3");
    assertThatThrownBy(() -> run("Select", bools(true), Tensor.scalar(1f), Tensor.scalar(2f)))
        .hasMessage("'then' must be at least a vector, but saw shape: []");
    assertThatThrownBy(() -> run("Select", bools(Shape.of(3, 2), "TTTTTT"), T, E))
        .hasMessage("Inputs to operation select of type Select must have the same size and shape.  "
            + "Input 0: [3,2] != input 1: [2,3]");
    assertThatThrownBy(() -> run("Select", bools(Shape.of(2, 3), "TTTTTT"), T, other))
        .hasMessage("Inputs to operation select of type Select must have the same size and shape.  "
            + "Input 0: [2,3] != input 2: [3,2]");
  }

  @Test
  void selectChecksDtypes() {
    assertThatThrownBy(() -> run("Select", Tensor.ofFloats(Shape.of(2), 1, 0), T, E))
        .hasMessage("Input 'condition' of 'Select' Op has type float32 that does not match expected type of bool.");
    assertThatThrownBy(() -> run("SelectV2", scalar(true), T, Tensor.ofDoubles(Shape.of(1), 1)))
        .hasMessage("Input 'e' of 'SelectV2' Op has type float64 that does not match type float32 of argument 't'.");
  }

  @Test
  void selectV2BroadcastsAllThree() {
    Tensor column = Tensor.ofBooleans(Shape.of(2, 1), true, false);
    assertClose(run("SelectV2", column, T, Tensor.scalar(0f)), Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 0, 0, 0));
    Tensor row = bools(true, false, true);
    assertClose(run("SelectV2", row, Tensor.ofFloats(Shape.of(2, 1), 10, 20), Tensor.ofFloats(Shape.of(3), -1, -2, -3)),
        Tensor.ofFloats(Shape.of(2, 3), 10, -2, 10, 20, -2, 20));
    assertThat(run("SelectV2", scalar(false), T, E)).isEqualTo(E);
    assertThat(run("SelectV2", Tensor.ofBooleans(Shape.of(0, 1)), Tensor.scalar(1f), Tensor.ofFloats(Shape.of(3), 1, 2, 3)))
        .isEqualTo(Tensor.ofFloats(Shape.of(0, 3)));
  }

  @Test
  void selectV2RejectsShapesThatDoNotBroadcast() {
    assertThatThrownBy(() -> run("SelectV2", bools(true, false), T, E))
        .hasMessage("condition [2], then [2,3], and else [2,3] must be broadcastable");
    assertThatThrownBy(() -> run(node("SelectV2"), scalar(true), T, Tensor.ofFloats(Shape.of(2), 1, 2)))
        .hasMessage("condition [], then [2,3], and else [2] must be broadcastable");
  }
}
