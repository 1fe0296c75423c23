package io.sparkpoint.kernels.math;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.kernels.ResultMemory;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reciprocal: 1 / x element-wise, on the JVM in one pass. Floats divide in their own precision
 * (float16 and bfloat16 in float32, rounded once): 1/0 is inf, 1/-0 is -inf. Integers divide as C++
 * does, truncating toward zero (1 and -1 are their own reciprocals, every other value gives 0), and
 * a zero is an error rather than C++'s undefined behaviour. TF 2.18 registers its CPU kernel for the
 * float types only; the OpDef also allows int8, int16, int32 and int64, and so do we.
 */
final class Reciprocal {
  static final Set<DType> TYPES = types();

  private Reciprocal() {}

  private static Set<DType> types() {
    Set<DType> types = new HashSet<>(Numbers.FLOATING);
    types.addAll(Set.of(DType.INT8, DType.INT16, DType.INT32, DType.INT64));
    return Set.copyOf(types);
  }

  static Kernel kernel(NodeDef node) {
    DTypeRules.checkTypeAttr(node, TYPES);
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs(), TYPES, "x");
      Tensor x = context.input(0);
      if (x.numElements() == 0) {
        return List.of(x);
      }
      ResultMemory result = ResultMemory.of(context, type, x.shape(), 0);
      reciprocal(x, type, result.bytes());
      return List.of(result.publish(context));
    };
  }

  /** 1 / x written into {@code out}: a new buffer, or x's own memory (each element read before it is written). */
  private static void reciprocal(Tensor x, DType type, ByteBuffer out) {
    int n = Math.toIntExact(x.numElements());
    ByteBuffer in = x.data();
    switch (type) {
      case FLOAT -> {
        for (int i = 0; i < n; i++) {
          out.putFloat(i << 2, 1 / in.getFloat(i << 2));
        }
      }
      case DOUBLE -> {
        for (int i = 0; i < n; i++) {
          out.putDouble(i << 3, 1 / in.getDouble(i << 3));
        }
      }
      case HALF, BFLOAT16 -> {
        for (int i = 0; i < n; i++) {
          Numbers.putDouble(out, type, 1 / (float) x.doubleAt(i));
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          long value = x.longAt(i);
          if (value == 0) {
            throw new KernelException("Integer division by zero");
          }
          Numbers.putLong(out, type, 1 / value);
        }
      }
    }
  }
}
