package io.sparkpoint.kernels.gather;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.integer;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** OneHot (axis, index dtypes, every error) against hand-computed values. */
class OneHotTest {
  private static final Tensor DEPTH = Tensor.ofInts(Shape.scalar(), 3);
  private static final Tensor ON = Tensor.scalar(5f);
  private static final Tensor OFF = Tensor.scalar(-1f);

  private static NodeDef.Builder axis(long value) {
    return node("OneHot").putAttr("axis", integer(value));
  }

  @Test
  void outOfRangeAndNegativeIndicesAreAllOff() {
    Tensor indices = Tensor.ofLongs(Shape.of(4), 0, 2, -1, 3);
    assertClose(run("OneHot", indices, DEPTH, ON, OFF), Tensor.ofFloats(Shape.of(4, 3),
        5, -1, -1, -1, -1, 5, -1, -1, -1, -1, -1, -1));
  }

  @Test
  void axisPlacesTheNewDimension() {
    Tensor indices = Tensor.ofInts(Shape.of(2, 2), 0, 1, 2, 0);
    Tensor on = Tensor.ofInts(Shape.scalar(), 1);
    Tensor off = Tensor.ofInts(Shape.scalar(), 0);
    // axis -1: [2,2,3]; axis 0: [3,2,2]; axis 1: [2,3,2]
    assertClose(run(axis(-1), indices, DEPTH, on, off), Tensor.ofInts(Shape.of(2, 2, 3), 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0));
    assertClose(run(axis(0), indices, DEPTH, on, off), Tensor.ofInts(Shape.of(3, 2, 2), 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0));
    assertClose(run(axis(1), indices, DEPTH, on, off), Tensor.ofInts(Shape.of(2, 3, 2), 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0));
    assertClose(run("OneHot", Tensor.ofInts(Shape.scalar(), 1), DEPTH, on, off), Tensor.ofInts(Shape.of(3), 0, 1, 0));
  }

  @Test
  void byteIndicesAndAnyValueDtype() {
    Tensor unsigned = Tensor.of(DType.UINT8, Shape.of(2), new byte[] {(byte) 255, 1});
    assertClose(run("OneHot", unsigned, DEPTH, ON, OFF), Tensor.ofFloats(Shape.of(2, 3), -1, -1, -1, -1, 5, -1));
    Tensor signed = Tensor.of(DType.INT8, Shape.of(2), new byte[] {-1, 2});
    Tensor yes = Tensor.ofStrings(Shape.scalar(), "yes");
    Tensor no = Tensor.ofStrings(Shape.scalar(), "no");
    assertThat(run("OneHot", signed, DEPTH, yes, no))
        .isEqualTo(Tensor.ofStrings(Shape.of(2, 3), "no", "no", "no", "no", "no", "yes"));
    assertThat(run("OneHot", Tensor.ofInts(Shape.of(2), 0, 1), Tensor.ofInts(Shape.scalar(), 0), ON, OFF))
        .isEqualTo(Tensor.ofFloats(Shape.of(2, 0)));
  }

  @Test
  void attrsAndInputsAreChecked() {
    Tensor indices = Tensor.ofInts(Shape.of(2), 0, 1);
    assertThatThrownBy(() -> run(axis(2), indices, DEPTH, ON, OFF)).isInstanceOf(KernelException.class)
        .hasMessage("Expected axis to be -1 or between [0, 2).  But received: 2");
    assertThatThrownBy(() -> run(axis(-2), indices, DEPTH, ON, OFF))
        .hasMessage("Expected axis to be -1 or between [0, 2).  But received: -2");
    assertThatThrownBy(() -> run("OneHot", indices, Tensor.ofInts(Shape.of(1), 3), ON, OFF))
        .hasMessage("depth must be a scalar, but got: [1]");
    assertThatThrownBy(() -> run("OneHot", indices, DEPTH, Tensor.ofFloats(Shape.of(1), 1), OFF))
        .hasMessage("on_value must be a scalar, but got: [1]");
    assertThatThrownBy(() -> run("OneHot", indices, DEPTH, ON, Tensor.ofFloats(Shape.of(1), 1)))
        .hasMessage("off_value must be a scalar, but got: [1]");
    assertThatThrownBy(() -> run("OneHot", indices, Tensor.ofInts(Shape.scalar(), -1), ON, OFF))
        .hasMessage("depth must be non-negative, got: -1");
    assertThatThrownBy(() -> run("OneHot", indices, Tensor.scalar(3L), ON, OFF))
        .hasMessage("Input 'depth' of 'OneHot' Op has type int64 that does not match expected type of int32.");
    assertThatThrownBy(() -> run("OneHot", indices, DEPTH, ON, Tensor.ofDoubles(Shape.scalar(), 0)))
        .hasMessage("Input 'off_value' of 'OneHot' Op has type float64 that does not match type float32 of "
            + "argument 'on_value'.");
    assertThatThrownBy(() -> run("OneHot", Tensor.ofFloats(Shape.of(1), 0), DEPTH, ON, OFF))
        .hasMessage("Unsupported dtype float32 for op OneHot (node onehot): no kernel registered for TI=DT_FLOAT; "
            + "supported: int32, int64, int8, uint8");
  }
}
