package io.sparkpoint.kernels.array;

import io.sparkpoint.kernels.TensorElements;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Moves elements without looking at their values: every fixed-width dtype is copied as its
 * little-endian bytes, and string elements are copied as they are. Resource and variant tensors
 * are refused.
 */
final class Elements {
  private Elements() {}

  /** See {@link TensorElements#requireMovable}. */
  static void requireMovable(NodeDef node, DType type) {
    TensorElements.requireMovable(node, type);
  }

  /** The same elements under another shape with the same element count. */
  static Tensor reshape(Tensor source, Shape shape) {
    if (source.shape().equals(shape)) {
      return source;
    }
    if (source.dtype() == DType.STRING) {
      return Tensor.ofStrings(shape, strings(source));
    }
    return Tensor.wrap(source.dtype(), shape, source.data());
  }

  /** A tensor of {@code shape} whose element i is element {@code index[i]} of the source. */
  static Tensor gather(Tensor source, Shape shape, int[] index) {
    return TensorElements.gather(source, shape, index);
  }

  /**
   * The inverse of {@link #gather}: a tensor of {@code shape} holding element i of the source at
   * {@code index[i]} (a later i wins where two share a place) and zero everywhere else: zero bytes
   * for fixed-width dtypes (0, false), the empty string for strings.
   */
  static Tensor scatter(Tensor source, Shape shape, int[] index) {
    int total = Math.toIntExact(shape.numElements());
    if (source.dtype() == DType.STRING) {
      byte[][] out = new byte[total][];
      Arrays.fill(out, new byte[0]);
      for (int i = 0; i < index.length; i++) {
        out[index[i]] = source.string(i);
      }
      return Tensor.ofStrings(shape, Arrays.asList(out));
    }
    int width = source.dtype().byteWidth();
    byte[] in = source.bytes();
    byte[] out = new byte[Math.multiplyExact(total, width)];
    int i = 0;
    while (i < index.length) {
      // copy runs of consecutive destinations at once
      int j = i + 1;
      while (j < index.length && index[j] == index[j - 1] + 1) {
        j++;
      }
      System.arraycopy(in, i * width, out, index[i] * width, (j - i) * width);
      i = j;
    }
    return Tensor.wrap(source.dtype(), shape, ByteBuffer.wrap(out));
  }

  /** A tensor of {@code shape} with every element equal to the one element of {@code value}. */
  static Tensor fill(Tensor value, Shape shape) {
    return gather(value, shape, new int[Math.toIntExact(shape.numElements())]);
  }

  /**
   * Joins the parts along one axis: each part is viewed as [outer, inner_i], and the result as
   * [outer, sum of inner_i].
   */
  static Tensor concat(List<Tensor> parts, Shape shape, long outer) {
    int total = Math.toIntExact(shape.numElements());
    int[] partOf = new int[total];
    int[] index = new int[total];
    int o = 0;
    for (long row = 0; row < outer; row++) {
      for (int p = 0; p < parts.size(); p++) {
        long inner = outer == 0 ? 0 : parts.get(p).numElements() / outer;
        for (long k = 0; k < inner; k++, o++) {
          partOf[o] = p;
          index[o] = Math.toIntExact(row * inner + k);
        }
      }
    }
    DType type = parts.get(0).dtype();
    if (type == DType.STRING) {
      List<byte[]> out = new ArrayList<>(total);
      for (int i = 0; i < total; i++) {
        out.add(parts.get(partOf[i]).string(index[i]));
      }
      return Tensor.ofStrings(shape, out);
    }
    int width = type.byteWidth();
    byte[][] sources = new byte[parts.size()][];
    for (int p = 0; p < sources.length; p++) {
      sources[p] = parts.get(p).bytes();
    }
    byte[] out = new byte[Math.multiplyExact(total, width)];
    for (int i = 0; i < total; i++) {
      System.arraycopy(sources[partOf[i]], index[i] * width, out, i * width, width);
    }
    return Tensor.wrap(type, shape, ByteBuffer.wrap(out));
  }

  /**
   * The source indices of a strided view: output axis k walks input axis {@code axes[k]} from
   * {@code begin[k]} in steps of {@code stride[k]}, {@code size[k]} times.
   */
  static int[] strided(long[] inputDims, int[] axes, long[] begin, long[] stride, long[] size) {
    long[] steps = rowMajorSteps(inputDims);
    long count = 1;
    for (long s : size) {
      count = Math.multiplyExact(count, s);
    }
    int[] index = new int[Math.toIntExact(count)];
    if (count == 0) {
      return index;
    }
    int rank = size.length;
    long[] counter = new long[rank];
    long offset = 0;
    for (int k = 0; k < rank; k++) {
      offset += begin[k] * steps[axes[k]];
    }
    for (int i = 0; i < index.length; i++) {
      index[i] = Math.toIntExact(offset);
      for (int k = rank - 1; k >= 0; k--) {
        long step = stride[k] * steps[axes[k]];
        if (++counter[k] < size[k]) {
          offset += step;
          break;
        }
        offset -= step * (size[k] - 1);
        counter[k] = 0;
      }
    }
    return index;
  }

  /** Elements between neighbours along each axis in row-major order. */
  static long[] rowMajorSteps(long[] dims) {
    long[] steps = new long[dims.length];
    long step = 1;
    for (int k = dims.length - 1; k >= 0; k--) {
      steps[k] = step;
      step *= dims[k];
    }
    return steps;
  }

  static int[] identityAxes(int rank) {
    int[] axes = new int[rank];
    for (int k = 0; k < rank; k++) {
      axes[k] = k;
    }
    return axes;
  }

  private static List<byte[]> strings(Tensor tensor) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < tensor.numElements(); i++) {
      out.add(tensor.string(i));
    }
    return out;
  }
}
