package io.sparkpoint.train;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.GraphCollections;
import io.sparkpoint.graph.Output;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.proto.VariableDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;

/** {@code tf.train.get_or_create_global_step()}: the int64 scalar variable {@code global_step}. */
public final class GlobalStep {
  private GlobalStep() {}

  /**
   * The graph's global step (from its {@code global_step} collection), made when there is none:
   * {@code global_step} (VariableV2 int64 []), {@code global_step/Initializer/zeros},
   * {@code global_step/Assign} and {@code global_step/read}, in the global variables and
   * {@code global_step} collections, not trainable.
   *
   * @return the variable itself (its ref output)
   */
  public static Output getOrCreate(Graph graph) {
    Output existing = get(graph);
    if (existing != null) {
      return existing;
    }
    try (Graph.NameScope scope = graph.nameScope("global_step")) {
      Output zero = graph.constant("Initializer/zeros", Tensor.scalar(0L));
      Output step = Variables.variableNamedAfter(graph, scope, DType.INT64, Shape.scalar(), zero, false, false);
      List<Object> globals = graph.getCollection(GraphCollections.GLOBAL_VARIABLES);
      graph.addToCollection(GraphCollections.GLOBAL_STEP, globals.get(globals.size() - 1));
      return step;
    }
  }

  /** The graph's global step, or null when it has none. */
  public static Output get(Graph graph) {
    List<Object> items = graph.getCollection(GraphCollections.GLOBAL_STEP);
    if (items.isEmpty()) {
      return null;
    }
    if (items.size() > 1) {
      throw new IllegalArgumentException("Multiple tensors in global_step collection");
    }
    return graph.getTensorByName(((VariableDef) items.get(0)).getVariableName());
  }
}
