package io.sparkpoint.kernels.array;

import static io.sparkpoint.kernels.KernelRunner.integer;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.array.ShapeKernelsTest.vec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** StridedSliceGrad: dy placed where the forward slice read, zeros elsewhere, for every mask. */
class StridedSliceGradTest {
  private static NodeDef.Builder masks(int begin, int end, int ellipsis, int newAxis, int shrink) {
    return node("StridedSliceGrad").putAttr("begin_mask", integer(begin)).putAttr("end_mask", integer(end))
        .putAttr("ellipsis_mask", integer(ellipsis)).putAttr("new_axis_mask", integer(newAxis))
        .putAttr("shrink_axis_mask", integer(shrink));
  }

  @Test
  void placesDyUnderAStridedSlice() {
    // x[1:3, ::2] of a [3, 4] input
    Tensor dy = Tensor.ofInts(Shape.of(2, 2), 1, 2, 3, 4);
    assertThat(run(masks(0, 2, 0, 0, 0), vec(3, 4), vec(1, 0), vec(3, 0), vec(1, 2), dy))
        .isEqualTo(Tensor.ofInts(Shape.of(3, 4), 0, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0));
  }

  @Test
  void shrinkNewAxisEllipsisAndNegativeStrides() {
    // x[1] of [3, 2]: a shrunk axis
    assertThat(run(masks(0, 0, 0, 0, 1), vec(3, 2), vec(1), vec(2), vec(1), Tensor.ofFloats(Shape.of(2), 5, 6)))
        .isEqualTo(Tensor.ofFloats(Shape.of(3, 2), 0, 0, 5, 6, 0, 0));
    // x[..., newaxis] of [2]
    assertThat(run(masks(0, 0, 1, 2, 0), vec(2), vec(0, 0), vec(0, 0), vec(1, 1), Tensor.ofFloats(Shape.of(2, 1), 7, 8)))
        .isEqualTo(Tensor.ofFloats(Shape.of(2), 7, 8));
    // x[::-2] of [5]: dy[0] lands at 4, dy[1] at 2, dy[2] at 0
    assertThat(run(masks(1, 1, 0, 0, 0), vec(5), vec(0), vec(0), vec(-2), Tensor.ofLongs(Shape.of(3), 1, 2, 3)))
        .isEqualTo(Tensor.ofLongs(Shape.of(5), 3, 0, 2, 0, 1));
    // strings: zeros are empty strings
    assertThat(run(masks(0, 0, 0, 0, 0), vec(3), vec(1), vec(2), vec(1), Tensor.ofStrings(Shape.of(1), "g")))
        .isEqualTo(Tensor.ofStrings(Shape.of(3), "", "g", ""));
  }

  @Test
  void errorsAreTfs() {
    Tensor dy = Tensor.ofFloats(Shape.of(3), 1, 2, 3);
    assertThatThrownBy(() -> run(masks(0, 0, 0, 0, 0), vec(4), vec(0), vec(2), vec(1), dy))
        .hasMessage("shape of dy was [3] instead of [2]");
    assertThatThrownBy(() -> run(masks(0, 0, 0, 0, 0), Tensor.ofInts(Shape.of(1, 1), 3), vec(0), vec(2), vec(1), dy))
        .hasMessage("shape must be 1-D, got shape.shape = [1,1]");
    assertThatThrownBy(() -> run(masks(0, 0, 0, 0, 0), vec(-3), vec(0), vec(2), vec(1), dy))
        .hasMessage("Dimension -3 must be >= 0");
    assertThatThrownBy(() -> run(masks(0, 0, 0, 0, 0), vec(3), vec(0), vec(2), vec(0), dy))
        .hasMessage("strides[0] must be non-zero");
    assertThatThrownBy(() -> run(masks(0, 0, 0, 0, 0), vec(3), vec(0, 0), vec(2), vec(1), dy))
        .hasMessage("Expected begin, end, and strides to be 1D equal size tensors, but got shapes [2], [1], and [1] instead.");
  }
}
