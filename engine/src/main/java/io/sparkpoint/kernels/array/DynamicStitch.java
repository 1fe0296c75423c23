package io.sparkpoint.kernels.array;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * DynamicStitch: merged[indices[m][i], ...] = data[m][i, ...] for the N (indices, data) pairs,
 * taken in order, so a later pair (and a later position within one) wins an index given twice.
 * merged has max(indices) + 1 rows; rows no index names are zero, as in TensorFlow since it
 * clears the output first. Indices are int32; data of every fixed-width dtype and strings.
 */
final class DynamicStitch {
  private DynamicStitch() {}

  static Kernel kernel(NodeDef node) {
    return context -> {
      List<Tensor> inputs = context.inputs();
      if (inputs.isEmpty() || inputs.size() % 2 != 0) {
        throw new KernelException("DynamicStitchOp: Must have even number of arguments, got " + inputs.size());
      }
      int n = inputs.size() / 2;
      List<Tensor> indices = inputs.subList(0, n);
      List<Tensor> data = inputs.subList(n, 2 * n);
      DType type = data.get(0).dtype();
      Elements.requireMovable(node, type);
      for (int m = 0; m < n; m++) {
        DTypeRules.requireType(node, indices.get(m), "indices", DType.INT32);
        DTypeRules.requireType(node, data.get(m), "data", type);
      }
      int rows = checkedRowCount(indices);
      checkShapes(indices, data);
      Tensor indices0 = indices.get(0);
      long[] dataDims = data.get(0).shape().dims();
      long[] outDims = new long[1 + dataDims.length - indices0.shape().rank()];
      outDims[0] = rows;
      System.arraycopy(dataDims, indices0.shape().rank(), outDims, 1, outDims.length - 1);
      Shape out = Shape.of(outDims);
      int slice = rows == 0 ? 0 : Math.toIntExact(out.numElements() / rows);
      return List.of(type == DType.STRING ? stitchStrings(indices, data, out, slice)
          : stitchBytes(indices, data, out, slice));
    };
  }

  /**
   * max(indices) + 1, once every index is known to be in [0, that).
   *
   * @throws KernelException TF's "indices[1] is out of range" for a negative index (its position in its own tensor)
   */
  private static int checkedRowCount(List<Tensor> indices) {
    long max = -1;
    for (Tensor t : indices) {
      for (long i = 0; i < t.numElements(); i++) {
        max = Math.max(max, t.longAt(i));
      }
    }
    for (Tensor t : indices) {
      for (long i = 0; i < t.numElements(); i++) {
        if (t.longAt(i) < 0) {
          throw new KernelException("indices[" + i + "] is out of range");
        }
      }
    }
    return Math.toIntExact(max + 1);
  }

  /** data[m].shape must be indices[m].shape followed by one shape shared by every pair. */
  private static void checkShapes(List<Tensor> indices, List<Tensor> data) {
    Shape indices0 = indices.get(0).shape();
    Shape data0 = data.get(0).shape();
    for (int m = 0; m < indices.size(); m++) {
      Shape index = indices.get(m).shape();
      Shape values = data.get(m).shape();
      if (!values.startsWith(index)) {
        throw new KernelException("data[" + m + "].shape = " + values + " does not start with indices[" + m
            + "].shape = " + index);
      }
      if (m > 0 && !Arrays.equals(tail(data0, indices0.rank()), tail(values, index.rank()))) {
        throw new KernelException("Need data[0].shape[" + indices0.rank() + ":] = data[" + m + "].shape["
            + index.rank() + ":], got data[0].shape = " + data0 + ", data[" + m + "].shape = " + values
            + ", indices[0].shape = " + indices0 + ", indices[" + m + "].shape = " + index);
      }
    }
  }

  private static long[] tail(Shape shape, int from) {
    return Arrays.copyOfRange(shape.dims(), from, shape.rank());
  }

  private static Tensor stitchBytes(List<Tensor> indices, List<Tensor> data, Shape out, int slice) {
    DType type = data.get(0).dtype();
    int bytes = Math.multiplyExact(slice, type.byteWidth());
    byte[] merged = new byte[Math.multiplyExact(Math.toIntExact(out.numElements()), type.byteWidth())];
    for (int m = 0; m < indices.size(); m++) {
      Tensor index = indices.get(m);
      byte[] values = data.get(m).bytes();
      for (int i = 0; i < index.numElements(); i++) {
        System.arraycopy(values, i * bytes, merged, Math.toIntExact(index.longAt(i)) * bytes, bytes);
      }
    }
    return Tensor.wrap(type, out, ByteBuffer.wrap(merged));
  }

  private static Tensor stitchStrings(List<Tensor> indices, List<Tensor> data, Shape out, int slice) {
    byte[][] merged = new byte[Math.toIntExact(out.numElements())][];
    Arrays.fill(merged, new byte[0]);
    for (int m = 0; m < indices.size(); m++) {
      Tensor index = indices.get(m);
      for (int i = 0; i < index.numElements(); i++) {
        int row = Math.toIntExact(index.longAt(i));
        for (int k = 0; k < slice; k++) {
          merged[row * slice + k] = data.get(m).string(i * slice + k);
        }
      }
    }
    return Tensor.ofStrings(out, Arrays.asList(merged));
  }
}
