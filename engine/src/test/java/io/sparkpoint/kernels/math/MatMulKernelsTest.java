package io.sparkpoint.kernels.math;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.bool;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** MatMul and BatchMatMulV2 against hand-computed products; tolerances are in KernelRunner. */
class MatMulKernelsTest {
  // A = [[1,2,3],[4,5,6]], B = [[7,8],[9,10],[11,12]], A·B = [[58,64],[139,154]]
  private static final Tensor A = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
  private static final Tensor B = Tensor.ofFloats(Shape.of(3, 2), 7, 8, 9, 10, 11, 12);
  private static final Tensor AB = Tensor.ofFloats(Shape.of(2, 2), 58, 64, 139, 154);
  private static final Tensor A_T = Tensor.ofFloats(Shape.of(3, 2), 1, 4, 2, 5, 3, 6);
  private static final Tensor B_T = Tensor.ofFloats(Shape.of(2, 3), 7, 9, 11, 8, 10, 12);

  @Test
  void matMulMultipliesMatrices() {
    assertClose(run("MatMul", A, B), AB);
  }

  @Test
  void matMulHonoursTransposeAttrs() {
    assertClose(run(node("MatMul").putAttr("transpose_a", bool(true)), A_T, B), AB);
    assertClose(run(node("MatMul").putAttr("transpose_b", bool(true)), A, B_T), AB);
    assertClose(run(node("MatMul").putAttr("transpose_a", bool(true)).putAttr("transpose_b", bool(true)), A_T, B_T), AB);
    // Aᵀ·Aᵀᵀ... i.e. Aᵀ·A is 3x3: [[17,22,27],[22,29,36],[27,36,45]]
    assertClose(run(node("MatMul").putAttr("transpose_a", bool(true)), A, A),
        Tensor.ofFloats(Shape.of(3, 3), 17, 22, 27, 22, 29, 36, 27, 36, 45));
  }

  @Test
  void matMulOnFloat64AndIntegers() {
    Tensor a = Tensor.ofDoubles(Shape.of(1, 2), 0.1, 0.2);
    Tensor b = Tensor.ofDoubles(Shape.of(2, 1), 0.3, 0.4);
    assertClose(run("MatMul", a, b), Tensor.ofDoubles(Shape.of(1, 1), 0.1 * 0.3 + 0.2 * 0.4));
    Tensor ia = Tensor.ofInts(Shape.of(2, 2), 1, 2, 3, 4);
    Tensor ib = Tensor.ofInts(Shape.of(2, 2), 5, 6, 7, 8);
    assertClose(run("MatMul", ia, ib), Tensor.ofInts(Shape.of(2, 2), 19, 22, 43, 50));
    Tensor la = Tensor.ofLongs(Shape.of(1, 1), 1L << 40);
    assertClose(run("MatMul", la, Tensor.ofLongs(Shape.of(1, 1), 3)), Tensor.ofLongs(Shape.of(1, 1), 3L << 40));
  }

  @Test
  void matMulSizeMismatchUsesTfWording() {
    Tensor b = Tensor.ofFloats(Shape.of(4, 5), new float[20]);
    assertThatThrownBy(() -> run("MatMul", A, b))
        .isInstanceOf(KernelException.class)
        .hasMessage("Matrix size-incompatible: In[0]: [2,3], In[1]: [4,5]");
  }

  @Test
  void matMulNeedsMatrices() {
    Tensor vector = Tensor.ofFloats(Shape.of(3), 1, 2, 3);
    assertThatThrownBy(() -> run("MatMul", A, vector))
        .hasMessage("In[1] is not a matrix. Instead it has shape [3]");
  }

  @Test
  void batchMatMulMultipliesEachBatch() {
    Tensor x = Tensor.ofFloats(Shape.of(2, 2, 3), 1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0);
    Tensor y = Tensor.ofFloats(Shape.of(2, 3, 2), 7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6);
    assertClose(run("BatchMatMulV2", x, y),
        Tensor.ofFloats(Shape.of(2, 2, 2), 58, 64, 139, 154, 1, 2, 3, 4));
  }

  @Test
  void batchMatMulBroadcastsBatchDimensions() {
    // x: [2,1,2,3] (A and 2A), y: [3,3,2] (B, I-ish, B); out: [2,3,2,2]
    Tensor x = Tensor.ofFloats(Shape.of(2, 1, 2, 3), 1, 2, 3, 4, 5, 6, 2, 4, 6, 8, 10, 12);
    Tensor y = Tensor.ofFloats(Shape.of(3, 3, 2), 7, 8, 9, 10, 11, 12, 1, 0, 0, 1, 0, 0, 7, 8, 9, 10, 11, 12);
    float[] expected = {
        58, 64, 139, 154, 1, 2, 4, 5, 58, 64, 139, 154,
        116, 128, 278, 308, 2, 4, 8, 10, 116, 128, 278, 308};
    assertClose(run("BatchMatMulV2", x, y), Tensor.ofFloats(Shape.of(2, 3, 2, 2), expected));
    // A rank-2 operand broadcasts against a batch.
    Tensor batch = Tensor.ofFloats(Shape.of(1, 2, 3), 1, 2, 3, 4, 5, 6);
    assertClose(run("BatchMatMulV2", batch, B), Tensor.ofFloats(Shape.of(1, 2, 2), 58, 64, 139, 154));
  }

  @Test
  void batchMatMulHonoursAdjoints() {
    Tensor x = Tensor.ofFloats(Shape.of(1, 3, 2), 1, 4, 2, 5, 3, 6);
    Tensor y = Tensor.ofFloats(Shape.of(1, 2, 3), 7, 9, 11, 8, 10, 12);
    Tensor expected = Tensor.ofFloats(Shape.of(1, 2, 2), 58, 64, 139, 154);
    assertClose(run(node("BatchMatMulV2").putAttr("adj_x", bool(true)).putAttr("adj_y", bool(true)), x, y), expected);
  }

  @Test
  void batchMatMulErrorsUseTfWording() {
    Tensor x = Tensor.ofFloats(Shape.of(2, 2, 3), new float[12]);
    Tensor y = Tensor.ofFloats(Shape.of(3, 3, 2), new float[18]);
    assertThatThrownBy(() -> run("BatchMatMulV2", x, y))
        .hasMessage("In[0] and In[1] must have compatible batch dimensions: [2,2,3] vs. [3,3,2]");
    Tensor z = Tensor.ofFloats(Shape.of(2, 4, 2), new float[16]);
    assertThatThrownBy(() -> run("BatchMatMulV2", x, z))
        .hasMessage("Matrix size-incompatible: In[0]: [2,2,3], In[1]: [2,4,2]");
    assertThatThrownBy(() -> run("BatchMatMulV2", Tensor.ofFloats(Shape.of(3), 1, 2, 3), z))
        .hasMessage("In[0] ndims must be >= 2: 1");
  }
}
