package io.sparkpoint.kernels.array;

import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.runAll;
import static io.sparkpoint.kernels.KernelRunner.type;
import static io.sparkpoint.kernels.array.ShapeKernelsTest.scalar;
import static io.sparkpoint.kernels.array.ShapeKernelsTest.vec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** ShapeN, InvertPermutation and ConcatOffset against hand-computed vectors and TF's error messages. */
class IndexVectorKernelsTest {
  @Test
  void shapeNGivesEveryInputsShape() {
    Tensor matrix = Tensor.ofFloats(Shape.of(2, 3), new float[6]);
    Tensor words = Tensor.ofStrings(Shape.of(4), "a", "b", "c", "d");
    assertThat(runAll(node("ShapeN"), matrix, scalar(7), words)).containsExactly(vec(2, 3), vec(), vec(4));
    assertThat(runAll(node("ShapeN").putAttr("out_type", type(DType.INT64)), matrix))
        .containsExactly(Tensor.ofLongs(Shape.of(2), 2, 3));
  }

  @Test
  void invertPermutationInvertsInt32AndInt64() {
    assertThat(run("InvertPermutation", vec(3, 0, 2, 1))).isEqualTo(vec(1, 3, 2, 0));
    assertThat(run("InvertPermutation", Tensor.ofLongs(Shape.of(3), 1, 2, 0))).isEqualTo(Tensor.ofLongs(Shape.of(3), 2, 0, 1));
    assertThat(run("InvertPermutation", vec())).isEqualTo(vec());
  }

  @Test
  void invertPermutationRefusesWhatIsNoPermutation() {
    assertThatThrownBy(() -> run("InvertPermutation", vec(0, 2))).hasMessage("2 is not between 0 and 2");
    assertThatThrownBy(() -> run("InvertPermutation", vec(-1, 0))).hasMessage("-1 is not between 0 and 2");
    assertThatThrownBy(() -> run("InvertPermutation", vec(1, 1))).hasMessage("1 is duplicated in the input.");
    assertThatThrownBy(() -> run("InvertPermutation", scalar(0))).hasMessage("invert_permutation expects a 1D vector.");
    assertThatThrownBy(() -> run("InvertPermutation", Tensor.ofFloats(Shape.of(1), 0)))
        .hasMessageStartingWith("Unsupported dtype float32 for op InvertPermutation");
  }

  @Test
  void concatOffsetIsTheRunningSumOnTheConcatAxis() {
    Tensor a = vec(2, 2, 5, 7);
    Tensor b = vec(2, 3, 5, 7);
    Tensor c = vec(2, 4, 5, 7);
    assertThat(runAll(node("ConcatOffset"), scalar(1), a, b, c))
        .containsExactly(vec(0, 0, 0, 0), vec(0, 2, 0, 0), vec(0, 5, 0, 0));
    assertThat(runAll(node("ConcatOffset"), scalar(-4), a, vec(3, 2, 5, 7)))
        .containsExactly(vec(0, 0, 0, 0), vec(2, 0, 0, 0));
    assertThat(runAll(node("ConcatOffset"), scalar(0), Tensor.ofLongs(Shape.of(1), 3), Tensor.ofLongs(Shape.of(1), 4)))
        .containsExactly(Tensor.ofLongs(Shape.of(1), 0), Tensor.ofLongs(Shape.of(1), 3));
  }

  @Test
  void concatOffsetErrorsAreTfs() {
    Tensor a = vec(2, 2, 5, 7);
    assertThatThrownBy(() -> runAll(node("ConcatOffset"), scalar(4), a, a)).hasMessage("Concat dim is out of range: 4 vs. 4");
    assertThatThrownBy(() -> runAll(node("ConcatOffset"), scalar(-5), a, a)).hasMessage("Concat dim is out of range: -5 vs. 4");
    assertThatThrownBy(() -> runAll(node("ConcatOffset"), scalar(1), a, vec(3, 3, 5, 7))).hasMessage(
        "All dimensions except 1 must match. Input 1 has shape [3 3 5 7] and doesn't match input 0 with shape [2 2 5 7].");
    assertThatThrownBy(() -> runAll(node("ConcatOffset"), scalar(1), a, vec(2, 3, 5)))
        .hasMessage("input 1 should contain 4 elements, but got 3");
    assertThatThrownBy(() -> runAll(node("ConcatOffset"), vec(1), a, a))
        .hasMessage("Concat dim tensor should be a scalar integer, but got shape [1]");
    assertThatThrownBy(() -> runAll(node("ConcatOffset"), scalar(0), a, Tensor.ofInts(Shape.of(1, 4), 2, 2, 5, 7)))
        .hasMessage("input 2 should be a vector, but got shape [1,4]");
    assertThatThrownBy(() -> runAll(node("ConcatOffset"), scalar(0), Tensor.ofLongs(Shape.of(1), 3), vec(3)))
        .hasMessage("Input 'shape' of 'ConcatOffset' Op has type int32 that does not match expected type of int64.");
  }
}
