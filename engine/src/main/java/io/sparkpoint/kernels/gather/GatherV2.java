package io.sparkpoint.kernels.gather;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.kernels.TensorElements;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Set;

/**
 * GatherV2: slices of {@code params} along {@code axis} picked by {@code indices}, with TF's
 * batch_dims. The output shape is params[:axis] + indices[batch_dims:] + params[axis+1:]. Elements
 * are copied, never read, so every fixed-width and string dtype works.
 */
final class GatherV2 {
  static final Set<DType> INDEX_TYPES = Set.of(DType.INT32, DType.INT64);

  private GatherV2() {}

  static Kernel kernel(NodeDef node) {
    long batchDimsAttr = NodeAttrs.integer(node, "batch_dims", 0);
    return context -> {
      Tensor params = context.input(0);
      Tensor indices = context.input(1);
      Tensor axisTensor = context.input(2);
      TensorElements.requireMovable(node, params.dtype());
      DTypeRules.requireSupported(node, "Tindices", indices.dtype(), INDEX_TYPES);
      long[] dims = params.shape().dims();
      long[] indexDims = indices.shape().dims();
      if (dims.length == 0) {
        throw new KernelException("params must be at least 1 dimensional");
      }
      if (!axisTensor.shape().isScalar()) {
        throw new KernelException("axis must be scalar");
      }
      if (axisTensor.dtype() != DType.INT32 && axisTensor.dtype() != DType.INT64) {
        throw new KernelException("axis must be int32 or int64.");
      }
      long axis = axisTensor.longAt(0);
      long minRank = axis < 0 ? -axis : axis + 1;
      if (dims.length < minRank) {
        throw new KernelException("Shape must be at least rank " + minRank + " but is rank " + dims.length);
      }
      int a = (int) (axis < 0 ? axis + dims.length : axis);
      int batchDims = batchDims(batchDimsAttr, dims, indexDims, a);
      return List.of(gather(params, indices, a, batchDims));
    };
  }

  /** batch_dims resolved (a negative value counts from the end of indices' shape) and checked. */
  private static int batchDims(long attr, long[] dims, long[] indexDims, int axis) {
    if (attr == 0) {
      return 0;
    }
    if (attr < -indexDims.length || attr > indexDims.length) {
      throw new KernelException("Expected batch_dims in the range [" + -indexDims.length + ", " + indexDims.length
          + "], but got " + attr);
    }
    int batchDims = (int) (attr < 0 ? attr + indexDims.length : attr);
    if (batchDims >= dims.length) {
      throw new KernelException(
          "batch_dims (" + batchDims + ") must be less than rank(params) (" + dims.length + ").");
    }
    if (axis < batchDims) {
      throw new KernelException(
          "batch_dims (" + batchDims + ") must be less than or equal to axis (" + axis + ").");
    }
    for (int i = 0; i < batchDims; i++) {
      if (dims[i] != indexDims[i]) {
        throw new KernelException("params.shape[" + i + "]: " + dims[i] + " should be equal to indices.shape["
            + i + "]: " + indexDims[i]);
      }
    }
    return batchDims;
  }

  /**
   * Views params as [batch, outer, limit, inner] and indices as [batch, per batch], and copies
   * slice [b, o, indices[b, i], :] to [b, o, i, :], checking each index as it is used (as TF does,
   * so indices are not checked when nothing is copied).
   */
  private static Tensor gather(Tensor params, Tensor indices, int axis, int batchDims) {
    long[] dims = params.shape().dims();
    long[] indexDims = indices.shape().dims();
    long batch = product(dims, 0, batchDims);
    long outer = product(dims, batchDims, axis);
    long limit = dims[axis];
    long inner = product(dims, axis + 1, dims.length);
    long[] outDims = new long[axis + indexDims.length - batchDims + dims.length - axis - 1];
    System.arraycopy(dims, 0, outDims, 0, axis);
    System.arraycopy(indexDims, batchDims, outDims, axis, indexDims.length - batchDims);
    System.arraycopy(dims, axis + 1, outDims, outDims.length - (dims.length - axis - 1), dims.length - axis - 1);
    Shape shape = Shape.of(outDims);
    int count = Math.toIntExact(indices.numElements());
    if (count == 0 || inner == 0) {
      return TensorElements.empty(params.dtype(), shape);
    }
    long perBatch = count / batch;
    int[] index = new int[Math.toIntExact(shape.numElements())];
    int o = 0;
    for (long b = 0; b < batch; b++) {
      for (long r = 0; r < outer; r++) {
        for (long i = 0; i < perBatch; i++) {
          long flat = b * perBatch + i;
          long value = indices.longAt(flat);
          if (value < 0 || value >= limit) {
            throw new KernelException("indices" + position(indices.shape(), flat) + " = " + value
                + " is not in [0, " + limit + ")");
          }
          long start = ((b * outer + r) * limit + value) * inner;
          for (long k = 0; k < inner; k++) {
            index[o++] = Math.toIntExact(start + k);
          }
        }
      }
    }
    return TensorElements.gather(params, shape, index);
  }

  /** TF's SliceDebugString: "" for a scalar, "[i]" for a vector, "[i,j,…]" above. */
  static String position(Shape shape, long flat) {
    long[] dims = shape.dims();
    if (dims.length == 0) {
      return "";
    }
    long[] coords = new long[dims.length];
    long left = flat;
    for (int k = dims.length - 1; k >= 0; k--) {
      coords[k] = k == 0 ? left : left % dims[k];
      left /= dims[k];
    }
    StringBuilder text = new StringBuilder("[");
    for (int k = 0; k < coords.length; k++) {
      text.append(k == 0 ? "" : ",").append(coords[k]);
    }
    return text.append(']').toString();
  }

  private static long product(long[] dims, int from, int to) {
    long product = 1;
    for (int k = from; k < to; k++) {
      product *= dims[k];
    }
    return product;
  }
}
