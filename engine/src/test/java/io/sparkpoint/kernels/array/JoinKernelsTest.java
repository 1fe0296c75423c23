package io.sparkpoint.kernels.array;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.integer;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.runAll;
import static io.sparkpoint.kernels.array.ShapeKernelsTest.scalar;
import static io.sparkpoint.kernels.array.ShapeKernelsTest.vec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ConcatV2, Pack, Unpack and Tile against hand-computed values. */
class JoinKernelsTest {
  private static final Tensor A = Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4);
  private static final Tensor B = Tensor.ofFloats(Shape.of(2, 1), 5, 6);

  @Test
  void concatAlongAnyAxis() {
    Tensor expected = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 5, 3, 4, 6);
    assertClose(run("ConcatV2", A, B, scalar(1)), expected);
    assertClose(run("ConcatV2", A, B, Tensor.scalar(-1L)), expected);
    assertClose(run("ConcatV2", A, Tensor.ofFloats(Shape.of(1, 2), 7, 8), A, scalar(0)),
        Tensor.ofFloats(Shape.of(5, 2), 1, 2, 3, 4, 7, 8, 1, 2, 3, 4));
    assertThat(run("ConcatV2", Tensor.ofStrings(Shape.of(2), "a", "b"), Tensor.ofStrings(Shape.of(1), "c"), scalar(0)))
        .isEqualTo(Tensor.ofStrings(Shape.of(3), "a", "b", "c"));
    assertClose(run("ConcatV2", Tensor.ofFloats(Shape.of(2, 0)), B, scalar(1)), B);
  }

  @Test
  void concatErrorsUseTfWording() {
    assertThatThrownBy(() -> run("ConcatV2", A, B, scalar(2)))
        .hasMessage("ConcatOp : Expected concatenating dimensions in the range [-2, 2), but got 2");
    assertThatThrownBy(() -> run("ConcatV2", A, Tensor.ofFloats(Shape.of(2), 1, 2), scalar(0)))
        .hasMessage("ConcatOp : Ranks of all input tensors should match: shape[0] = [2,2] vs. shape[1] = [2]");
    assertThatThrownBy(() -> run("ConcatV2", A, B, scalar(0)))
        .hasMessage("ConcatOp : Dimension 1 in both shapes must be equal: shape[0] = [2,2] vs. shape[1] = [2,1]");
    assertThatThrownBy(() -> run("ConcatV2", A, vec(1, 2), scalar(0)))
        .hasMessage("Tensors in list passed to 'values' of 'ConcatV2' Op have types [float32, int32] that don't all match.");
    assertThatThrownBy(() -> run("ConcatV2", scalar(1), scalar(2), scalar(0)))
        .hasMessage("ConcatOp : Can't concatenate scalars (use tf.stack instead)");
    assertThatThrownBy(() -> run("ConcatV2", A, B, vec(1)))
        .hasMessage("Concat dim tensor should be a scalar integer, but got shape [1]");
  }

  @Test
  void packStacksAlongTheAxis() {
    assertClose(run("Pack", vec(1, 2), vec(3, 4)), Tensor.ofInts(Shape.of(2, 2), 1, 2, 3, 4));
    assertClose(run(node("Pack").putAttr("axis", integer(1)), vec(1, 2), vec(3, 4), vec(5, 6)),
        Tensor.ofInts(Shape.of(2, 3), 1, 3, 5, 2, 4, 6));
    assertClose(run(node("Pack").putAttr("axis", integer(-1)), vec(1, 2), vec(3, 4)),
        Tensor.ofInts(Shape.of(2, 2), 1, 3, 2, 4));
    assertClose(run("Pack", scalar(7), scalar(8)), vec(7, 8));
    assertThatThrownBy(() -> run("Pack", vec(1, 2), vec(1, 2, 3)))
        .hasMessage("Shapes of all inputs must match: values[0].shape = [2] != values[1].shape = [3]");
    assertThatThrownBy(() -> run(node("Pack").putAttr("axis", integer(2)), vec(1, 2), vec(3, 4)))
        .hasMessage("axis = 2 not in [-2, 2)");
  }

  @Test
  void unpackSplitsAlongTheAxis() {
    Tensor x = Tensor.ofInts(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
    assertThat(runAll(node("Unpack").putAttr("num", integer(3)).putAttr("axis", integer(1)), x))
        .containsExactly(vec(1, 4), vec(2, 5), vec(3, 6));
    assertThat(runAll(node("Unpack").putAttr("num", integer(2)), x)).containsExactly(vec(1, 2, 3), vec(4, 5, 6));
    assertThat(runAll(node("Unpack").putAttr("num", integer(3)).putAttr("axis", integer(-1)), x)).hasSize(3);
    assertThatThrownBy(() -> runAll(node("Unpack").putAttr("num", integer(2)).putAttr("axis", integer(1)), x))
        .hasMessage("Input shape axis 1 must equal 2, got shape [2,3]");
    assertThatThrownBy(() -> runAll(node("Unpack").putAttr("num", integer(2)).putAttr("axis", integer(2)), x))
        .hasMessage("axis = 2 not in [-2, 2)");
    List<Tensor> strings = runAll(node("Unpack").putAttr("num", integer(2)), Tensor.ofStrings(Shape.of(2), "p", "q"));
    assertThat(strings).containsExactly(Tensor.ofStrings(Shape.scalar(), "p"), Tensor.ofStrings(Shape.scalar(), "q"));
  }

  @Test
  void tileRepeatsEachDimension() {
    Tensor x = Tensor.ofInts(Shape.of(2, 2), 1, 2, 3, 4);
    assertClose(run("Tile", x, vec(1, 2)), Tensor.ofInts(Shape.of(2, 4), 1, 2, 1, 2, 3, 4, 3, 4));
    assertClose(run("Tile", x, Tensor.ofLongs(Shape.of(2), 2, 1)), Tensor.ofInts(Shape.of(4, 2), 1, 2, 3, 4, 1, 2, 3, 4));
    assertThat(run("Tile", x, vec(0, 1)).shape()).isEqualTo(Shape.of(0, 2));
    Tensor bytes = Tensor.of(DType.UINT8, Shape.of(2), new byte[] {9, (byte) 200});
    assertThat(run("Tile", bytes, vec(2))).isEqualTo(Tensor.of(DType.UINT8, Shape.of(4), new byte[] {9, (byte) 200, 9, (byte) 200}));
    assertThatThrownBy(() -> run("Tile", x, vec(2)))
        .hasMessage("Expected multiples argument to be a vector of length 2 but got length 1");
    assertThatThrownBy(() -> run("Tile", x, vec(1, -1))).hasMessage("Expected multiples[1] >= 0, but got -1");
  }
}
