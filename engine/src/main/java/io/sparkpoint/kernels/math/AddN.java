package io.sparkpoint.kernels.math;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelContext;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * AddN: the element-wise sum of N tensors of one shape, on every real dtype. Floats are added in
 * TF's order, so results are bit-identical to its: the first r inputs left to right (r = N mod 8,
 * or 8 or 9 when that is 0 or 1), then each following group of eight summed left to right and added
 * to the total. float16 and bfloat16 round after every addition, as Eigen's half arithmetic does;
 * integers wrap at their width. One input is returned as it is.
 */
final class AddN {
  private static final int GROUP = 8;

  private AddN() {}

  static Kernel kernel(NodeDef node) {
    DTypeRules.checkTypeAttr(node, Numbers.REAL);
    return context -> {
      List<Tensor> inputs = context.inputs();
      if (inputs.isEmpty()) {
        throw new KernelException("Invalid input count for AddN (node " + node.getName() + "): expected at least 1, got 0");
      }
      String[] names = new String[inputs.size()];
      Arrays.fill(names, "inputs");
      DType type = DTypeRules.sharedType(node, inputs, Numbers.REAL, names);
      Tensor first = inputs.get(0);
      for (int i = 1; i < inputs.size(); i++) {
        if (!inputs.get(i).shape().equals(first.shape())) {
          throw new KernelException("Inputs to operation " + node.getName() + " of type AddN must have the same size"
              + " and shape.  Input 0: " + first.shape() + " != input " + i + ": " + inputs.get(i).shape());
        }
      }
      if (inputs.size() == 1 || first.numElements() == 0) {
        return List.of(first);
      }
      return List.of(sum(context, type));
    };
  }

  private static Tensor sum(KernelContext context, DType type) {
    List<Tensor> inputs = context.inputs();
    int count = inputs.size();
    int head = count % GROUP < 2 ? count % GROUP + GROUP : count % GROUP;
    int target = overwritable(context);
    ByteBuffer total = target < 0 ? Numbers.allocate(type, inputs.get(0).numElements())
        : NdArrays.overwritableData(inputs.get(target));
    add(type, inputs.get(0).data(), inputs.get(1).data(), total);
    for (int i = 2; i < head; i++) {
      add(type, total, inputs.get(i).data(), total);
    }
    ByteBuffer group = head < count ? Numbers.allocate(type, inputs.get(0).numElements()) : null;
    for (int start = head; start < count; start += GROUP) {
      add(type, inputs.get(start).data(), inputs.get(start + 1).data(), group);
      for (int i = start + 2; i < start + GROUP; i++) {
        add(type, group, inputs.get(i).data(), group);
      }
      add(type, total, group, total);
    }
    return context.fresh(target >= 0 ? inputs.get(target) : Numbers.tensor(type, inputs.get(0).shape(), total));
  }

  /** Input 0 or 1 when the sum may take its memory (both are read by the first pass only), else -1. */
  private static int overwritable(KernelContext context) {
    for (int i = 0; i < 2; i++) {
      if (context.mayOverwrite(i) && NdArrays.overwritableData(context.input(i)) != null) {
        return i;
      }
    }
    return -1;
  }

  /** out = a + b element-wise, over whole buffers of {@code type} (out may be a or b). */
  private static void add(DType type, ByteBuffer a, ByteBuffer b, ByteBuffer out) {
    int width = type.byteWidth();
    int n = a.remaining() / width;
    switch (type) {
      case FLOAT -> {
        for (int i = 0; i < n; i++) {
          out.putFloat(i << 2, a.getFloat(i << 2) + b.getFloat(i << 2));
        }
      }
      case DOUBLE -> {
        for (int i = 0; i < n; i++) {
          out.putDouble(i << 3, a.getDouble(i << 3) + b.getDouble(i << 3));
        }
      }
      case INT32 -> {
        for (int i = 0; i < n; i++) {
          out.putInt(i << 2, a.getInt(i << 2) + b.getInt(i << 2));
        }
      }
      case INT64, UINT64 -> {
        for (int i = 0; i < n; i++) {
          out.putLong(i << 3, a.getLong(i << 3) + b.getLong(i << 3));
        }
      }
      default -> {
        // narrow integers wrap and half floats round after every addition, as in C++
        Tensor x = Tensor.wrap(type, Shape.of(n), a.duplicate().clear());
        Tensor y = Tensor.wrap(type, Shape.of(n), b.duplicate().clear());
        ByteBuffer sink = out.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
        boolean floating = Numbers.FLOATING.contains(type);
        for (int i = 0; i < n; i++) {
          if (floating) {
            Numbers.putDouble(sink, type, x.doubleAt(i) + y.doubleAt(i));
          } else {
            Numbers.putLong(sink, type, x.longAt(i) + y.longAt(i));
          }
        }
      }
    }
  }
}
