package io.sparkpoint.kernels.math;

import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.tensor.DType;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The element-wise unary math ops; each returns a new array of its input's type. */
enum UnaryOp {
  NEG("Neg", DTypeRules.NUMBERS, INDArray::neg),
  SQUARE("Square", DTypeRules.NUMBERS, x -> x.mul(x)),
  SQRT("Sqrt", DTypeRules.FLOATS, x -> Transforms.sqrt(x, true)),
  /** 1 / sqrt(x), as TF computes it (not pow(x, -0.5)). */
  RSQRT("Rsqrt", DTypeRules.FLOATS, x -> Transforms.sqrt(x, true).rdivi(1)),
  EXP("Exp", DTypeRules.FLOATS, x -> Transforms.exp(x, true)),
  LOG("Log", DTypeRules.FLOATS, x -> Transforms.log(x, true)),
  ABS("Abs", DTypeRules.NUMBERS, x -> Transforms.abs(x, true)),
  /** NaN stays NaN, as in TF. */
  SIGN("Sign", DTypeRules.NUMBERS, x -> NdArrays.propagateNaN(x, Transforms.sign(x, true)));

  final String opType;
  final Set<DType> types;
  private final UnaryOperator<INDArray> function;

  UnaryOp(String opType, Set<DType> types, UnaryOperator<INDArray> function) {
    this.opType = opType;
    this.types = types;
    this.function = function;
  }

  INDArray apply(INDArray x) {
    return function.apply(x);
  }
}
