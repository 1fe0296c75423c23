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

/** GatherV2 (axis, batch_dims, every error) against hand-computed values. */
class GatherV2Test {
  /** [[0,1,2],[3,4,5]] */
  private static final Tensor P = Tensor.ofFloats(Shape.of(2, 3), 0, 1, 2, 3, 4, 5);

  private static Tensor ints(int... values) {
    return Tensor.ofInts(Shape.of(values.length), values);
  }

  private static Tensor axis(int value) {
    return Tensor.ofInts(Shape.scalar(), value);
  }

  private static NodeDef.Builder batchDims(long value) {
    return node("GatherV2").putAttr("batch_dims", integer(value));
  }

  @Test
  void gathersAlongAnyAxis() {
    assertClose(run("GatherV2", P, ints(1, 0, 1), axis(0)), Tensor.ofFloats(Shape.of(3, 3), 3, 4, 5, 0, 1, 2, 3, 4, 5));
    assertClose(run("GatherV2", P, ints(2, 0), axis(1)), Tensor.ofFloats(Shape.of(2, 2), 2, 0, 5, 3));
    assertClose(run("GatherV2", P, ints(2, 0), axis(-1)), Tensor.ofFloats(Shape.of(2, 2), 2, 0, 5, 3));
    assertClose(run("GatherV2", P, Tensor.ofLongs(Shape.of(1), 1), Tensor.scalar(-2L)), Tensor.ofFloats(Shape.of(1, 3), 3, 4, 5));
  }

  @Test
  void indicesShapeReplacesTheAxis() {
    Tensor matrix = Tensor.ofInts(Shape.of(2, 2), 0, 2, 1, 1);
    assertClose(run("GatherV2", P, matrix, axis(1)), Tensor.ofFloats(Shape.of(2, 2, 2), 0, 2, 1, 1, 3, 5, 4, 4));
    assertClose(run("GatherV2", P, Tensor.ofInts(Shape.scalar(), 1), axis(0)), Tensor.ofFloats(Shape.of(3), 3, 4, 5));
    assertThat(run("GatherV2", P, Tensor.ofInts(Shape.of(0)), axis(1)).shape()).isEqualTo(Shape.of(2, 0));
  }

  @Test
  void gathersStringsAndBytes() {
    Tensor words = Tensor.ofStrings(Shape.of(3), "a", "bb", "");
    assertThat(run("GatherV2", words, ints(2, 1, 1), axis(0))).isEqualTo(Tensor.ofStrings(Shape.of(3), "", "bb", "bb"));
    Tensor half = Tensor.of(DType.HALF, Shape.of(2), new byte[] {1, 2, 3, 4});
    assertThat(run("GatherV2", half, ints(1), axis(0))).isEqualTo(Tensor.of(DType.HALF, Shape.of(1), new byte[] {3, 4}));
  }

  @Test
  void batchDimsPairsParamsAndIndicesRowByRow() {
    Tensor perRow = Tensor.ofInts(Shape.of(2, 2), 0, 2, 1, 1);
    Tensor expected = Tensor.ofFloats(Shape.of(2, 2), 0, 2, 4, 4);
    assertClose(run(batchDims(1), P, perRow, axis(1)), expected);
    assertClose(run(batchDims(-1), P, perRow, axis(1)), expected);
    // params [2,2,3], axis 2: out[b][o][i] = params[b][o][indices[b][i]]
    Tensor cube = Tensor.ofInts(Shape.of(2, 2, 3), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    assertClose(run(batchDims(1), cube, Tensor.ofInts(Shape.of(2, 1), 2, 0), axis(2)),
        Tensor.ofInts(Shape.of(2, 2, 1), 2, 5, 6, 9));
    assertClose(run(batchDims(1), cube, Tensor.ofInts(Shape.of(2, 1), 1, 0), axis(1)),
        Tensor.ofInts(Shape.of(2, 1, 3), 3, 4, 5, 6, 7, 8));
  }

  @Test
  void outOfRangeIndicesNameTheirPosition() {
    assertThatThrownBy(() -> run("GatherV2", P, ints(0, 2), axis(0))).isInstanceOf(KernelException.class)
        .hasMessage("indices[1] = 2 is not in [0, 2)");
    assertThatThrownBy(() -> run("GatherV2", P, Tensor.ofInts(Shape.of(2, 2), 0, 1, -1, 0), axis(1)))
        .hasMessage("indices[1,0] = -1 is not in [0, 3)");
    assertThatThrownBy(() -> run("GatherV2", P, Tensor.ofLongs(Shape.scalar(), 3), axis(1)))
        .hasMessage("indices = 3 is not in [0, 3)");
    assertThatThrownBy(() -> run(batchDims(1), P, Tensor.ofInts(Shape.of(2, 2), 0, 2, 1, 3), axis(1)))
        .hasMessage("indices[1,1] = 3 is not in [0, 3)");
  }

  @Test
  void indicesAreNotCheckedWhenNothingIsCopied() {
    Tensor noColumns = Tensor.ofFloats(Shape.of(2, 0));
    assertThat(run("GatherV2", noColumns, ints(7), axis(0)).shape()).isEqualTo(Shape.of(1, 0));
  }

  @Test
  void axisAndParamsAreChecked() {
    assertThatThrownBy(() -> run("GatherV2", Tensor.scalar(1f), ints(0), axis(0)))
        .hasMessage("params must be at least 1 dimensional");
    assertThatThrownBy(() -> run("GatherV2", P, ints(0), ints(0)))
        .hasMessage("axis must be scalar");
    assertThatThrownBy(() -> run("GatherV2", P, ints(0), Tensor.scalar(0f)))
        .hasMessage("axis must be int32 or int64.");
    assertThatThrownBy(() -> run("GatherV2", P, ints(0), axis(2)))
        .hasMessage("Shape must be at least rank 3 but is rank 2");
    assertThatThrownBy(() -> run("GatherV2", P, ints(0), axis(-3)))
        .hasMessage("Shape must be at least rank 3 but is rank 2");
    assertThatThrownBy(() -> run("GatherV2", P, Tensor.ofFloats(Shape.of(1), 0), axis(0)))
        .hasMessage("Unsupported dtype float32 for op GatherV2 (node gatherv2): no kernel registered for "
            + "Tindices=DT_FLOAT; supported: int32, int64");
  }

  @Test
  void batchDimsAreChecked() {
    Tensor perRow = Tensor.ofInts(Shape.of(2, 2), 0, 2, 1, 1);
    assertThatThrownBy(() -> run(batchDims(3), P, perRow, axis(1)))
        .hasMessage("Expected batch_dims in the range [-2, 2], but got 3");
    assertThatThrownBy(() -> run(batchDims(2), P, perRow, axis(1)))
        .hasMessage("batch_dims (2) must be less than rank(params) (2).");
    assertThatThrownBy(() -> run(batchDims(1), P, perRow, axis(0)))
        .hasMessage("batch_dims (1) must be less than or equal to axis (0).");
    assertThatThrownBy(() -> run(batchDims(1), P, Tensor.ofInts(Shape.of(3, 1), 0, 0, 0), axis(1)))
        .hasMessage("params.shape[0]: 2 should be equal to indices.shape[0]: 3");
  }
}
