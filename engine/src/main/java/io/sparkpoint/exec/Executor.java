package io.sparkpoint.exec;

import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs an {@link ExecutionPlan}: places the feeds, runs each step's kernel in order and returns
 * the fetches. All of a run's state is local to the call, so runs may be concurrent.
 */
final class Executor {
  private Executor() {}

  /**
   * @param feeds by tensor name as given to the plan
   * @param nodeStates the session's per-node states, by node name (see {@link KernelContext#nodeState})
   * @throws KernelException "Node 'x' (op MatMul, inputs [2,3] [4,5]): ..." when a node fails
   * @throws IllegalArgumentException when a fed value does not fit its tensor
   */
  static List<Tensor> run(ExecutionPlan plan, Map<String, Tensor> feeds, VariableStore variables, Map<Class<?>, Object> services,
      Map<String, Object> nodeStates) {
    Tensor[] values = new Tensor[plan.slotCount];
    boolean[] fresh = new boolean[plan.slotCount];
    for (Map.Entry<String, Tensor> feed : feeds.entrySet()) {
      String name = ExecutionPlan.tensorName(feed.getKey());
      ExecutionPlan.Feed spec = plan.feeds.get(name);
      Tensor value = feed.getValue();
      checkFeed(name, spec, value);
      values[spec.slot()] = value;
    }
    for (ExecutionPlan.Step step : plan.steps) {
      runStep(plan, step, values, fresh, variables, services, nodeStates);
    }
    List<Tensor> fetched = new ArrayList<>(plan.fetchSlots.length);
    for (int slot : plan.fetchSlots) {
      fetched.add(plan.refSlots[slot] ? variables.read(variableName(values[slot])) : values[slot]);
    }
    return fetched;
  }

  private static void runStep(ExecutionPlan plan, ExecutionPlan.Step step, Tensor[] values, boolean[] fresh, VariableStore variables,
      Map<Class<?>, Object> services, Map<String, Object> nodeStates) {
    int[] in = step.inputSlots();
    Tensor[] inputs = new Tensor[in.length];
    List<Tensor> outputs;
    Context context = null;
    try {
      for (int i = 0; i < in.length; i++) {
        Tensor value = values[in[i]];
        boolean isRef = plan.refSlots[in[i]];
        if (step.refInputs()[i] && !isRef) {
          inputs[i] = value;
          throw new KernelException("Input " + i + " of node " + step.node().getName() + " must be a reference to a variable, but "
              + step.node().getInput(i) + " is a value (was it fed?)");
        }
        inputs[i] = isRef && !step.refInputs()[i] ? variables.read(variableName(value)) : value;
      }
      boolean[] overwritable = new boolean[in.length];
      for (int i = 0; i < in.length; i++) {
        overwritable[i] = fresh[in[i]] && plan.soleReader[in[i]];
      }
      context = new Context(step.node(), Arrays.asList(inputs), overwritable, variables, services, nodeStates);
      outputs = step.kernel().compute(context);
    } catch (RuntimeException e) {
      throw new KernelException(describe(step.node(), inputs) + e.getMessage(), e);
    }
    int[] out = step.outputSlots();
    if (outputs.size() < out.length) {
      throw new KernelException(describe(step.node(), inputs) + "the kernel made " + outputs.size()
          + " outputs, but output " + (out.length - 1) + " is used");
    }
    for (int port = 0; port < out.length; port++) {
      if (out[port] >= 0) {
        values[out[port]] = outputs.get(port);
        fresh[out[port]] = context.declaredFresh(outputs.get(port)) && onlyOnce(outputs, outputs.get(port));
      }
    }
  }

  /** A tensor on two output ports is shared, so neither reader may overwrite it. */
  private static boolean onlyOnce(List<Tensor> outputs, Tensor output) {
    int seen = 0;
    for (Tensor t : outputs) {
      seen += t == output ? 1 : 0;
    }
    return seen == 1;
  }

  /** The variable a handle (a scalar string tensor) names. */
  static String variableName(Tensor handle) {
    if (handle.dtype() != DType.STRING || !handle.shape().isScalar()) {
      throw new KernelException("Expected a variable handle (a scalar string), got " + handle.dtype().pythonName() + " " + handle.shape());
    }
    return new String(handle.string(0), StandardCharsets.UTF_8);
  }

  private static void checkFeed(String name, ExecutionPlan.Feed spec, Tensor value) {
    if (spec == null) {
      throw new IllegalArgumentException("Cannot feed " + name + ": the run was not planned with this feed");
    }
    if (value == null) {
      throw new IllegalArgumentException("Cannot feed a null value for Tensor '" + name + "'");
    }
    DType expected = spec.dtype() == DType.RESOURCE ? DType.STRING : spec.dtype();
    if (expected != null && value.dtype() != expected) {
      throw new IllegalArgumentException("Cannot feed value of dtype " + value.dtype().pythonName() + " for Tensor '" + name
          + "', which has dtype " + expected.pythonName());
    }
    if (spec.shape() != null && !PartialShapes.isCompatible(spec.shape(), value.shape())) {
      throw new IllegalArgumentException("Cannot feed value of shape " + value.shape() + " for Tensor '" + name
          + "', which has shape " + PartialShapes.render(spec.shape()));
    }
  }

  /** {@code Node 'x' (op MatMul, inputs [2,3] [4,5]): }; {@code ?} for an input not read yet. */
  private static String describe(NodeDef node, Tensor[] inputs) {
    StringBuilder text = new StringBuilder("Node '").append(node.getName()).append("' (op ").append(node.getOp());
    for (int i = 0; i < inputs.length; i++) {
      text.append(i == 0 ? ", inputs " : " ").append(inputs[i] == null ? "?" : inputs[i].shape().toString());
    }
    return text.append("): ").toString();
  }

  private static final class Context implements KernelContext {
    private final NodeDef node;
    private final List<Tensor> inputs;
    private final boolean[] overwritable;
    private final VariableStore variables;
    private final Map<Class<?>, Object> services;
    private final Map<String, Object> nodeStates;
    private List<Tensor> freshOutputs = List.of();

    Context(NodeDef node, List<Tensor> inputs, boolean[] overwritable, VariableStore variables, Map<Class<?>, Object> services,
        Map<String, Object> nodeStates) {
      this.node = node;
      this.inputs = inputs;
      this.overwritable = overwritable;
      this.variables = variables;
      this.services = services;
      this.nodeStates = nodeStates;
    }

    @Override
    public NodeDef node() {
      return node;
    }

    @Override
    public List<Tensor> inputs() {
      return inputs;
    }

    @Override
    public VariableStore variables() {
      return variables;
    }

    @Override
    public boolean mayOverwrite(int index) {
      return overwritable[index];
    }

    @Override
    public Tensor fresh(Tensor output) {
      if (freshOutputs.isEmpty()) {
        freshOutputs = new ArrayList<>(1);
      }
      freshOutputs.add(output);
      return output;
    }

    /** Whether the kernel declared this output fresh, and it is none of its inputs it was not allowed to overwrite. */
    boolean declaredFresh(Tensor output) {
      boolean declared = false;
      for (Tensor t : freshOutputs) {
        declared |= t == output;
      }
      for (int i = 0; declared && i < inputs.size(); i++) {
        declared = inputs.get(i) != output || overwritable[i];
      }
      return declared;
    }

    @Override
    public <T> T service(Class<T> type) {
      return type.cast(services.get(type));
    }

    @Override
    public <S> S nodeState(Class<S> type, Supplier<? extends S> initial) {
      return type.cast(nodeStates.computeIfAbsent(node.getName(), name -> initial.get()));
    }
  }
}
