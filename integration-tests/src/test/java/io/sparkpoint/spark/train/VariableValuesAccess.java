package io.sparkpoint.spark.train;

import io.sparkpoint.tensor.Tensor;
import java.io.Serializable;
import java.util.Map;

/** The variables as a training step broadcasts them ({@link VariableValues}), for benchmarks that time their encoding. */
public final class VariableValuesAccess {
  private VariableValuesAccess() {}

  /** What the chief broadcasts each step: the values encoded as TensorProtos. */
  public static Serializable encode(long version, Map<String, Tensor> values) {
    return new VariableValues(version, values);
  }

  /** What a task reads from the broadcast: the values decoded (once per object). */
  public static Map<String, Tensor> decode(Serializable broadcast) {
    return ((VariableValues) broadcast).values();
  }
}
