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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ListDiff (tf.setdiff1d): the values of vector x that are not in vector y, in x's order, and their
 * positions in x ({@code out_idx} int32 or int64). Prod's gradient uses it to find the axes it did
 * not reduce.
 */
final class ListDiff {
  private static final Set<DType> TYPES = Set.of(DType.INT32, DType.INT64, DType.FLOAT, DType.DOUBLE);

  private ListDiff() {}

  static Kernel kernel(NodeDef node) {
    DTypeRules.checkTypeAttr(node, TYPES);
    DType indexType = NodeAttrs.type(node, "out_idx").orElse(DType.INT32);
    return context -> {
      Tensor x = context.input(0);
      Tensor y = context.input(1);
      DType type = DTypeRules.sharedType(node, context.inputs(), TYPES, "x", "y");
      if (x.shape().rank() != 1) {
        throw new KernelException("x should be a 1D vector.");
      }
      if (y.shape().rank() != 1) {
        throw new KernelException("y should be a 1D vector.");
      }
      boolean integer = type == DType.INT32 || type == DType.INT64;
      Set<Long> excluded = new HashSet<>();
      for (int i = 0; i < y.numElements(); i++) {
        excluded.add(integer ? y.longAt(i) : Double.doubleToLongBits(y.doubleAt(i)));
      }
      List<Integer> kept = new ArrayList<>();
      for (int i = 0; i < x.numElements(); i++) {
        if (!excluded.contains(integer ? x.longAt(i) : Double.doubleToLongBits(x.doubleAt(i)))) {
          kept.add(i);
        }
      }
      ByteBuffer values = Numbers.allocate(type, kept.size());
      ByteBuffer indices = Numbers.allocate(indexType, kept.size());
      for (int i : kept) {
        if (integer) {
          Numbers.putLong(values, type, x.longAt(i));
        } else {
          Numbers.putDouble(values, type, x.doubleAt(i));
        }
        Numbers.putLong(indices, indexType, i);
      }
      Shape shape = Shape.of(kept.size());
      return List.of(Numbers.tensor(type, shape, values), Numbers.tensor(indexType, shape, indices));
    };
  }
}
