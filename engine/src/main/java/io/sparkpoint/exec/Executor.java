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
    for (Map.Entry<String, Tensor> feed : feeds.entrySet()) {
      String name = ExecutionPlan.tensorName(feed.getKey());
      ExecutionPlan.Feed spec = plan.feeds.get(name);
      Tensor value = feed.getValue();
      checkFeed(name, spec, value);
      values[spec.slot()] = value;
    }
    for (ExecutionPlan.Step step : plan.steps) {
      runStep(plan, step, values, variables, services, nodeStates);
    }
    List<Tensor> fetched = new ArrayList<>(plan.fetchSlots.length);
    for (int slot : plan.fetchSlots) {
      fetched.add(plan.refSlots[slot] ? variables.read(variableName(values[slot])) : values[slot]);
    }
    return fetched;
  }

  private static void runStep(ExecutionPlan plan, ExecutionPlan.Step step, Tensor[] values, VariableStore variables,
      Map<Class<?>, Object> services, Map<String, Object> nodeStates) {
    int[] in = step.inputSlots();
    Tensor[] inputs = new Tensor[in.length];
    List<Tensor> outputs;
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
      outputs = step.kernel().compute(new Context(step.node(), Arrays.asList(inputs), variables, services, nodeStates));
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
      }
    }
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

  private record Context(NodeDef node, List<Tensor> inputs, VariableStore variables, Map<Class<?>, Object> services,
      Map<String, Object> nodeStates) implements KernelContext {
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
