package io.sparkpoint.train;

import io.sparkpoint.grad.Gradients;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * TF1's {@code tf.train.Optimizer}: {@code minimize} = {@code compute_gradients} (symbolic
 * gradients under {@code gradients/}) + {@code apply_gradients} (slots next to each variable, the
 * hyperparameters as Consts under the optimizer's name, one Apply op per variable under
 * {@code <name>/update_<var>/}, then a NoOp named after the optimizer, or with a global step an
 * AssignAdd of it under that name after a NoOp {@code <name>/update}).
 *
 * <p>Every Apply op runs after every gradient has been computed (it has them all as control
 * inputs), so a step never mixes old and new values, even in TensorFlow's parallel executor.
 */
public abstract class Optimizer {
  private final String name;
  private final Map<String, Output> hyperparameters = new LinkedHashMap<>();

  protected Optimizer(String name) {
    this.name = name;
  }

  /** The optimizer's name scope, e.g. {@code Adam}. */
  public String name() {
    return name;
  }

  /** minimize(loss) over every trainable variable, without a global step. */
  public Operation minimize(Graph graph, Output loss) {
    return minimize(graph, loss, TrainableVariable.all(graph), null);
  }

  /**
   * @param varList the variables to train (TF's var_list)
   * @param globalStep a global step variable to increment after each step, or null
   * @throws IllegalArgumentException with TF's "No gradients provided for any variable" when the
   *     loss depends on none of them
   */
  public Operation minimize(Graph graph, Output loss, List<TrainableVariable> varList, Output globalStep) {
    return applyGradients(graph, computeGradients(graph, loss, varList), globalStep);
  }

  /** The gradient of {@code loss} for each variable, null where the loss does not depend on it. */
  public List<GradAndVar> computeGradients(Graph graph, Output loss, List<TrainableVariable> varList) {
    if (varList.isEmpty()) {
      throw new IllegalArgumentException("No variables to optimize.");
    }
    List<Output> grads = Gradients.gradients(graph, List.of(loss), varList.stream().map(TrainableVariable::variable).toList());
    List<GradAndVar> pairs = new ArrayList<>();
    for (int i = 0; i < varList.size(); i++) {
      pairs.add(new GradAndVar(grads.get(i), varList.get(i)));
    }
    return pairs;
  }

  /**
   * Adds the update ops for the pairs with a gradient.
   *
   * @return the train op
   */
  public Operation applyGradients(Graph graph, List<GradAndVar> gradsAndVars, Output globalStep) {
    List<GradAndVar> present = gradsAndVars.stream().filter(p -> p.grad() != null).toList();
    if (present.isEmpty()) {
      throw new IllegalArgumentException("No gradients provided for any variable, check your graph for ops that do not support "
          + "gradients, between variables " + gradsAndVars.stream().map(p -> p.variable().name()).collect(Collectors.joining(", ", "[", "]"))
          + " and loss.");
    }
    createSlots(graph, present.stream().map(GradAndVar::variable).toList());
    try (Graph.NameScope scope = graph.nameScope(name)) {
      hyperparameters.clear();
      prepare(graph);
      List<Operation> updates = new ArrayList<>();
      for (GradAndVar pair : present) {
        try (Graph.NameScope update = graph.nameScope("update_" + pair.variable().name())) {
          OperationBuilder apply = applyDense(graph, pair.grad(), pair.variable());
          for (GradAndVar other : present) {
            if (other != pair) {
              apply.addControlInput(other.grad().op());
            }
          }
          updates.add(apply.build());
        }
      }
      List<Operation> finishing = finish(graph, updates);
      if (globalStep == null) {
        return group(graph.opBuilderNamedAfter(scope, "NoOp"), finishing);
      }
      Operation finished;
      try (Graph.NameScope named = graph.nameScope("update")) {
        finished = group(graph.opBuilderNamedAfter(named, "NoOp"), finishing);
      }
      Output one = graph.constant("value", Tensor.scalar(1L));
      return graph.opBuilderNamedAfter(scope, "AssignAdd").addInput(globalStep).addInput(one).setAttr("T", DType.INT64)
          .addControlInput(finished).build();
    }
  }

  private static Operation group(OperationBuilder noOp, List<Operation> ops) {
    ops.forEach(noOp::addControlInput);
    return noOp.build();
  }

  /** A float32 Const hyperparameter under the optimizer's scope, e.g. {@code Adam/learning_rate}. */
  protected final void hyperparameter(Graph graph, String key, double value) {
    hyperparameters.put(key, graph.constant(key, Tensor.scalar((float) value)));
  }

  /** A hyperparameter as the variable's dtype: the Const itself, or a Cast of it inside the update scope. */
  protected final Output hyperparameter(Graph graph, String key, DType dtype) {
    Output value = hyperparameters.get(key);
    return dtype == DType.FLOAT ? value
        : graph.opBuilder("Cast", "Cast").addInput(value).setAttr("SrcT", DType.FLOAT).setAttr("DstT", dtype).build().output(0);
  }

  /** A builder for this optimizer's Apply op (ref variables) or ResourceApply op (resource variables), inputs added. */
  protected static OperationBuilder applyOp(Graph graph, String op, TrainableVariable variable, Output... inputs) {
    String type = variable.resource() ? "Resource" + op : op;
    OperationBuilder builder = graph.opBuilder(type, type).addInput(variable.variable());
    for (Output input : inputs) {
      builder.addInput(input);
    }
    return builder.setAttr("T", variable.dtype()).setAttr("use_locking", false);
  }

  /** Makes the slots (and non-slot state) the variables need; called before the optimizer's scope opens. */
  protected abstract void createSlots(Graph graph, List<TrainableVariable> variables);

  /** Makes the hyperparameter Consts, inside the optimizer's scope. */
  protected abstract void prepare(Graph graph);

  /** The Apply op of one variable, inside {@code <name>/update_<var>/}, not built yet. */
  protected abstract OperationBuilder applyDense(Graph graph, Output grad, TrainableVariable variable);

  /** Ops to run after every update (Adam's beta powers); the updates themselves by default. */
  protected List<Operation> finish(Graph graph, List<Operation> updates) {
    return updates;
  }
}
