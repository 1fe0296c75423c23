package io.sparkpoint.kernels.math;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.Broadcasting;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** MatMul (transpose_a/b) and BatchMatMulV2 (adj_x/y, broadcast batch dimensions). */
final class MatMulKernels {
  private MatMulKernels() {}

  static Kernel matMul(NodeDef node) {
    DTypeRules.checkTypeAttr(node, DTypeRules.NUMBERS);
    boolean transposeA = NodeAttrs.bool(node, "transpose_a", false);
    boolean transposeB = NodeAttrs.bool(node, "transpose_b", false);
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs(), DTypeRules.NUMBERS, "a", "b");
      Tensor a = context.input(0);
      Tensor b = context.input(1);
      for (int i = 0; i < 2; i++) {
        Shape shape = context.input(i).shape();
        if (shape.rank() != 2) {
          throw new KernelException("In[" + i + "] is not a matrix. Instead it has shape " + shape);
        }
      }
      long inner = a.shape().dim(transposeA ? 0 : 1);
      if (inner != b.shape().dim(transposeB ? 1 : 0)) {
        throw sizeIncompatible(a.shape(), b.shape());
      }
      long m = a.shape().dim(transposeA ? 1 : 0);
      long n = b.shape().dim(transposeB ? 0 : 1);
      if ((type == DType.FLOAT || type == DType.DOUBLE) && m > 0 && n > 0 && inner > 0) {
        // straight into a row-major result: no transposed copies of the operands or of the product
        INDArray out = Nd4j.createUninitialized(NdArrays.nd4jType(type), new long[] {m, n}, 'c');
        Nd4j.gemm(NdArrays.toNd4j(a), NdArrays.toNd4j(b), out, transposeA, transposeB, 1.0, 0.0);
        return List.of(context.fresh(NdArrays.adopt(out)));
      }
      INDArray x = orient(NdArrays.toNd4j(a), transposeA);
      INDArray y = orient(NdArrays.toNd4j(b), transposeB);
      return List.of(NdArrays.fromNd4j(multiply(x, y, m, n)));
    };
  }

  static Kernel batchMatMul(NodeDef node) {
    DTypeRules.checkTypeAttr(node, DTypeRules.NUMBERS);
    boolean adjX = NodeAttrs.bool(node, "adj_x", false);
    boolean adjY = NodeAttrs.bool(node, "adj_y", false);
    return context -> {
      DTypeRules.sharedType(node, context.inputs(), DTypeRules.NUMBERS, "x", "y");
      long[] xs = context.input(0).shape().dims();
      long[] ys = context.input(1).shape().dims();
      for (int i = 0; i < 2; i++) {
        int rank = context.input(i).shape().rank();
        if (rank < 2) {
          throw new KernelException("In[" + i + "] ndims must be >= 2: " + rank);
        }
      }
      long[] batch = Broadcasting.dims(Arrays.copyOf(xs, xs.length - 2), Arrays.copyOf(ys, ys.length - 2));
      if (batch == null) {
        throw new KernelException(
            "In[0] and In[1] must have compatible batch dimensions: " + context.input(0).shape() + " vs. "
                + context.input(1).shape());
      }
      long xr = xs[xs.length - 2];
      long xc = xs[xs.length - 1];
      long yr = ys[ys.length - 2];
      long yc = ys[ys.length - 1];
      if ((adjX ? xr : xc) != (adjY ? yc : yr)) {
        throw sizeIncompatible(context.input(0).shape(), context.input(1).shape());
      }
      long m = adjX ? xc : xr;
      long n = adjY ? yr : yc;
      long count = Shape.of(batch).numElements();
      INDArray x = flatBatch(NdArrays.toNd4j(context.input(0)), batch, xr, xc);
      INDArray y = flatBatch(NdArrays.toNd4j(context.input(1)), batch, yr, yc);
      INDArray out = Nd4j.create(x.dataType(), count, m, n);
      for (long i = 0; i < count; i++) {
        out.slice(i).assign(multiply(orient(x.slice(i), adjX), orient(y.slice(i), adjY), m, n));
      }
      long[] outDims = Arrays.copyOf(batch, batch.length + 2);
      outDims[batch.length] = m;
      outDims[batch.length + 1] = n;
      return List.of(NdArrays.fromNd4j(out.reshape('c', outDims)));
    };
  }

  private static KernelException sizeIncompatible(Shape a, Shape b) {
    return new KernelException("Matrix size-incompatible: In[0]: " + a + ", In[1]: " + b);
  }

  private static INDArray orient(INDArray matrix, boolean transpose) {
    return transpose ? matrix.transpose() : matrix;
  }

  /** The operand broadcast to the batch shape and viewed as [batch, rows, cols]. */
  private static INDArray flatBatch(INDArray array, long[] batch, long rows, long cols) {
    long[] full = Arrays.copyOf(batch, batch.length + 2);
    full[batch.length] = rows;
    full[batch.length + 1] = cols;
    return Broadcasting.expand(array, full).dup('c').reshape('c', Shape.of(batch).numElements(), rows, cols);
  }

  /**
   * [m,k] x [k,n]. Floats go through ND4J's gemm; integers are multiplied exactly here (wrapping
   * like TF's Eigen kernels), as BLAS has no integer gemm.
   */
  private static INDArray multiply(INDArray x, INDArray y, long m, long n) {
    DataType type = x.dataType();
    if (m == 0 || n == 0 || x.size(1) == 0) {
      return Nd4j.zeros(type, m, n);
    }
    if (type != DataType.INT && type != DataType.LONG) {
      return x.mmul(y);
    }
    long[][] a = x.toLongMatrix();
    long[][] b = y.toLongMatrix();
    long[] out = new long[Math.toIntExact(m * n)];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        long sum = 0;
        for (int k = 0; k < a[i].length; k++) {
          sum += a[i][k] * b[k][j];
        }
        out[i * (int) n + j] = type == DataType.INT ? (int) sum : sum;
      }
    }
    return Nd4j.createFromArray(out).castTo(type).reshape('c', m, n);
  }
}
