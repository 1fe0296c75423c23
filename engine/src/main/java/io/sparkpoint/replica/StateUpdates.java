package io.sparkpoint.replica;

import io.sparkpoint.exec.variables.VariableKernels;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds a train op's replica state updates: the variable writes besides the Apply ops (batch-norm
 * moving averages, typically made control inputs of the gradients or the Apply ops by
 * {@code with tf.control_dependencies(update_ops): opt.minimize(loss)}) that the chief cannot or
 * does not run. A write whose value reads a placeholder needs the batch, which only replicas have;
 * a write the chief's graph no longer reaches (it ran only before the gradients, or as a control
 * input of the Apply ops, or of a write that needs the batch) would be lost. Replicas run both
 * kinds; the chief sets each written variable to the replicas' example-weighted mean, and its graph
 * loses the edges to them: control inputs are dropped, and a consumer of a ref write's output reads
 * the variable it wrote instead (an Assign's output is that variable).
 *
 * <p>Writes the chief runs on its own (the global step's AssignAdd, Adam's beta powers) stay with
 * the chief. Only whole-variable writes of float32 and float64 variables can be averaged; the rest
 * are refused, naming the write and the variable.
 */
final class StateUpdates {
  /** Writes of a whole variable: ref ops (whose output is the variable) and resource ops (no output). */
  private static final Set<String> WHOLE_WRITES = Set.of("Assign", "AssignAdd", "AssignSub", "AssignVariableOp", "AssignAddVariableOp",
      "AssignSubVariableOp");
  private static final Set<String> PASS_THROUGH = Set.of("Identity", "RefIdentity");

  private final List<TrainOpSplit.StateUpdate> updates;
  private final Map<String, NodeDef> chiefNodes;

  private StateUpdates(List<TrainOpSplit.StateUpdate> updates, Map<String, NodeDef> chiefNodes) {
    this.updates = updates;
    this.chiefNodes = chiefNodes;
  }

  /**
   * @param nodes the training graph, by name
   * @param trainRuns every node the train op runs in the training graph
   * @param applies the train op's Apply ops
   * @param chiefNodes the chief's graph so far (Apply ops fed their gradients)
   * @throws IllegalArgumentException for a write replicas would have to run that cannot be averaged
   */
  static StateUpdates find(String trainOp, Map<String, NodeDef> nodes, Set<String> trainRuns, Collection<NodeDef> applies,
      Map<String, NodeDef> chiefNodes) {
    List<String> writes = trainRuns.stream().filter(n -> isVariableWrite(nodes.get(n).getOp())).toList();
    Map<String, String> placeholders = new LinkedHashMap<>();
    for (String write : writes) {
      String placeholder = placeholderRead(nodes, write);
      if (placeholder != null) {
        placeholders.put(write, placeholder);
      }
    }
    Set<String> moved = new LinkedHashSet<>(placeholders.keySet());
    Map<String, NodeDef> chief;
    while (true) {
      chief = withoutEdgesTo(chiefNodes, moved, nodes);
      Set<String> chiefRuns = TrainOpSplit.reachable(chief, List.of(trainOp), true);
      List<String> lost = writes.stream().filter(w -> !moved.contains(w) && !chiefRuns.contains(w)).toList();
      if (lost.isEmpty()) {
        break;
      }
      moved.addAll(lost);
    }
    Map<String, String> chiefWriters = new LinkedHashMap<>();
    List<NodeDef> chiefWrites = new ArrayList<>(applies);
    writes.stream().filter(w -> !moved.contains(w)).forEach(w -> chiefWrites.add(nodes.get(w)));
    for (NodeDef write : chiefWrites) {
      NodeDef variable = variableOf(nodes, write);
      if (variable != null) {
        chiefWriters.putIfAbsent(VariableKernels.variableName(variable), write.getName());
      }
    }
    List<TrainOpSplit.StateUpdate> updates = new ArrayList<>();
    for (String name : nodes.keySet()) {
      if (moved.contains(name)) {
        updates.add(checked(trainOp, nodes, nodes.get(name), placeholders.get(name), chiefWriters));
      }
    }
    return new StateUpdates(List.copyOf(updates), chief);
  }

  /** The update, or a refusal naming it, its variable and why its replicas' values cannot be averaged. */
  private static TrainOpSplit.StateUpdate checked(String trainOp, Map<String, NodeDef> nodes, NodeDef write, String placeholder,
      Map<String, String> chiefWriters) {
    NodeDef variable = variableOf(nodes, write);
    String prefix = "Cannot split train op '" + trainOp + "': update '" + write.getName() + "' (" + write.getOp() + ") writes ";
    String refused = "; sync mode refuses it";
    if (variable == null) {
      throw new IllegalArgumentException(prefix + "through '" + write.getInput(0) + "', which is not a VariableV2 or VarHandleOp, so the chief "
          + "cannot tell which variable to set to the replicas' mean" + refused);
    }
    String name = VariableKernels.variableName(variable);
    String what = prefix + "variable '" + name + "' "
        + (placeholder != null ? "from the batch (it reads placeholder '" + placeholder + "')"
            : "only as a control input of ops the chief does not run (the gradients, the Apply ops)")
        + ", so replicas run it and the chief sets the variable to the mean of their values, but ";
    if (write.getName().equals(trainOp)) {
      throw new IllegalArgumentException(what + "it is the train op itself, which the chief runs" + refused
          + "; make the train op a NoOp grouping it with the optimizer's update (tf.group)");
    }
    if (!WHOLE_WRITES.contains(write.getOp())) {
      throw new IllegalArgumentException(what + "it writes only part of the variable (a sparse or sliced write), and only whole variables "
          + "can be averaged" + refused);
    }
    DType dtype = DType.fromNumber(variable.getAttrOrThrow("dtype").getTypeValue());
    if (dtype != DType.FLOAT && dtype != DType.DOUBLE) {
      throw new IllegalArgumentException(what + "the variable is " + dtype.pythonName() + ", and only float32 and float64 values can be averaged"
          + refused);
    }
    String other = chiefWriters.get(name);
    if (other != null) {
      throw new IllegalArgumentException(what + "'" + other + "' (" + nodes.get(other).getOp() + "), which the chief runs, writes the same "
          + "variable" + refused);
    }
    return new TrainOpSplit.StateUpdate(write.getName(), write.getOp(), name);
  }

  /** Ops that write a variable besides the optimizers' Apply ops: Assign*, Scatter*, sliced assignments, CountUpTo. */
  static boolean isVariableWrite(String op) {
    return WHOLE_WRITES.contains(op) || op.startsWith("ResourceScatter") || op.startsWith("Scatter") && !op.equals("ScatterNd")
        && !op.equals("ScatterNdNonAliasingAdd") || op.endsWith("StridedSliceAssign") || op.equals("CountUpTo") || op.equals("ResourceCountUpTo");
  }

  /** A placeholder the write's value reads through data edges, or null. */
  private static String placeholderRead(Map<String, NodeDef> nodes, String write) {
    for (String name : TrainOpSplit.reachable(nodes, List.of(write), false)) {
      if (TrainOpSplit.isPlaceholder(nodes.get(name).getOp())) {
        return name;
      }
    }
    return null;
  }

  /** The variable node a write or Apply op updates (its first input, through Identity), or null. */
  private static NodeDef variableOf(Map<String, NodeDef> nodes, NodeDef write) {
    NodeDef node = nodes.get(TrainOpSplit.opName(write.getInput(0)));
    while (node != null && PASS_THROUGH.contains(node.getOp())) {
      node = nodes.get(TrainOpSplit.opName(node.getInput(0)));
    }
    return node != null && TrainOpSplit.isVariable(node.getOp()) ? node : null;
  }

  /** The chief's graph without edges to {@code moved}: control inputs dropped, a ref write's output replaced by the variable it wrote. */
  private static Map<String, NodeDef> withoutEdgesTo(Map<String, NodeDef> chief, Set<String> moved, Map<String, NodeDef> nodes) {
    Map<String, NodeDef> out = new LinkedHashMap<>();
    for (NodeDef node : chief.values()) {
      if (node.getInputList().stream().noneMatch(in -> moved.contains(TrainOpSplit.opName(in)))) {
        out.put(node.getName(), node);
        continue;
      }
      NodeDef.Builder rewired = node.toBuilder().clearInput();
      for (String in : node.getInputList()) {
        if (!moved.contains(TrainOpSplit.opName(in))) {
          rewired.addInput(in);
        } else if (!in.startsWith("^")) {
          String source = in;
          while (moved.contains(TrainOpSplit.opName(source))) {
            source = nodes.get(TrainOpSplit.opName(source)).getInput(0);
          }
          rewired.addInput(source);
        }
      }
      out.put(node.getName(), rewired.build());
    }
    return out;
  }

  List<TrainOpSplit.StateUpdate> updates() {
    return updates;
  }

  Map<String, NodeDef> chiefNodes() {
    return chiefNodes;
  }
}
