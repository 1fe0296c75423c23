package io.sparkpoint.kernels.array;

import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.array.ShapeKernelsTest.vec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** BroadcastTo and Pad: tensors grown to a larger shape, against hand-computed values. */
class BroadcastPadTest {
  @Test
  void broadcastToRepeatsAlongSizeOneAndMissingAxes() {
    assertThat(run("BroadcastTo", vec(1, 2, 3), vec(2, 3))).isEqualTo(Tensor.ofInts(Shape.of(2, 3), 1, 2, 3, 1, 2, 3));
    assertThat(run("BroadcastTo", Tensor.ofFloats(Shape.of(2, 1), 5, 6), vec(2, 3)))
        .isEqualTo(Tensor.ofFloats(Shape.of(2, 3), 5, 5, 5, 6, 6, 6));
    assertThat(run("BroadcastTo", Tensor.ofFloats(Shape.scalar(), 4), Tensor.ofLongs(Shape.of(2), 2, 2)))
        .isEqualTo(Tensor.ofFloats(Shape.of(2, 2), 4, 4, 4, 4));
    assertThat(run("BroadcastTo", Tensor.ofStrings(Shape.of(1, 2), "a", "b"), vec(2, 2)))
        .isEqualTo(Tensor.ofStrings(Shape.of(2, 2), "a", "b", "a", "b"));
    assertThat(run("BroadcastTo", vec(7), vec(0, 3)).shape()).isEqualTo(Shape.of(0, 3));
    Tensor same = vec(1, 2);
    assertThat(run("BroadcastTo", same, vec(2))).isSameAs(same);
  }

  @Test
  void broadcastToErrorsAreTfs() {
    assertThatThrownBy(() -> run("BroadcastTo", Tensor.ofInts(Shape.of(1, 2), 1, 2), vec(2)))
        .hasMessage("Rank of input (2) must be no greater than rank of output shape (1).");
    assertThatThrownBy(() -> run("BroadcastTo", vec(1, 2), vec(3))).hasMessage("Incompatible shapes: [2] vs. [3]");
    // checked before an empty result is returned
    assertThatThrownBy(() -> run("BroadcastTo", vec(1, 2), vec(0, 3))).hasMessage("Incompatible shapes: [2] vs. [0,3]");
    assertThatThrownBy(() -> run("BroadcastTo", vec(1, 2, 3), vec(1, 1)))
        .hasMessage("Unable to broadcast tensor of shape [3] to tensor of shape [1,1]");
    assertThatThrownBy(() -> run("BroadcastTo", vec(1), vec(2, -1))).hasMessage("Dimension -1 must be >= 0");
    assertThatThrownBy(() -> run("BroadcastTo", vec(1), Tensor.ofInts(Shape.of(1, 2), 1, 2)))
        .hasMessage("shape must be a vector of {int32,int64}, got shape [1,2]");
  }

  @Test
  void padSurroundsTheInputWithZeros() {
    Tensor x = Tensor.ofInts(Shape.of(2, 2), 1, 2, 3, 4);
    assertThat(run("Pad", x, paddings(1, 0, 0, 2)))
        .isEqualTo(Tensor.ofInts(Shape.of(3, 4), 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0));
    assertThat(run("Pad", Tensor.ofFloats(Shape.of(2), 1, 2), Tensor.ofLongs(Shape.of(1, 2), 2, 1)))
        .isEqualTo(Tensor.ofFloats(Shape.of(5), 0, 0, 1, 2, 0));
    assertThat(run("Pad", Tensor.ofBooleans(Shape.of(1), true), paddings(1, 1)))
        .isEqualTo(Tensor.ofBooleans(Shape.of(3), false, true, false));
    assertThat(run("Pad", Tensor.ofStrings(Shape.of(1), "s"), paddings(0, 1)))
        .isEqualTo(Tensor.ofStrings(Shape.of(2), "s", ""));
  }

  @Test
  void padOfScalarsAndEmptyTensors() {
    Tensor scalar = Tensor.ofFloats(Shape.scalar(), 3);
    assertThat(run("Pad", scalar, Tensor.ofInts(Shape.of(0, 2)))).isEqualTo(scalar);
    assertThat(run("Pad", Tensor.ofInts(Shape.of(0, 2)), paddings(1, 1, 0, 0)))
        .isEqualTo(Tensor.ofInts(Shape.of(2, 2), 0, 0, 0, 0));
    assertThat(run("Pad", Tensor.ofInts(Shape.of(0, 2)), paddings(0, 0, 1, 1)).shape()).isEqualTo(Shape.of(0, 4));
  }

  @Test
  void padErrorsAreTfs() {
    Tensor x = Tensor.ofInts(Shape.of(2, 2), 1, 2, 3, 4);
    assertThatThrownBy(() -> run("Pad", x, Tensor.ofInts(Shape.of(2, 3), new int[6])))
        .hasMessage("paddings must be a matrix with 2 columns: [2,3]");
    assertThatThrownBy(() -> run("Pad", x, paddings(1, 1)))
        .hasMessage("The first dimension of paddings must be the rank of inputs[1,2] [2,2]");
    assertThatThrownBy(() -> run("Pad", x, paddings(0, 0, -1, 0))).hasMessage("Paddings must be non-negative: -1 0");
    Tensor rank9 = Tensor.ofInts(Shape.of(1, 1, 1, 1, 1, 1, 1, 1, 1), 1);
    assertThatThrownBy(() -> run("Pad", rank9, Tensor.ofInts(Shape.of(9, 2), new int[18])))
        .hasMessage("inputs rank not in [0,8]: 9");
  }

  /** A [n, 2] int32 paddings matrix from before/after pairs. */
  private static Tensor paddings(int... pairs) {
    return Tensor.ofInts(Shape.of(pairs.length / 2, 2), pairs);
  }
}
