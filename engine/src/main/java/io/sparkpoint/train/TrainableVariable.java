package io.sparkpoint.train;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.GraphCollections;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.proto.VariableDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * A variable an optimizer updates: the variable itself (a VariableV2's ref output or a VarHandleOp's
 * handle, what gradients are taken with respect to and what the Apply ops update), its value
 * tensor, dtype and shape.
 */
public record TrainableVariable(String name, Output variable, Output value, DType dtype, Shape shape, boolean resource) {
  /** {@code tf.trainable_variables()}, in creation order. */
  public static List<TrainableVariable> all(Graph graph) {
    List<TrainableVariable> variables = new ArrayList<>();
    for (Object item : graph.getCollection(GraphCollections.TRAINABLE_VARIABLES)) {
      variables.add(of(graph, (VariableDef) item));
    }
    return variables;
  }

  /**
   * The trainable variable whose op is named {@code name}.
   *
   * @throws IllegalArgumentException when no trainable variable has that name
   */
  public static TrainableVariable named(Graph graph, String name) {
    for (TrainableVariable variable : all(graph)) {
      if (variable.name().equals(name)) {
        return variable;
      }
    }
    throw new IllegalArgumentException("No trainable variable named '" + name + "' in the graph's trainable_variables collection");
  }

  static TrainableVariable of(Graph graph, VariableDef def) {
    Output variable = graph.getTensorByName(def.getVariableName());
    Operation op = variable.op();
    if (op.attr("dtype") == null || op.attr("shape") == null) {
      throw new IllegalArgumentException("Variable " + op.name() + " (op " + op.type() + ") has no dtype or shape attr");
    }
    DType dtype = DType.fromNumber(op.attr("dtype").getTypeValue());
    Shape shape = Shape.fromProto(op.attr("shape").getShape());
    Output value = def.getSnapshotName().isEmpty() ? variable : graph.getTensorByName(def.getSnapshotName());
    return new TrainableVariable(op.name(), variable, value, dtype, shape, op.type().equals("VarHandleOp"));
  }
}
