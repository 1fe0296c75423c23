package io.sparkpoint.kernels;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;

/**
 * Reads the int32 or int64 tensors that shape-like inputs carry (shapes, axes, perms, multiples,
 * begin/size), as TF's Tshape/Tidx/Index attrs allow.
 */
public final class IndexTensors {
  private IndexTensors() {}

  /** Every element, in row-major order. */
  public static long[] values(NodeDef node, Tensor tensor, String argName) {
    requireIndexType(node, tensor, argName, false);
    long[] values = new long[Math.toIntExact(tensor.numElements())];
    for (int i = 0; i < values.length; i++) {
      values[i] = tensor.longAt(i);
    }
    return values;
  }

  /** Like {@link #values}, also accepting int16 (StridedSlice's Index, ArgMax's Tidx). */
  public static long[] valuesAllowingInt16(NodeDef node, Tensor tensor, String argName) {
    requireIndexType(node, tensor, argName, true);
    long[] values = new long[Math.toIntExact(tensor.numElements())];
    for (int i = 0; i < values.length; i++) {
      values[i] = tensor.longAt(i);
    }
    return values;
  }

  /**
   * The elements of a vector.
   *
   * @throws KernelException "shape must be a vector of {int32,int64}, got shape [2,2]"
   */
  public static long[] vector(NodeDef node, Tensor tensor, String argName) {
    if (tensor.shape().rank() != 1) {
      throw new KernelException(
          argName + " must be a vector of {int32,int64}, got shape " + tensor.shape());
    }
    return values(node, tensor, argName);
  }

  /**
   * The value of a scalar (or of a one-element tensor, as several TF kernels accept).
   *
   * @throws KernelException "axis must be a scalar, got shape [2]"
   */
  public static long scalar(NodeDef node, Tensor tensor, String argName) {
    if (tensor.numElements() != 1 || tensor.shape().rank() > 1) {
      throw new KernelException(argName + " must be a scalar, got shape " + tensor.shape());
    }
    return values(node, tensor, argName)[0];
  }

  private static void requireIndexType(NodeDef node, Tensor tensor, String argName, boolean int16) {
    DType type = tensor.dtype();
    if (type != DType.INT32 && type != DType.INT64 && !(int16 && type == DType.INT16)) {
      throw new KernelException(
          "Input '" + argName + "' of '" + node.getOp() + "' Op has type " + type.pythonName()
              + " that is not in the allowed types " + (int16 ? "int16, " : "") + "int32, int64");
    }
  }
}
