package io.sparkpoint.kernels.array;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.IndexTensors;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * TF's ValidateStridedSliceOp: turns the sparse spec (begin/end/strides with the five masks) into
 * one start, stride and size per input dimension, and the final shape (new axes added, shrunk axes
 * removed).
 */
record StridedSliceSpec(long[] begin, long[] strides, long[] sizes, long[] finalShape) {
  private static final int NEW_AXIS = -1;
  private static final int SHRINK_AXIS = -2;

  record Masks(int begin, int end, int ellipsis, int newAxis, int shrinkAxis) {
    /** The node's begin_mask, end_mask, ellipsis_mask, new_axis_mask and shrink_axis_mask (0 when absent), checked. */
    static Masks of(NodeDef node) {
      Masks masks = new Masks(
          (int) NodeAttrs.integer(node, "begin_mask", 0),
          (int) NodeAttrs.integer(node, "end_mask", 0),
          (int) NodeAttrs.integer(node, "ellipsis_mask", 0),
          (int) NodeAttrs.integer(node, "new_axis_mask", 0),
          (int) NodeAttrs.integer(node, "shrink_axis_mask", 0));
      masks.check();
      return masks;
    }

    /** Checked when the kernel is created. */
    void check() {
      if (Integer.bitCount(ellipsis) > 1) {
        throw new KernelException("Multiple ellipses in slice spec not allowed");
      }
    }
  }

  /**
   * The spec of the node's begin, end and strides inputs (int16, int32 or int64 vectors of one
   * length) against an input of shape {@code dims}.
   *
   * @throws KernelException TF's "Expected begin, end, and strides to be 1D equal size tensors, …"
   */
  static StridedSliceSpec resolve(NodeDef node, long[] dims, Masks masks, Tensor begin, Tensor end, Tensor strides) {
    if (begin.shape().rank() != 1 || !begin.shape().equals(end.shape()) || !begin.shape().equals(strides.shape())) {
      throw new KernelException("Expected begin, end, and strides to be 1D equal size tensors, but got shapes "
          + begin.shape() + ", " + end.shape() + ", and " + strides.shape() + " instead.");
    }
    return resolve(dims, masks,
        IndexTensors.valuesAllowingInt16(node, begin, "begin"),
        IndexTensors.valuesAllowingInt16(node, end, "end"),
        IndexTensors.valuesAllowingInt16(node, strides, "strides"));
  }

  static StridedSliceSpec resolve(long[] dims, Masks masks, long[] begin, long[] end, long[] strides) {
    int sparseDims = begin.length;
    if (sparseDims > 32) {
      throw new KernelException("Unsupported StridedSlice spec with " + sparseDims + " indices: at most 32");
    }
    int ellipsisMask = masks.ellipsis();
    int addAxisAfterEllipsis = 0;
    boolean ellipsisSeen = false;
    for (int i = 0; i < sparseDims; i++) {
      if (ellipsisSeen && bit(masks.newAxis(), i)) {
        addAxisAfterEllipsis++;
      }
      if (bit(ellipsisMask, i)) {
        ellipsisSeen = true;
      }
    }
    boolean implicitEllipsis = !ellipsisSeen;
    int rank = dims.length;
    long[] dBegin = new long[rank];
    long[] dEnd = new long[rank];
    long[] dStride = new long[rank];
    boolean[] dBeginMask = new boolean[rank];
    boolean[] dEndMask = new boolean[rank];
    boolean[] dShrink = new boolean[rank];
    List<Integer> gather = new ArrayList<>();
    int full = 0;
    int totalSparse = sparseDims + (implicitEllipsis ? 1 : 0);
    for (int i = 0; i < totalSparse; i++) {
      boolean isEllipsis = implicitEllipsis ? i == sparseDims : bit(ellipsisMask, i);
      if (isEllipsis) {
        int next = Math.min(rank - (totalSparse - i) + 1 + addAxisAfterEllipsis, rank);
        for (; full < next; full++) {
          dStride[full] = 1;
          dBeginMask[full] = true;
          dEndMask[full] = true;
          gather.add(full);
        }
      } else if (bit(masks.newAxis(), i)) {
        gather.add(NEW_AXIS);
      } else {
        if (full == rank) {
          if (rank == 0) {
            throw new KernelException("Attempting to slice scalar input.");
          }
          throw new KernelException("Index out of range using input dim " + full + "; input has only " + rank + " dims");
        }
        dBegin[full] = begin[i];
        dEnd[full] = end[i];
        dStride[full] = strides[i];
        dBeginMask[full] = bit(masks.begin(), i);
        dEndMask[full] = bit(masks.end(), i);
        if (bit(masks.shrinkAxis(), i)) {
          dShrink[full] = true;
          gather.add(SHRINK_AXIS);
        } else {
          gather.add(full);
        }
        full++;
      }
    }
    long[] outBegin = new long[rank];
    long[] sizes = new long[rank];
    for (int d = 0; d < rank; d++) {
      long stride = dStride[d];
      long dim = dims[d];
      if (stride == 0) {
        throw new KernelException("strides[" + d + "] must be non-zero");
      }
      if (dShrink[d] && stride <= 0) {
        throw new KernelException("only stride 1 allowed on non-range indexing.");
      }
      long b;
      long e;
      if (dShrink[d]) {
        long forward = dBegin[d] < 0 ? dim + dBegin[d] : dBegin[d];
        if (forward < 0 || forward >= dim) {
          throw new KernelException("slice index " + dBegin[d] + " of dimension " + d + " out of bounds.");
        }
        b = forward;
        e = forward + 1;
      } else {
        b = canonical(dBegin[d], dBeginMask[d], 0, stride, dim);
        e = canonical(dEnd[d], dEndMask[d], 1, stride, dim);
      }
      long interval = e - b;
      long size;
      if (interval == 0 || (interval < 0) != (stride < 0)) {
        size = 0;
      } else {
        size = interval / stride + (interval % stride != 0 ? 1 : 0);
      }
      outBegin[d] = b;
      sizes[d] = size;
      dStride[d] = stride;
    }
    List<Long> shape = new ArrayList<>();
    for (int g : gather) {
      if (g >= 0) {
        shape.add(sizes[g]);
      } else if (g == NEW_AXIS) {
        shape.add(1L);
      }
    }
    return new StridedSliceSpec(outBegin, dStride, sizes, shape.stream().mapToLong(Long::longValue).toArray());
  }

  /** The begin (which 0) or end (which 1) index, clamped into the dimension the way TF does. */
  private static long canonical(long x, boolean masked, int which, long stride, long dim) {
    long low = stride > 0 ? 0 : -1;
    long high = stride > 0 ? dim : dim - 1;
    if (masked) {
      return (stride > 0) == (which == 0) ? low : high;
    }
    long forward = x < 0 ? dim + x : x;
    return Math.max(low, Math.min(high, forward));
  }

  private static boolean bit(int mask, int i) {
    return (mask & (1 << i)) != 0;
  }
}
