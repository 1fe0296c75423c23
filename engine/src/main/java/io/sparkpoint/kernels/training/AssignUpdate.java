package io.sparkpoint.kernels.training;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.exec.variables.VariableKernels;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.HalfFloats;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * AssignAdd and AssignSub (ref variables: they output the reference) and AssignAddVariableOp and
 * AssignSubVariableOp (resource variables): variable ± value, element-wise, stored as the
 * variable's new value. Floats are added in their own precision (float16 and bfloat16 through
 * float32, rounded once, as Eigen does); integers wrap as in C++.
 */
final class AssignUpdate {
  /** Which of the two ops. */
  enum Sign {
    ADD,
    SUBTRACT
  }

  /** TF's number types without the complex ones (TF_CALL_NUMBER_TYPES). */
  static final Set<DType> TYPES = Set.of(DType.FLOAT, DType.DOUBLE, DType.HALF, DType.BFLOAT16, DType.INT8, DType.INT16,
      DType.INT32, DType.INT64, DType.UINT8, DType.UINT16, DType.UINT32, DType.UINT64);

  private AssignUpdate() {}

  /**
   * @throws KernelException "Unsupported dtype …" for a T (ref) or dtype (resource) attr outside {@link #TYPES}
   */
  static Kernel create(NodeDef node, VariableStyle style, Sign sign) {
    String typeAttr = style == VariableStyle.REF ? "T" : "dtype";
    NodeAttrs.type(node, typeAttr).ifPresent(t -> DTypeRules.requireSupported(node, typeAttr, t, TYPES));
    return context -> {
      String name = VariableKernels.handleName(context, 0);
      Tensor current = context.variables().read(name);
      Tensor value = context.input(1);
      if (current.dtype() != value.dtype()) {
        throw new KernelException("DType of variable handle and value does not match. Variable " + name + " holds "
            + current.dtype().pythonName() + ", the value is " + value.dtype().pythonName());
      }
      DTypeRules.requireSupported(node, typeAttr, value.dtype(), TYPES);
      if (!current.shape().equals(value.shape())) {
        throw new KernelException(style == VariableStyle.REF
            ? "Parameters and update must be the same size: variable " + name + " is " + current.shape() + ", the update "
                + value.shape()
            : "Cannot update variable with shape " + current.shape() + " using a Tensor with shape " + value.shape()
                + ", shapes must be equal.");
      }
      context.variables().assign(name, combine(current, value, sign));
      return style.outputs(context);
    };
  }

  /** x ± y for two tensors of one dtype and shape, in new memory. */
  static Tensor combine(Tensor x, Tensor y, Sign sign) {
    DType type = x.dtype();
    int n = Math.toIntExact(x.numElements());
    int width = type.byteWidth();
    ByteBuffer a = x.data();
    ByteBuffer b = y.data();
    ByteBuffer out = ByteBuffer.allocate(n * width).order(ByteOrder.LITTLE_ENDIAN);
    boolean subtract = sign == Sign.SUBTRACT;
    switch (type) {
      case FLOAT -> {
        for (int at = 0; at < n * 4; at += 4) {
          out.putFloat(at, subtract ? a.getFloat(at) - b.getFloat(at) : a.getFloat(at) + b.getFloat(at));
        }
      }
      case DOUBLE -> {
        for (int at = 0; at < n * 8; at += 8) {
          out.putDouble(at, subtract ? a.getDouble(at) - b.getDouble(at) : a.getDouble(at) + b.getDouble(at));
        }
      }
      case HALF, BFLOAT16 -> {
        for (int i = 0; i < n; i++) {
          float p = (float) x.doubleAt(i);
          float q = (float) y.doubleAt(i);
          float r = subtract ? p - q : p + q;
          out.putShort(i * 2, type == DType.HALF ? HalfFloats.floatToHalf(r) : HalfFloats.floatToBfloat16(r));
        }
      }
      default -> integers(a, b, out, n, width, subtract);
    }
    return Tensor.wrap(type, x.shape(), out);
  }

  /** Two's complement ± at the type's width, signed or not alike. */
  private static void integers(ByteBuffer a, ByteBuffer b, ByteBuffer out, int n, int width, boolean subtract) {
    for (int i = 0; i < n; i++) {
      int at = i * width;
      switch (width) {
        case 1 -> out.put(at, (byte) (subtract ? a.get(at) - b.get(at) : a.get(at) + b.get(at)));
        case 2 -> out.putShort(at, (short) (subtract ? a.getShort(at) - b.getShort(at) : a.getShort(at) + b.getShort(at)));
        case 4 -> out.putInt(at, subtract ? a.getInt(at) - b.getInt(at) : a.getInt(at) + b.getInt(at));
        default -> out.putLong(at, subtract ? a.getLong(at) - b.getLong(at) : a.getLong(at) + b.getLong(at));
      }
    }
  }
}
