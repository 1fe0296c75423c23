package io.sparkpoint.kernels.math;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.tensor.DType;
import java.util.Set;
import java.util.function.BinaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The element-wise binary ops; both operands arrive already broadcast to the output shape. */
enum BinaryOp {
  ADD("Add", DTypeRules.NUMBERS, INDArray::add),
  ADD_V2("AddV2", DTypeRules.NUMBERS, INDArray::add),
  SUB("Sub", DTypeRules.NUMBERS, INDArray::sub),
  MUL("Mul", DTypeRules.NUMBERS, INDArray::mul),
  /** TF has no integer RealDiv kernel on CPU. */
  REAL_DIV("RealDiv", DTypeRules.FLOATS, INDArray::div),
  /** TF's C++ Div: true division for floats, truncation toward zero for integers (safe_div). */
  DIV("Div", DTypeRules.NUMBERS, BinaryOp::div),
  /** TF (Eigen PropagateNaN) returns NaN when either operand is NaN. */
  MAXIMUM("Maximum", DTypeRules.NUMBERS, (x, y) -> nanPropagating(x, y, Transforms.max(x, y, true))),
  MINIMUM("Minimum", DTypeRules.NUMBERS, (x, y) -> nanPropagating(x, y, Transforms.min(x, y, true))),
  POW("Pow", DTypeRules.NUMBERS, BinaryOp::pow);

  final String opType;
  final Set<DType> types;
  private final BinaryOperator<INDArray> function;

  BinaryOp(String opType, Set<DType> types, BinaryOperator<INDArray> function) {
    this.opType = opType;
    this.types = types;
    this.function = function;
  }

  INDArray apply(INDArray x, INDArray y) {
    return function.apply(x, y);
  }

  private static boolean isInteger(INDArray array) {
    return array.dataType() == DataType.INT || array.dataType() == DataType.LONG;
  }

  private static INDArray div(INDArray x, INDArray y) {
    if (!isInteger(x)) {
      return x.div(y);
    }
    long[] a = x.dup('c').data().asLong();
    long[] b = y.dup('c').data().asLong();
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      if (b[i] == 0) {
        throw new KernelException("Integer division by zero");
      }
      // Java's / truncates toward zero like C++; int32 MIN / -1 wraps as in TF.
      out[i] = x.dataType() == DataType.INT ? (int) a[i] / (int) b[i] : a[i] / b[i];
    }
    return longs(out, x);
  }

  /** Integer powers are computed exactly by squaring (ND4J goes through double), wrapping on overflow. */
  private static INDArray pow(INDArray x, INDArray y) {
    if (!isInteger(x)) {
      return Transforms.pow(x, y, true);
    }
    long[] a = x.dup('c').data().asLong();
    long[] b = y.dup('c').data().asLong();
    long[] out = new long[a.length];
    boolean int32 = x.dataType() == DataType.INT;
    for (int i = 0; i < a.length; i++) {
      if (b[i] < 0) {
        throw new KernelException("Integers to negative integer powers are not allowed");
      }
      long result = 1;
      long base = a[i];
      for (long e = b[i]; e > 0; e >>= 1) {
        if ((e & 1) != 0) {
          result = int32 ? (int) (result * base) : result * base;
        }
        base = int32 ? (int) (base * base) : base * base;
      }
      out[i] = result;
    }
    return longs(out, x);
  }

  private static INDArray longs(long[] values, INDArray like) {
    return Nd4j.createFromArray(values).castTo(like.dataType()).reshape('c', like.shape());
  }

  private static INDArray nanPropagating(INDArray x, INDArray y, INDArray result) {
    // A sum is NaN when any element is NaN (or +inf meets -inf): only then look element by element.
    if (isInteger(x) || !(Double.isNaN(x.sumNumber().doubleValue()) || Double.isNaN(y.sumNumber().doubleValue()))) {
      return result;
    }
    double[] a = x.dup('c').data().asDouble();
    double[] b = y.dup('c').data().asDouble();
    double[] out = result.dup('c').data().asDouble();
    for (int i = 0; i < out.length; i++) {
      if (Double.isNaN(a[i]) || Double.isNaN(b[i])) {
        out[i] = Double.NaN;
      }
    }
    return Nd4j.createFromArray(out).castTo(x.dataType()).reshape('c', x.shape());
  }
}
