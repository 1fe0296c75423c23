package io.sparkpoint.spark.jobs;

import io.sparkpoint.exec.PartialShapes;
import io.sparkpoint.exec.Session;
import io.sparkpoint.exec.variables.VariableKernels;
import io.sparkpoint.freeze.CheckpointValueSource;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.graph.GraphCollections;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.VariableDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Restores every variable of a session's graph from a checkpoint, as a TF1 {@code Saver} with
 * default names does: each Variable, VariableV2 and VarHandleOp node takes the checkpoint entry of
 * its own name (a part of a partitioned variable, its slice of the full variable, known from the
 * {@code variables} collection). Values go into the session's variable store under the variable's
 * name.
 *
 * <p>A stand-in for {@code io.sparkpoint.saver}'s restore (which also honours a SaverDef's own
 * names); this is the one place to swap when it lands.
 */
final class CheckpointVariables {
  private static final Set<String> VARIABLE_OPS = Set.of("Variable", "VariableV2", "VarHandleOp");

  private CheckpointVariables() {}

  /**
   * @param prefix a checkpoint prefix (already resolved from a directory)
   * @return the names of the restored variables, in graph order
   * @throws io.sparkpoint.bundle.KeyNotFoundException "Key W not found in checkpoint P" for a variable the checkpoint lacks
   * @throws IllegalArgumentException when a stored value's dtype or shape does not fit its variable
   */
  static List<String> restore(FileIO io, String prefix, Session session) throws IOException {
    List<VariableDef> definitions = new ArrayList<>();
    for (Object item : session.graph().getCollection(GraphCollections.GLOBAL_VARIABLES)) {
      if (item instanceof VariableDef definition) {
        definitions.add(definition);
      }
    }
    List<String> restored = new ArrayList<>();
    try (CheckpointValueSource values = CheckpointValueSource.open(io, prefix, definitions)) {
      for (Operation op : session.graph().operations()) {
        if (!VARIABLE_OPS.contains(op.type())) {
          continue;
        }
        NodeDef node = op.toNodeDef();
        Tensor value = values.value(op.name());
        checkFits(node, value, prefix);
        session.variables().assign(VariableKernels.variableName(node), value);
        restored.add(op.name());
      }
    }
    return restored;
  }

  private static void checkFits(NodeDef node, Tensor value, String prefix) {
    AttrValue dtype = node.getAttrMap().get("dtype");
    AttrValue shape = node.getAttrMap().get("shape");
    boolean dtypeFits = dtype == null || dtype.getTypeValue() == 0 || DType.fromNumber(dtype.getTypeValue()) == value.dtype();
    boolean shapeFits = shape == null || !shape.hasShape() || PartialShapes.isCompatible(shape.getShape(), value.shape());
    if (!dtypeFits || !shapeFits) {
      String declared = (dtype == null || dtype.getTypeValue() == 0 ? "?" : DType.fromNumber(dtype.getTypeValue()).pythonName()) + " "
          + (shape == null ? "<unknown>" : PartialShapes.render(shape.getShape()));
      throw new IllegalArgumentException("Cannot restore variable " + node.getName() + " from checkpoint " + prefix
          + ": the checkpoint holds " + value.dtype().pythonName() + " " + value.shape() + ", but the graph declares " + declared);
    }
  }
}
