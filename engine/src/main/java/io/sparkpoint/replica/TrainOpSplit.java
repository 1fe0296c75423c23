package io.sparkpoint.replica;

import io.sparkpoint.exec.variables.VariableKernels;
import io.sparkpoint.graph.OpRegistry;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.OpDef;
import io.sparkpoint.proto.AttrValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Splits one training step of a TF1 graph for synchronous data parallelism, the way
 * {@code SyncReplicasOptimizer} splits it: replicas compute the gradients that the train op's
 * {@code Apply*} ops consume, and the chief applies their average.
 *
 * <p>The gradient of an update is the Apply op's {@code grad} input ({@code delta} for
 * ApplyGradientDescent), after whatever the graph does to it (clipping, scaling), as TF aggregates
 * what {@code apply_gradients} receives. The chief's graph is the training graph with each of those
 * inputs replaced by a placeholder ({@code sparkpoint/gradient_K}) and the Apply ops' control
 * inputs removed (they only wait for the gradients), so that the train op runs from the fed
 * gradients alone. Sparse updates ({@code SparseApply*}) are not split yet.
 *
 * <p>Other variable writes the train op runs that need the batch, or that the chief's graph no
 * longer runs, are <em>replica state updates</em> ({@link #stateUpdates()}): batch-norm moving
 * averages, typically control inputs of the gradients or the Apply ops
 * ({@code with tf.control_dependencies(update_ops): opt.minimize(loss)}). Replicas run them with
 * their gradients and return the written variables' new values; the chief sets each variable to
 * their example-weighted mean, and its graph does not run them (see {@link StateUpdates}). A moving
 * mean of batch means then equals one process's on the global batch; a moving variance becomes the
 * mean of the replicas' batch variances (as with TF's MirroredStrategy without synchronized batch
 * norm), which leaves out the spread of the replicas' batch means.
 */
public final class TrainOpSplit {
  /** The prefix of the chief graph's gradient placeholders. */
  public static final String FEED_PREFIX = "sparkpoint/gradient_";
  private static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "Variable", "VarHandleOp");
  private static final Set<String> PLACEHOLDER_OPS = Set.of("Placeholder", "PlaceholderV2");

  /** One update: the Apply op, and which gradient (an index into {@link #gradients()}) it consumes. */
  public record Update(String applyOp, String opType, int gradient) {}

  /** A replica state update: the write op replicas run, and the variable (store name) it writes. */
  public record StateUpdate(String op, String opType, String variable) {}

  private final String trainOp;
  private final String loss;
  private final List<Update> updates;
  private final List<String> gradients;
  private final List<String> replicaVariables;
  private final List<String> replicaVariableOps;
  private final List<StateUpdate> stateUpdates;
  private final List<String> stateVariables;
  private final MetaGraphDef chiefMeta;

  private TrainOpSplit(String trainOp, String loss, List<Update> updates, List<String> gradients, List<StateUpdate> stateUpdates,
      List<String> replicaVariableOps, List<String> replicaVariables, MetaGraphDef chiefMeta) {
    this.trainOp = trainOp;
    this.loss = loss;
    this.updates = List.copyOf(updates);
    this.gradients = List.copyOf(gradients);
    this.stateUpdates = List.copyOf(stateUpdates);
    this.stateVariables = stateUpdates.stream().map(StateUpdate::variable).distinct().toList();
    this.replicaVariableOps = List.copyOf(replicaVariableOps);
    this.replicaVariables = List.copyOf(replicaVariables);
    this.chiefMeta = chiefMeta;
  }

  /**
   * @param trainOp the op one training step runs (a NoOp grouping the updates, or an update itself)
   * @param loss the loss tensor ({@code op:port} or {@code op})
   * @throws IllegalArgumentException when the train op or the loss is not in the graph, the train op
   *     runs no Apply op, an Apply op is sparse or unknown, a replica state update cannot be averaged
   *     (a sparse or sliced write, an integer variable, a variable the chief also writes), or the
   *     chief would still need a placeholder (an op other than a variable write reading the batch)
   */
  public static TrainOpSplit of(MetaGraphDef meta, String trainOp, String loss) {
    GraphDef graph = meta.getGraphDef();
    Map<String, NodeDef> nodes = new LinkedHashMap<>();
    graph.getNodeList().forEach(n -> nodes.put(n.getName(), n));
    if (!nodes.containsKey(trainOp)) {
      throw new IllegalArgumentException("Cannot find the train op '" + trainOp + "' in the graph; name it with --train-op");
    }
    String lossOp = opName(loss);
    if (!nodes.containsKey(lossOp)) {
      throw new IllegalArgumentException("Cannot find the loss tensor '" + loss + "' in the graph; name it with --loss");
    }
    TreeMap<String, NodeDef> applies = new TreeMap<>();
    Set<String> trainRuns = reachable(nodes, List.of(trainOp), true);
    for (String name : trainRuns) {
      NodeDef node = nodes.get(name);
      if (isUpdate(node.getOp())) {
        applies.put(name, node);
      }
    }
    if (applies.isEmpty()) {
      throw new IllegalArgumentException("Train op '" + trainOp + "' runs no Apply op (ApplyGradientDescent, ApplyAdam, ResourceApplyAdam, ...): "
          + "there is no gradient to average");
    }
    List<Update> updates = new ArrayList<>();
    List<String> gradients = new ArrayList<>();
    Map<String, Integer> gradientIndex = new LinkedHashMap<>();
    Map<String, NodeDef> rewritten = new LinkedHashMap<>(nodes);
    for (NodeDef apply : applies.values()) {
      int input = gradientInput(apply, trainOp);
      String gradient = tensorName(apply.getInput(input));
      int index = gradientIndex.computeIfAbsent(gradient, g -> {
        gradients.add(g);
        return gradients.size() - 1;
      });
      updates.add(new Update(apply.getName(), apply.getOp(), index));
      NodeDef.Builder chief = apply.toBuilder().clearInput();
      for (int i = 0; i < apply.getInputCount(); i++) {
        String in = apply.getInput(i);
        if (i == input) {
          chief.addInput(FEED_PREFIX + index);
        } else if (!in.startsWith("^")) {
          chief.addInput(in);
        }
      }
      rewritten.put(apply.getName(), chief.build());
    }
    for (int i = 0; i < gradients.size(); i++) {
      rewritten.put(FEED_PREFIX + i, placeholder(FEED_PREFIX + i, dtypeOfGradient(updates, applies, i)));
    }
    StateUpdates state = StateUpdates.find(trainOp, nodes, trainRuns, applies.values(), rewritten);
    rewritten = state.chiefNodes();
    List<String> replicaOps = new ArrayList<>();
    List<String> replicaNames = new ArrayList<>();
    List<String> roots = new ArrayList<>();
    gradients.forEach(g -> roots.add(opName(g)));
    roots.add(lossOp);
    state.updates().forEach(u -> roots.add(u.op()));
    for (String name : reachable(nodes, roots, true)) {
      NodeDef node = nodes.get(name);
      if (isVariable(node.getOp())) {
        replicaOps.add(name);
        replicaNames.add(VariableKernels.variableName(node));
      }
    }
    Set<String> chiefRuns = reachable(rewritten, List.of(trainOp), true);
    for (String name : chiefRuns) {
      if (isPlaceholder(rewritten.get(name).getOp()) && !name.startsWith(FEED_PREFIX)) {
        throw new IllegalArgumentException("Cannot split train op '" + trainOp + "': besides the gradients, " + needing(rewritten, chiefRuns, name)
            + " needs placeholder '" + name + "', which only replicas are fed; sync mode moves the gradients and variable writes (such as "
            + "batch-norm moving averages) to the replicas, but not other ops reading the batch, so it refuses this graph");
      }
    }
    GraphDef chiefGraph = graph.toBuilder().clearNode().addAllNode(rewritten.values()).build();
    MetaGraphDef chiefMeta = meta.toBuilder().setGraphDef(chiefGraph).build();
    return new TrainOpSplit(trainOp, tensorName(loss), updates, gradients, state.updates(), replicaOps, replicaNames, chiefMeta);
  }

  /** The first op the chief runs, other than a NoOp, that needs {@code placeholder}, for the refusal's message. */
  private static String needing(Map<String, NodeDef> nodes, Set<String> chiefRuns, String placeholder) {
    for (String name : chiefRuns) {
      String op = nodes.get(name).getOp();
      if (!op.equals("NoOp") && reachable(nodes, List.of(name), true).contains(placeholder)) {
        return "op '" + name + "' (" + op + ")";
      }
    }
    return "the train op";
  }

  private static AttrValue dtypeOfGradient(List<Update> updates, Map<String, NodeDef> applies, int gradient) {
    for (Update update : updates) {
      if (update.gradient() == gradient) {
        return applies.get(update.applyOp()).getAttrOrThrow("T");
      }
    }
    throw new IllegalStateException("no update consumes gradient " + gradient);
  }

  private static NodeDef placeholder(String name, AttrValue dtype) {
    return NodeDef.newBuilder().setName(name).setOp("Placeholder").putAttr("dtype", dtype).build();
  }

  static boolean isPlaceholder(String op) {
    return PLACEHOLDER_OPS.contains(op);
  }

  static boolean isVariable(String op) {
    return VARIABLE_OPS.contains(op);
  }

  private static boolean isUpdate(String op) {
    return op.startsWith("Apply") || op.startsWith("ResourceApply") || op.startsWith("SparseApply") || op.startsWith("ResourceSparseApply");
  }

  private static int gradientInput(NodeDef apply, String trainOp) {
    String update = "Cannot split train op '" + trainOp + "': update '" + apply.getName() + "' (" + apply.getOp() + ")";
    if (apply.getOp().contains("SparseApply")) {
      throw new IllegalArgumentException(update + " applies a sparse gradient (embedding lookups); data-parallel training averages dense "
          + "gradients only, sparse ones are not supported yet");
    }
    OpDef op = OpRegistry.standard().opDef(apply.getOp());
    if (op == null) {
      throw new IllegalArgumentException(update + " uses an op that is not in Sparkpoint's op registry, so its gradient input cannot be found");
    }
    for (int i = 0; i < op.getInputArgCount(); i++) {
      String arg = op.getInputArg(i).getName();
      if (arg.equals("grad") || arg.equals("delta")) {
        return i;
      }
    }
    throw new IllegalArgumentException(update + " has no grad or delta input");
  }

  /** Every node the roots depend on, through data inputs and (with {@code control}) control inputs; roots included. */
  static Set<String> reachable(Map<String, NodeDef> nodes, List<String> roots, boolean control) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      NodeDef node = nodes.get(name);
      if (node == null || !seen.add(name)) {
        continue;
      }
      for (String input : node.getInputList()) {
        if (input.startsWith("^")) {
          if (control) {
            todo.push(input.substring(1));
          }
        } else {
          todo.push(opName(input));
        }
      }
    }
    return seen;
  }

  static String opName(String tensor) {
    String name = tensor.startsWith("^") ? tensor.substring(1) : tensor;
    int colon = name.lastIndexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }

  static String tensorName(String input) {
    return input.contains(":") ? input : input + ":0";
  }

  public String trainOp() {
    return trainOp;
  }

  /** The loss tensor, {@code op:port}. */
  public String loss() {
    return loss;
  }

  /** The Apply ops, by name. */
  public List<Update> updates() {
    return updates;
  }

  /** The gradient tensors replicas compute, distinct, in the order of the first update consuming each. */
  public List<String> gradients() {
    return gradients;
  }

  /** The chief graph's placeholder for gradient {@code i}. */
  public String feed(int gradient) {
    return FEED_PREFIX + gradient + ":0";
  }

  /** The variable writes replicas run besides the gradients, in graph order (see the class comment). */
  public List<StateUpdate> stateUpdates() {
    return stateUpdates;
  }

  /** The variables the state updates write (store names, distinct, in update order): what replicas return and the chief averages. */
  public List<String> stateVariables() {
    return stateVariables;
  }

  /** The variable nodes the gradients, the loss and the state updates read (what replicas need each step), by node name. */
  public List<String> replicaVariableOps() {
    return replicaVariableOps;
  }

  /** The same variables by their store name (shared_name, else node name). */
  public List<String> replicaVariables() {
    return replicaVariables;
  }

  /** The training graph with the gradients as placeholders: what the chief runs. */
  public MetaGraphDef chiefMetaGraph() {
    return chiefMeta;
  }
}
