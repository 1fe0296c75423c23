package io.sparkpoint.kernels.compare;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.kernels.Broadcasting;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;

/** The ops with bool results: the comparisons and LogicalAnd, LogicalOr, LogicalNot. */
final class PredicateKernels {
  private PredicateKernels() {}

  /** x and y broadcast against each other, as TF's binary ops do. */
  static Kernel comparison(NodeDef node, Comparison op) {
    DTypeRules.checkTypeAttr(node, op.types());
    // TF: with incompatible_shape_error=false, Equal gives a scalar false and NotEqual a scalar true
    boolean shapeError = !op.isEquality() || NodeAttrs.bool(node, "incompatible_shape_error", true);
    return context -> {
      DTypeRules.sharedType(node, context.inputs(), op.types(), "x", "y");
      Tensor x = context.input(0);
      Tensor y = context.input(1);
      if (!shapeError && Broadcasting.dims(x.shape().dims(), y.shape().dims()) == null) {
        return List.of(Tensor.ofBooleans(Shape.scalar(), op == Comparison.NOT_EQUAL));
      }
      Shape shape = Broadcasting.shape(x.shape(), y.shape());
      int[] xi = Broadcasting.sourceIndex(x.shape().dims(), shape.dims());
      int[] yi = Broadcasting.sourceIndex(y.shape().dims(), shape.dims());
      ElementOrder order = ElementOrder.of(x, y);
      boolean[] out = new boolean[xi.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = op.holds(order.compare(xi[i], yi[i]));
      }
      return List.of(Tensor.ofBooleans(shape, out));
    };
  }

  /** LogicalAnd (and) or LogicalOr (or not): bool x and y, broadcast. */
  static Kernel logical(NodeDef node, boolean and) {
    return context -> {
      Tensor x = context.input(0);
      Tensor y = context.input(1);
      DTypeRules.requireType(node, x, "x", DType.BOOL);
      DTypeRules.requireType(node, y, "y", DType.BOOL);
      Shape shape = Broadcasting.shape(x.shape(), y.shape());
      int[] xi = Broadcasting.sourceIndex(x.shape().dims(), shape.dims());
      int[] yi = Broadcasting.sourceIndex(y.shape().dims(), shape.dims());
      boolean[] a = booleans(x);
      boolean[] b = booleans(y);
      boolean[] out = new boolean[xi.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = and ? a[xi[i]] && b[yi[i]] : a[xi[i]] || b[yi[i]];
      }
      return List.of(Tensor.ofBooleans(shape, out));
    };
  }

  static Kernel logicalNot(NodeDef node) {
    return context -> {
      Tensor x = context.input(0);
      DTypeRules.requireType(node, x, "x", DType.BOOL);
      boolean[] out = booleans(x);
      for (int i = 0; i < out.length; i++) {
        out[i] = !out[i];
      }
      return List.of(Tensor.ofBooleans(x.shape(), out));
    };
  }

  /** The elements of a bool tensor. */
  static boolean[] booleans(Tensor t) {
    boolean[] values = new boolean[Math.toIntExact(t.numElements())];
    for (int i = 0; i < values.length; i++) {
      values[i] = t.longAt(i) != 0;
    }
    return values;
  }
}
