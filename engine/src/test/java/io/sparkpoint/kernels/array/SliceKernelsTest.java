package io.sparkpoint.kernels.array;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.integer;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.array.ShapeKernelsTest.vec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Slice, Transpose and StridedSlice (every mask) against hand-computed values. */
class SliceKernelsTest {
  /** [[0,1,2,3],[4,5,6,7],[8,9,10,11]] */
  private static final Tensor X = Tensor.ofInts(Shape.of(3, 4), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

  @Test
  void sliceWithSizeMinusOne() {
    assertClose(run("Slice", X, vec(1, 1), vec(2, -1)), Tensor.ofInts(Shape.of(2, 3), 5, 6, 7, 9, 10, 11));
    assertClose(run("Slice", X, Tensor.ofLongs(Shape.of(2), 0, 2), Tensor.ofLongs(Shape.of(2), 1, 1)),
        Tensor.ofInts(Shape.of(1, 1), 2));
    assertThat(run("Slice", X, vec(3, 0), vec(0, 4)).shape()).isEqualTo(Shape.of(0, 4));
    assertThatThrownBy(() -> run("Slice", X, vec(2, 0), vec(2, 1))).isInstanceOf(KernelException.class)
        .hasMessage("Expected size[0] in [0, 1], but got 2");
    assertThatThrownBy(() -> run("Slice", X, vec(4, 0), vec(0, 1))).hasMessage("Expected begin[0] in [0, 3], but got 4");
    assertThatThrownBy(() -> run("Slice", X, vec(0), vec(1)))
        .hasMessage("Expected begin and size arguments to be 1-D tensors of size 2, but got shapes [1] and [1] instead.");
  }

  @Test
  void transposeByPerm() {
    Tensor x = Tensor.ofFloats(Shape.of(2, 3), 0, 1, 2, 3, 4, 5);
    assertClose(run("Transpose", x, vec(1, 0)), Tensor.ofFloats(Shape.of(3, 2), 0, 3, 1, 4, 2, 5));
    Tensor cube = Tensor.ofInts(Shape.of(1, 2, 3), 0, 1, 2, 3, 4, 5);
    assertClose(run("Transpose", cube, Tensor.ofLongs(Shape.of(3), 2, 0, 1)),
        Tensor.ofInts(Shape.of(3, 1, 2), 0, 3, 1, 4, 2, 5));
    Tensor half = Tensor.of(DType.HALF, Shape.of(2, 2), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertThat(run("Transpose", half, vec(1, 0)))
        .isEqualTo(Tensor.of(DType.HALF, Shape.of(2, 2), new byte[] {1, 2, 5, 6, 3, 4, 7, 8}));
    assertThat(run("Transpose", Tensor.ofStrings(Shape.of(1, 2), "a", "b"), vec(1, 0)))
        .isEqualTo(Tensor.ofStrings(Shape.of(2, 1), "a", "b"));
    assertThatThrownBy(() -> run("Transpose", x, vec(0, 0))).hasMessage("1 is missing from {0,0}.");
    assertThatThrownBy(() -> run("Transpose", x, vec(0, 2))).hasMessage("2 is out of range [0 .. 2)");
    assertThatThrownBy(() -> run("Transpose", x, vec(0)))
        .hasMessage("transpose expects a vector of size 2. But input(1) is a vector of size 1");
  }

  private static Tensor strided(NodeDef.Builder node, int[] begin, int[] end, int[] strides) {
    return run(node, X, vec(begin), vec(end), vec(strides));
  }

  private static NodeDef.Builder masks(int begin, int end, int ellipsis, int newAxis, int shrink) {
    return node("StridedSlice").putAttr("begin_mask", integer(begin)).putAttr("end_mask", integer(end))
        .putAttr("ellipsis_mask", integer(ellipsis)).putAttr("new_axis_mask", integer(newAxis))
        .putAttr("shrink_axis_mask", integer(shrink));
  }

  @Test
  void stridedSliceBasics() {
    // x[1]
    assertClose(strided(masks(0, 0, 0, 0, 1), new int[] {1}, new int[] {2}, new int[] {1}), vec(4, 5, 6, 7));
    // x[:, 1:3]
    assertClose(strided(masks(1, 1, 0, 0, 0), new int[] {0, 1}, new int[] {0, 3}, new int[] {1, 1}),
        Tensor.ofInts(Shape.of(3, 2), 1, 2, 5, 6, 9, 10));
    // x[1:100] clamps; x[2:0] is empty
    assertClose(strided(node("StridedSlice"), new int[] {1}, new int[] {100}, new int[] {1}),
        Tensor.ofInts(Shape.of(2, 4), 4, 5, 6, 7, 8, 9, 10, 11));
    assertThat(strided(node("StridedSlice"), new int[] {2}, new int[] {0}, new int[] {1}).shape())
        .isEqualTo(Shape.of(0, 4));
    // x[-1, ::-2]
    assertClose(strided(masks(2, 2, 0, 0, 1), new int[] {-1, 0}, new int[] {0, 0}, new int[] {1, -2}), vec(11, 9));
  }

  @Test
  void stridedSliceNegativeStridesEllipsisAndNewAxis() {
    // x[::-1, -1]
    assertClose(strided(masks(1, 1, 0, 0, 2), new int[] {0, -1}, new int[] {0, 0}, new int[] {-1, 1}), vec(11, 7, 3));
    // x[..., 1]
    assertClose(strided(masks(0, 0, 1, 0, 2), new int[] {0, 1}, new int[] {0, 2}, new int[] {1, 1}), vec(1, 5, 9));
    // x[tf.newaxis, 1:, ::2]
    assertClose(strided(masks(4, 6, 0, 1, 0), new int[] {0, 1, 0}, new int[] {0, 0, 0}, new int[] {1, 1, 2}),
        Tensor.ofInts(Shape.of(1, 2, 2), 4, 6, 8, 10));
    // x[1, ..., tf.newaxis]
    assertClose(strided(masks(0, 0, 2, 4, 1), new int[] {1, 0, 0}, new int[] {2, 0, 0}, new int[] {1, 1, 1}),
        Tensor.ofInts(Shape.of(4, 1), 4, 5, 6, 7));
    // x[..., tf.newaxis, 2:] : the new axis sits before the last input dimension
    assertClose(strided(masks(0, 4, 1, 2, 0), new int[] {0, 0, 2}, new int[] {0, 0, 0}, new int[] {1, 1, 1}),
        Tensor.ofInts(Shape.of(3, 1, 2), 2, 3, 6, 7, 10, 11));
  }

  @Test
  void stridedSliceErrors() {
    assertThatThrownBy(() -> strided(masks(0, 0, 0, 0, 1), new int[] {5}, new int[] {6}, new int[] {1}))
        .hasMessage("slice index 5 of dimension 0 out of bounds.");
    assertThatThrownBy(() -> strided(node("StridedSlice"), new int[] {0}, new int[] {1}, new int[] {0}))
        .hasMessage("strides[0] must be non-zero");
    assertThatThrownBy(() -> strided(masks(0, 0, 3, 0, 0), new int[] {0, 0}, new int[] {1, 1}, new int[] {1, 1}))
        .hasMessage("Multiple ellipses in slice spec not allowed");
    assertThatThrownBy(() -> strided(node("StridedSlice"), new int[] {0, 0, 0}, new int[] {1, 1, 1}, new int[] {1, 1, 1}))
        .hasMessage("Index out of range using input dim 2; input has only 2 dims");
    assertThatThrownBy(() -> run(node("StridedSlice"), X, vec(0), vec(1, 1), vec(1)))
        .hasMessage("Expected begin, end, and strides to be 1D equal size tensors, but got shapes [1], [2], and [1] instead.");
  }
}
