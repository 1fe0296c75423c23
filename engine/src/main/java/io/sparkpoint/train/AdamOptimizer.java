package io.sparkpoint.train;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tf.train.AdamOptimizer} (ApplyAdam). Slots {@code w/Adam} (m) and {@code w/Adam_1} (v);
 * non-slot variables {@code beta1_power} and {@code beta2_power}, multiplied by beta1 and beta2
 * after every step's updates ({@code Adam/mul}, {@code Adam/Assign}, {@code Adam/mul_1},
 * {@code Adam/Assign_1}).
 */
public final class AdamOptimizer extends Optimizer {
  private final double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final boolean useNesterov;
  private final Map<String, Output[]> slots = new HashMap<>();
  private Output beta1Power;
  private Output beta2Power;

  public AdamOptimizer(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-8, false, "Adam");
  }

  public AdamOptimizer(double learningRate, double beta1, double beta2, double epsilon, boolean useNesterov, String name) {
    super(name);
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.useNesterov = useNesterov;
  }

  @Override
  protected void createSlots(Graph graph, List<TrainableVariable> variables) {
    if (beta1Power == null) {
      TrainableVariable first = variables.get(0);
      beta1Power = Slots.scalar(graph, "beta1_power", first.dtype(), beta1, first.resource());
      beta2Power = Slots.scalar(graph, "beta2_power", first.dtype(), beta2, first.resource());
    }
    for (TrainableVariable variable : variables) {
      slots.computeIfAbsent(variable.name(), n -> new Output[] {
          Slots.slot(graph, variable, name(), 0), Slots.slot(graph, variable, name(), 0)});
    }
  }

  @Override
  protected void prepare(Graph graph) {
    hyperparameter(graph, "learning_rate", learningRate);
    hyperparameter(graph, "beta1", beta1);
    hyperparameter(graph, "beta2", beta2);
    hyperparameter(graph, "epsilon", epsilon);
  }

  @Override
  protected OperationBuilder applyDense(Graph graph, Output grad, TrainableVariable variable) {
    Output[] s = slots.get(variable.name());
    DType dtype = variable.dtype();
    return applyOp(graph, "ApplyAdam", variable, s[0], s[1], power(graph, beta1Power, dtype), power(graph, beta2Power, dtype),
        hyperparameter(graph, "learning_rate", dtype), hyperparameter(graph, "beta1", dtype), hyperparameter(graph, "beta2", dtype),
        hyperparameter(graph, "epsilon", dtype), grad).setAttr("use_nesterov", useNesterov);
  }

  private static Output power(Graph graph, Output power, DType dtype) {
    Output value = Slots.value(graph, power);
    DType own = value.dtype();
    return own == dtype ? value
        : graph.opBuilder("Cast", "Cast").addInput(value).setAttr("SrcT", own).setAttr("DstT", dtype).build().output(0);
  }

  @Override
  protected List<Operation> finish(Graph graph, List<Operation> updates) {
    List<Operation> all = new ArrayList<>(updates);
    all.add(scale(graph, beta1Power, "beta1", updates));
    all.add(scale(graph, beta2Power, "beta2", updates));
    return all;
  }

  /** power ← power · beta, after every update. */
  private Operation scale(Graph graph, Output power, String beta, List<Operation> updates) {
    DType dtype = Slots.value(graph, power).dtype();
    OperationBuilder multiply = graph.opBuilder("Mul", "mul").addInput(Slots.value(graph, power))
        .addInput(hyperparameter(graph, beta, dtype)).setAttr("T", dtype);
    updates.forEach(multiply::addControlInput);
    Output product = multiply.build().output(0);
    boolean resource = power.op().type().equals("VarHandleOp");
    OperationBuilder assign = resource
        ? graph.opBuilder("AssignVariableOp", "AssignVariableOp").addInput(power).addInput(product).setAttr("dtype", dtype)
        : graph.opBuilder("Assign", "Assign").addInput(power).addInput(product).setAttr("T", dtype).setAttr("use_locking", false);
    updates.forEach(assign::addControlInput);
    return assign.build();
  }
}
