package io.sparkpoint.kernels.nn;

import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.tensor.DType;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The element-wise activations; each returns a new array of its input's type. */
enum Activation {
  /** NaN stays NaN, as in TF (Eigen's cwiseMax). */
  RELU("Relu", DTypeRules.NUMBERS, x -> NdArrays.propagateNaN(x, Transforms.max(x, 0, true))),
  RELU6("Relu6", DTypeRules.NUMBERS, x -> NdArrays.propagateNaN(x, Transforms.min(Transforms.max(x, 0, true), 6, false))),
  /** x for x > 0, exp(x) - 1 otherwise (alpha 1, as TF). */
  ELU("Elu", DTypeRules.FLOATS, x -> Transforms.elu(x, true)),
  SIGMOID("Sigmoid", DTypeRules.FLOATS, x -> Transforms.sigmoid(x, true)),
  TANH("Tanh", DTypeRules.FLOATS, x -> Transforms.tanh(x, true));

  final String opType;
  final Set<DType> types;
  private final UnaryOperator<INDArray> function;

  Activation(String opType, Set<DType> types, UnaryOperator<INDArray> function) {
    this.opType = opType;
    this.types = types;
    this.function = function;
  }

  INDArray apply(INDArray features) {
    return function.apply(features);
  }
}
