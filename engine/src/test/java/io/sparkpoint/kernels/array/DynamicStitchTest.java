package io.sparkpoint.kernels.array;

import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.array.ShapeKernelsTest.scalar;
import static io.sparkpoint.kernels.array.ShapeKernelsTest.vec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** DynamicStitch: rows merged by index, the later pair winning, TF's shape checks. */
class DynamicStitchTest {
  @Test
  void mergesRowsByIndexAsTfsDocumentedExample() {
    Tensor merged = run(node("DynamicStitch"),
        scalar(6), vec(4, 1), Tensor.ofInts(Shape.of(2, 2), 5, 2, 0, 3),
        Tensor.ofInts(Shape.of(2), 61, 62), Tensor.ofInts(Shape.of(2, 2), 41, 42, 11, 12),
        Tensor.ofInts(Shape.of(2, 2, 2), 51, 52, 21, 22, 1, 2, 31, 32));
    assertThat(merged).isEqualTo(Tensor.ofInts(Shape.of(7, 2), 1, 2, 11, 12, 21, 22, 31, 32, 41, 42, 51, 52, 61, 62));
  }

  @Test
  void laterIndicesWinAndUnnamedRowsAreZero() {
    assertThat(run(node("DynamicStitch"), vec(0, 1), vec(1), Tensor.ofFloats(Shape.of(2), 10, 20),
        Tensor.ofFloats(Shape.of(1), 30))).isEqualTo(Tensor.ofFloats(Shape.of(2), 10, 30));
    assertThat(run(node("DynamicStitch"), vec(0, 0), Tensor.ofFloats(Shape.of(2), 1, 2)))
        .isEqualTo(Tensor.ofFloats(Shape.of(1), 2));
    assertThat(run(node("DynamicStitch"), vec(2), Tensor.ofLongs(Shape.of(1), 5)))
        .isEqualTo(Tensor.ofLongs(Shape.of(3), 0, 0, 5));
    assertThat(run(node("DynamicStitch"), vec(1), Tensor.ofStrings(Shape.of(1, 2), "a", "b")))
        .isEqualTo(Tensor.ofStrings(Shape.of(2, 2), "", "", "a", "b"));
    assertThat(run(node("DynamicStitch"), vec(), Tensor.ofFloats(Shape.of(0, 3))).shape()).isEqualTo(Shape.of(0, 3));
  }

  @Test
  void errorsAreTfs() {
    assertThatThrownBy(() -> run(node("DynamicStitch"), vec(0, -1), vec(1, 2, 3, 4)))
        .hasMessage("indices[1] is out of range");
    assertThatThrownBy(() -> run(node("DynamicStitch"), vec(0), vec(1, 2), vec(1), vec(2, 3, 4)))
        .hasMessage("data[1].shape = [3] does not start with indices[1].shape = [2]");
    assertThatThrownBy(() -> run(node("DynamicStitch"), vec(0), vec(1), Tensor.ofInts(Shape.of(1, 2), 1, 2),
        Tensor.ofInts(Shape.of(1, 3), 1, 2, 3)))
        .hasMessage("Need data[0].shape[1:] = data[1].shape[1:], got data[0].shape = [1,2], data[1].shape = [1,3], "
            + "indices[0].shape = [1], indices[1].shape = [1]");
    assertThatThrownBy(() -> run(node("DynamicStitch"), Tensor.ofLongs(Shape.of(1), 0), vec(1)))
        .hasMessage("Input 'indices' of 'DynamicStitch' Op has type int64 that does not match expected type of int32.");
  }
}
