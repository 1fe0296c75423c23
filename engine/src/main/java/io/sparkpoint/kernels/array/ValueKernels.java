package io.sparkpoint.kernels.array;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/** Cast, Range and OnesLike: the array ops that make new values, in plain Java. */
final class ValueKernels {
  static final Set<DType> RANGE_TYPES = Set.of(DType.BFLOAT16, DType.HALF, DType.FLOAT, DType.DOUBLE,
      DType.INT8, DType.INT16, DType.INT32, DType.INT64, DType.UINT16, DType.UINT32);

  private ValueKernels() {}

  /**
   * Cast between the float, integer and bool dtypes. Float to integer truncates toward zero, NaN and
   * out-of-range values giving the lowest value, as TensorFlow on x86-64 does ({@link CastConversions});
   * {@code Truncate=true} rounds narrowing float casts toward zero.
   */
  static Kernel cast(NodeDef node) {
    DType dst = NodeAttrs.type(node, "DstT")
        .orElseThrow(() -> new KernelException("Cast node " + node.getName() + " has no DstT attr"));
    boolean truncate = NodeAttrs.bool(node, "Truncate", false);
    NodeAttrs.type(node, "SrcT").ifPresent(src -> requireCastable(node, src, dst));
    requireCastable(node, dst, dst);
    return context -> {
      Tensor x = context.input(0);
      DType src = x.dtype();
      NodeAttrs.type(node, "SrcT").ifPresent(t -> {
        if (t != src) {
          throw new KernelException("Input 'x' of 'Cast' Op has type " + src.pythonName()
              + " that does not match attr SrcT=" + t.pythonName());
        }
      });
      requireCastable(node, src, dst);
      if (src == dst) {
        return List.of(x);
      }
      ByteBuffer out = Numbers.allocate(dst, x.numElements());
      boolean floating = Numbers.FLOATING.contains(src);
      for (long i = 0; i < x.numElements(); i++) {
        if (floating && CastConversions.convertsToInteger(dst)) {
          Numbers.putLong(out, dst, CastConversions.toInteger(x.doubleAt(i), dst));
        } else if (floating) {
          double value = x.doubleAt(i);
          Numbers.putDouble(out, dst, truncate ? CastConversions.truncated(value, src, dst) : value);
        } else if (src == DType.UINT64 && Numbers.FLOATING.contains(dst)) {
          Numbers.putDouble(out, dst, Numbers.doubleAt(x, i));
        } else {
          Numbers.putLong(out, dst, x.longAt(i));
        }
      }
      return List.of(Numbers.tensor(dst, x.shape(), out));
    };
  }

  private static void requireCastable(NodeDef node, DType src, DType dst) {
    for (DType type : new DType[] {src, dst}) {
      if (!Numbers.isReal(type) && type != DType.BOOL) {
        throw new KernelException("Unsupported Cast from " + src.pythonName() + " to " + dst.pythonName()
            + " (node " + node.getName() + "): only float, integer and bool types are supported");
      }
    }
  }

  static Kernel range(NodeDef node) {
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs(), RANGE_TYPES, "start", "limit", "delta");
      String[] names = {"start", "limit", "delta"};
      for (int i = 0; i < 3; i++) {
        Shape shape = context.input(i).shape();
        if (!(shape.isScalar() || (shape.rank() == 1 && shape.dim(0) == 1))) {
          throw new KernelException(names[i] + " must be a scalar, not shape " + shape);
        }
      }
      return List.of(Numbers.INTEGERS.contains(type)
          ? integerRange(type, context.input(0).longAt(0), context.input(1).longAt(0), context.input(2).longAt(0))
          : floatRange(type, context.input(0).doubleAt(0), context.input(1).doubleAt(0),
              context.input(2).doubleAt(0)));
    };
  }

  private static Tensor integerRange(DType type, long start, long limit, long delta) {
    checkRange(start, limit, delta, Long.toString(start), Long.toString(limit), Long.toString(delta));
    long size = (Math.abs(limit - start) + Math.abs(delta) - 1) / Math.abs(delta);
    ByteBuffer out = Numbers.allocate(type, size);
    long value = start;
    for (long i = 0; i < size; i++, value += delta) {
      Numbers.putLong(out, type, value);
    }
    return Numbers.tensor(type, Shape.of(size), out);
  }

  private static Tensor floatRange(DType type, double start, double limit, double delta) {
    checkRange(start, limit, delta, Numbers.format(start), Numbers.format(limit), Numbers.format(delta));
    double span = Numbers.round(type, Numbers.round(type, limit - start) / delta);
    long size = (long) Math.ceil(Math.abs(span));
    ByteBuffer out = Numbers.allocate(type, size);
    for (long i = 0; i < size; i++) {
      // start + i * delta, each step rounded to the dtype as TensorFlow computes it (no running sum)
      Numbers.putDouble(out, type, Numbers.round(type, start + Numbers.round(type, Numbers.round(type, i) * delta)));
    }
    return Numbers.tensor(type, Shape.of(size), out);
  }

  private static void checkRange(double start, double limit, double delta, String s, String l, String d) {
    if (delta == 0) {
      throw new KernelException("Requires delta != 0: " + d);
    }
    if (delta > 0 && start > limit) {
      throw new KernelException("Requires start <= limit when delta > 0: " + s + "/" + l);
    }
    if (delta < 0 && start < limit) {
      throw new KernelException("Requires start >= limit when delta < 0: " + s + "/" + l);
    }
  }

  static Kernel onesLike(NodeDef node) {
    return context -> {
      Tensor x = context.input(0);
      if (!Numbers.isReal(x.dtype()) && x.dtype() != DType.BOOL) {
        throw new KernelException("Unsupported dtype " + x.dtype().pythonName() + " for op OnesLike (node "
            + node.getName() + "): only float, integer and bool types are supported");
      }
      ByteBuffer out = Numbers.allocate(x.dtype(), x.numElements());
      for (long i = 0; i < x.numElements(); i++) {
        Numbers.putLong(out, x.dtype(), 1);
      }
      return List.of(Numbers.tensor(x.dtype(), x.shape(), out));
    };
  }
}
