package io.sparkpoint.kernels.array;

import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.runAll;
import static io.sparkpoint.kernels.KernelRunner.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BroadcastGradientArgs: the axes along which each broadcast operand's gradient is summed. */
class BroadcastGradientArgsTest {
  private static Tensor shape(int... dims) {
    return Tensor.ofInts(Shape.of(dims.length), dims);
  }

  private static Tensor axes(int... axes) {
    return shape(axes);
  }

  private static List<Tensor> args(Tensor s0, Tensor s1) {
    return runAll(node("BroadcastGradientArgs"), s0, s1);
  }

  @Test
  void equalShapesNeedNoReduction() {
    assertThat(args(shape(2, 3), shape(2, 3))).containsExactly(axes(), axes());
    assertThat(args(shape(1, 1), shape(1, 1))).containsExactly(axes(), axes());
    assertThat(args(shape(), shape())).containsExactly(axes(), axes());
  }

  @Test
  void aScalarIsReducedOverEveryAxis() {
    assertThat(args(shape(), shape(2, 3))).containsExactly(axes(0, 1), axes());
    assertThat(args(shape(4), shape())).containsExactly(axes(), axes(0));
  }

  @Test
  void missingLeadingAxesAndOnesAreReduced() {
    assertThat(args(shape(2, 3, 4), shape(3, 1))).containsExactly(axes(), axes(0, 2));
    assertThat(args(shape(2, 1, 4), shape(1, 3, 1))).containsExactly(axes(1), axes(0, 2));
    assertThat(args(shape(5, 0), shape(1))).containsExactly(axes(), axes(0, 1));
  }

  @Test
  void axesWhereBothAreOneAreReducedForBoth() {
    assertThat(args(shape(1), shape(1, 1))).containsExactly(axes(0, 1), axes(0, 1));
    assertThat(args(shape(1, 3), shape(1, 1, 3))).containsExactly(axes(0, 1), axes(0, 1));
  }

  @Test
  void int64ShapesGiveInt64Axes() {
    Shape s2 = Shape.of(2);
    List<Tensor> out = runAll(node("BroadcastGradientArgs").putAttr("T", type(DType.INT64)),
        Tensor.ofLongs(s2, 1, 1L << 33), Tensor.ofLongs(Shape.of(1), 1L << 33));
    assertThat(out).containsExactly(Tensor.ofLongs(Shape.of(1), 0), Tensor.ofLongs(Shape.of(1), 0));
  }

  @Test
  void incompatibleShapesUseTfWording() {
    assertThatThrownBy(() -> args(shape(2, 3), shape(4)))
        .isInstanceOf(KernelException.class)
        .hasMessage("Incompatible shapes: [2,3] vs. [4]");
    assertThatThrownBy(() -> args(shape(-1, 3), shape(2, 3))).hasMessage("Incompatible shapes: [-1,3] vs. [2,3]");
  }

  @Test
  void eachShapeMustBeAVector() {
    assertThatThrownBy(() -> args(Tensor.ofInts(Shape.of(1, 2), 1, 2), shape(2)))
        .hasMessage("In[0] must be a vector.[1,2]");
    assertThatThrownBy(() -> args(shape(2), Tensor.ofInts(Shape.scalar(), 2))).hasMessage("In[1] must be a vector.[]");
  }

  @Test
  void bothShapesShareOneIntegerType() {
    assertThatThrownBy(() -> args(shape(2), Tensor.ofLongs(Shape.of(1), 2)))
        .hasMessage("Input 's1' of 'BroadcastGradientArgs' Op has type int64 that does not match type int32 of argument 's0'.");
    assertThatThrownBy(() -> args(Tensor.ofFloats(Shape.of(1), 2), Tensor.ofFloats(Shape.of(1), 2)))
        .hasMessageStartingWith("Unsupported dtype float32 for op BroadcastGradientArgs");
  }
}
