package io.sparkpoint.kernels.array;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.integers;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Reshape, Shape, Size, Rank, ExpandDims, Squeeze, Fill, ZerosLike and OnesLike against hand-computed values. */
class ShapeKernelsTest {
  private static final Tensor X = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);

  static Tensor vec(int... values) {
    return Tensor.ofInts(Shape.of(values.length), values);
  }

  static Tensor scalar(int value) {
    return Tensor.ofInts(Shape.scalar(), value);
  }

  @Test
  void reshapeInfersOneDimension() {
    assertClose(run("Reshape", X, vec(3, -1)), Tensor.ofFloats(Shape.of(3, 2), 1, 2, 3, 4, 5, 6));
    assertClose(run("Reshape", X, Tensor.ofLongs(Shape.of(1), -1)), Tensor.ofFloats(Shape.of(6), 1, 2, 3, 4, 5, 6));
    assertClose(run("Reshape", Tensor.ofFloats(Shape.of(1), 9), vec()), Tensor.ofFloats(Shape.scalar(), 9));
    Tensor strings = Tensor.ofStrings(Shape.of(2), "a", "b");
    assertThat(run("Reshape", strings, vec(2, 1))).isEqualTo(Tensor.ofStrings(Shape.of(2, 1), "a", "b"));
  }

  /** Regression (conformance): TF leaves the input's zero dims out of the count a -1 is inferred from. */
  @Test
  void reshapeOfAnEmptyTensorInfersMinusOneFromItsNonZeroDims() {
    Tensor empty = Tensor.ofFloats(Shape.of(0, 3));
    assertThat(run("Reshape", empty, vec(0, -1)).shape()).isEqualTo(Shape.of(0, 3));
    assertThat(run("Reshape", empty, vec(-1, 0)).shape()).isEqualTo(Shape.of(3, 0));
    assertThat(run("Reshape", empty, vec(2, 0, -1)).shape()).isEqualTo(Shape.of(2, 0, 1));
    assertThat(run("Reshape", empty, vec(-1, 4)).shape()).isEqualTo(Shape.of(0, 4));
    assertThatThrownBy(() -> run("Reshape", X, vec(0, -1)))
        .hasMessage("Input to reshape is a tensor with 6 values, but the requested shape has 0");
  }

  @Test
  void reshapeErrorsUseTfWording() {
    assertThatThrownBy(() -> run("Reshape", X, vec(2, 2))).isInstanceOf(KernelException.class)
        .hasMessage("Input to reshape is a tensor with 6 values, but the requested shape has 4");
    assertThatThrownBy(() -> run("Reshape", X, vec(4, -1)))
        .hasMessage("Input to reshape is a tensor with 6 values, but the requested shape requires a multiple of 4");
    assertThatThrownBy(() -> run("Reshape", X, vec(-1, -1))).hasMessage("Only one input size may be -1, not both 0 and 1");
    assertThatThrownBy(() -> run("Reshape", X, vec(-2, -3))).hasMessage("Size 0 must be non-negative, not -2");
    assertThatThrownBy(() -> run("Reshape", X, Tensor.ofInts(Shape.of(1, 2), 3, 2)))
        .hasMessage("shape must be a vector of {int32,int64}, got shape [1,2]");
    assertThatThrownBy(() -> run("Reshape", X, Tensor.ofFloats(Shape.of(1), 6)))
        .hasMessage("Input 'shape' of 'Reshape' Op has type float32 that is not in the allowed types int32, int64");
  }

  @Test
  void shapeSizeAndRank() {
    assertClose(run("Shape", X), vec(2, 3));
    assertClose(run(node("Shape").putAttr("out_type", type(DType.INT64)), X), Tensor.ofLongs(Shape.of(2), 2, 3));
    assertClose(run("Shape", Tensor.scalar(1f)), vec());
    assertClose(run("Size", X), scalar(6));
    assertClose(run(node("Size").putAttr("out_type", type(DType.INT64)), X), Tensor.scalar(6L));
    assertClose(run("Rank", X), scalar(2));
    assertClose(run("Rank", Tensor.ofStrings(Shape.scalar(), "s")), scalar(0));
    assertThatThrownBy(() -> run(node("Shape").putAttr("out_type", type(DType.FLOAT)), X))
        .hasMessageStartingWith("Value for attr 'out_type' of float32 is not in the list of allowed values: int32, int64");
  }

  @Test
  void expandDimsAcceptsNegativeAxes() {
    assertThat(run("ExpandDims", X, scalar(0)).shape()).isEqualTo(Shape.of(1, 2, 3));
    assertThat(run("ExpandDims", X, scalar(2)).shape()).isEqualTo(Shape.of(2, 3, 1));
    assertThat(run("ExpandDims", X, scalar(-1)).shape()).isEqualTo(Shape.of(2, 3, 1));
    assertClose(run("ExpandDims", X, Tensor.scalar(-3L)), Tensor.ofFloats(Shape.of(1, 2, 3), 1, 2, 3, 4, 5, 6));
    assertThatThrownBy(() -> run("ExpandDims", X, scalar(3)))
        .hasMessage("Tried to expand dim index 3 for tensor with 2 dimensions.");
    assertThatThrownBy(() -> run("ExpandDims", X, scalar(-4)))
        .hasMessage("Tried to expand dim index -4 for tensor with 2 dimensions.");
    assertThatThrownBy(() -> run("ExpandDims", X, vec(0, 1))).hasMessage("'dim' must be a tensor with a single value");
  }

  @Test
  void squeezeAllOrTheGivenDims() {
    Tensor x = Tensor.ofInts(Shape.of(1, 2, 1, 3), 1, 2, 3, 4, 5, 6);
    assertClose(run("Squeeze", x), Tensor.ofInts(Shape.of(2, 3), 1, 2, 3, 4, 5, 6));
    assertThat(run(node("Squeeze").putAttr("squeeze_dims", integers(-2)), x).shape()).isEqualTo(Shape.of(1, 2, 3));
    assertThat(run(node("Squeeze").putAttr("squeeze_dims", integers(0, 2)), x).shape()).isEqualTo(Shape.of(2, 3));
    assertThatThrownBy(() -> run(node("Squeeze").putAttr("squeeze_dims", integers(1)), x))
        .hasMessage("Can not squeeze dim[1], expected a dimension of 1, got 2");
    assertThatThrownBy(() -> run(node("Squeeze").putAttr("squeeze_dims", integers(4)), x))
        .hasMessage("Tried to squeeze dim index 4 for tensor with 4 dimensions.");
  }

  @Test
  void fillRepeatsTheValue() {
    assertClose(run("Fill", vec(2, 2), scalar(7)), Tensor.ofInts(Shape.of(2, 2), 7, 7, 7, 7));
    assertClose(run("Fill", Tensor.ofLongs(Shape.of(1), 3), Tensor.ofDoubles(Shape.scalar(), 0.5)),
        Tensor.ofDoubles(Shape.of(3), 0.5, 0.5, 0.5));
    assertThat(run("Fill", vec(2), Tensor.ofStrings(Shape.scalar(), "x")))
        .isEqualTo(Tensor.ofStrings(Shape.of(2), "x", "x"));
    assertThat(run("Fill", vec(0, 3), scalar(1)).shape()).isEqualTo(Shape.of(0, 3));
    assertThatThrownBy(() -> run("Fill", vec(2), vec(1, 2))).hasMessage("value must be a scalar, got shape [2]");
    assertThatThrownBy(() -> run("Fill", scalar(2), scalar(1))).hasMessage("dims must be a vector, got shape []");
    assertThatThrownBy(() -> run("Fill", vec(-1), scalar(1))).hasMessage("Dimension -1 must be >= 0");
  }

  @Test
  void zerosLikeAndOnesLike() {
    assertClose(run("ZerosLike", X), Tensor.ofFloats(Shape.of(2, 3), new float[6]));
    assertClose(run("OnesLike", X), Tensor.ofFloats(Shape.of(2, 3), 1, 1, 1, 1, 1, 1));
    assertClose(run("OnesLike", vec(5, 6)), vec(1, 1));
    assertClose(run("OnesLike", Tensor.ofBooleans(Shape.of(1), false)), Tensor.ofBooleans(Shape.of(1), true));
    assertClose(run("ZerosLike", Tensor.ofLongs(Shape.of(1), 9)), Tensor.ofLongs(Shape.of(1), 0));
    Tensor half = Tensor.of(DType.HALF, Shape.of(1), new byte[] {0, 0x40});
    assertThat(run("OnesLike", half)).isEqualTo(Tensor.of(DType.HALF, Shape.of(1), new byte[] {0, 0x3C}));
    assertThat(run("ZerosLike", Tensor.ofStrings(Shape.of(1), "a"))).isEqualTo(Tensor.ofStrings(Shape.of(1), ""));
    assertThatThrownBy(() -> run("OnesLike", Tensor.ofStrings(Shape.of(1), "a")))
        .hasMessageStartingWith("Unsupported dtype string for op OnesLike (node oneslike)");
  }
}
