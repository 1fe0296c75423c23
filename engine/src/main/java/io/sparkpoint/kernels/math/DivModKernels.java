package io.sparkpoint.kernels.math;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.Broadcasting;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * FloorDiv, FloorMod and Mod with broadcasting, computed on the JVM straight from the tensors'
 * bytes (see {@link DivModOp} for the arithmetic). Like TensorFlow, an integer zero divisor
 * anywhere fails the whole op with "Integer division by zero".
 */
final class DivModKernels {
  private DivModKernels() {}

  static Kernel kernel(DivModOp op) {
    return context -> {
      DType type = DTypeRules.sharedType(context.node(), context.inputs(), op.types, "x", "y");
      Tensor x = context.input(0);
      Tensor y = context.input(1);
      Shape shape = Broadcasting.shape(x.shape(), y.shape());
      int n = Math.toIntExact(shape.numElements());
      ByteBuffer out = Numbers.allocate(type, n);
      if (n > 0) {
        Operands operands = new Operands(x, y, shape);
        if (Numbers.FLOATING.contains(type)) {
          floats(op, type, operands, out, n);
        } else if (integers(op, type, operands, out, n)) {
          throw new KernelException("Integer division by zero");
        }
      }
      return List.of(Numbers.tensor(type, shape, out));
    };
  }

  /** Where element i of the output reads each operand: itself, a scalar, or a broadcast map. */
  private record Operands(Tensor x, Tensor y, int[] xIndex, int[] yIndex) {
    Operands(Tensor x, Tensor y, Shape shape) {
      this(x, y, index(x.shape(), shape), index(y.shape(), shape));
    }

    /** null when the operand has the output's shape (element i is its element i). */
    private static int[] index(Shape from, Shape to) {
      if (from.equals(to)) {
        return null;
      }
      return from.numElements() == 1 ? new int[0] : Broadcasting.sourceIndex(from.dims(), to.dims());
    }

    int xAt(int i) {
      return at(xIndex, i);
    }

    int yAt(int i) {
      return at(yIndex, i);
    }

    private static int at(int[] index, int i) {
      return index == null ? i : index.length == 0 ? 0 : index[i];
    }
  }

  private static void floats(DivModOp op, DType type, Operands in, ByteBuffer out, int n) {
    ByteBuffer a = in.x().data();
    ByteBuffer b = in.y().data();
    switch (type) {
      case FLOAT -> {
        for (int i = 0; i < n; i++) {
          out.putFloat(i * 4, (float) op.real(a.getFloat(in.xAt(i) * 4), b.getFloat(in.yAt(i) * 4), type));
        }
      }
      case DOUBLE -> {
        for (int i = 0; i < n; i++) {
          out.putDouble(i * 8, op.real(a.getDouble(in.xAt(i) * 8), b.getDouble(in.yAt(i) * 8), type));
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          Numbers.putDouble(out, type, op.real(in.x().doubleAt(in.xAt(i)), in.y().doubleAt(in.yAt(i)), type));
        }
      }
    }
  }

  /** Returns whether some divisor was 0 (the results are then meaningless). */
  private static boolean integers(DivModOp op, DType type, Operands in, ByteBuffer out, int n) {
    boolean zero = false;
    switch (type) {
      case INT32 -> {
        ByteBuffer a = in.x().data();
        ByteBuffer b = in.y().data();
        for (int i = 0; i < n; i++) {
          int y = b.getInt(in.yAt(i) * 4);
          zero |= y == 0;
          out.putInt(i * 4, y == 0 ? 0 : (int) op.signed(a.getInt(in.xAt(i) * 4), y));
        }
      }
      case INT64 -> {
        ByteBuffer a = in.x().data();
        ByteBuffer b = in.y().data();
        for (int i = 0; i < n; i++) {
          long y = b.getLong(in.yAt(i) * 8);
          zero |= y == 0;
          out.putLong(i * 8, y == 0 ? 0 : op.signed(a.getLong(in.xAt(i) * 8), y));
        }
      }
      default -> {
        boolean uint64 = type == DType.UINT64;
        for (int i = 0; i < n; i++) {
          long x = in.x().longAt(in.xAt(i));
          long y = in.y().longAt(in.yAt(i));
          zero |= y == 0;
          long z = y == 0 ? 0 : uint64 ? op.unsigned(x, y) : op.signed(x, y);
          Numbers.putLong(out, type, z);
        }
      }
    }
    return zero;
  }
}
