package io.sparkpoint.kernels;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Builds tensors from elements of other tensors, picked by index, without looking at their
 * values: fixed-width elements are copied as their little-endian bytes, string elements as they
 * are. Resource and variant tensors are refused.
 */
public final class TensorElements {
  /** The dtypes whose elements can be copied: every fixed-width one, and string. */
  public static final Set<DType> MOVABLE = movable();

  private TensorElements() {}

  private static Set<DType> movable() {
    Set<DType> types = EnumSet.of(DType.STRING);
    for (DType type : DType.values()) {
      if (type.isFixedWidth()) {
        types.add(type);
      }
    }
    return Set.copyOf(types);
  }

  /**
   * @throws KernelException "Unsupported dtype resource for op Reshape (node r): …"
   */
  public static void requireMovable(NodeDef node, DType type) {
    if (!MOVABLE.contains(type)) {
      throw new KernelException(
          "Unsupported dtype " + type.pythonName() + " for op " + node.getOp() + " (node " + node.getName()
              + "): only fixed-width and string tensors can be moved");
    }
  }

  /** A tensor of {@code shape} whose element i is element {@code index[i]} of the source. */
  public static Tensor gather(Tensor source, Shape shape, int[] index) {
    if (source.dtype() == DType.STRING) {
      List<byte[]> out = new ArrayList<>(index.length);
      for (int i : index) {
        out.add(source.string(i));
      }
      return Tensor.ofStrings(shape, out);
    }
    int width = source.dtype().byteWidth();
    byte[] in = source.bytes();
    byte[] out = new byte[Math.multiplyExact(index.length, width)];
    int i = 0;
    while (i < index.length) {
      // copy runs of consecutive source elements at once
      int j = i + 1;
      while (j < index.length && index[j] == index[j - 1] + 1) {
        j++;
      }
      System.arraycopy(in, index[i] * width, out, i * width, (j - i) * width);
      i = j;
    }
    return Tensor.wrap(source.dtype(), shape, ByteBuffer.wrap(out));
  }

  /**
   * A tensor of {@code shape} whose element i is element {@code firstIndex[i]} of {@code first}
   * where {@code takeFirst[i]}, else element {@code secondIndex[i]} of {@code second} (both of
   * one dtype).
   */
  public static Tensor choose(Shape shape, boolean[] takeFirst, Tensor first, int[] firstIndex, Tensor second,
      int[] secondIndex) {
    int n = takeFirst.length;
    if (first.dtype() == DType.STRING) {
      List<byte[]> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(takeFirst[i] ? first.string(firstIndex[i]) : second.string(secondIndex[i]));
      }
      return Tensor.ofStrings(shape, out);
    }
    int width = first.dtype().byteWidth();
    byte[] a = first.bytes();
    byte[] b = second.bytes();
    byte[] out = new byte[Math.multiplyExact(n, width)];
    for (int i = 0; i < n; i++) {
      if (takeFirst[i]) {
        System.arraycopy(a, firstIndex[i] * width, out, i * width, width);
      } else {
        System.arraycopy(b, secondIndex[i] * width, out, i * width, width);
      }
    }
    return Tensor.wrap(first.dtype(), shape, ByteBuffer.wrap(out));
  }

  /** An empty tensor of a movable dtype. */
  public static Tensor empty(DType type, Shape shape) {
    return type == DType.STRING ? Tensor.ofStrings(shape, List.of()) : Tensor.of(type, shape, new byte[0]);
  }
}
