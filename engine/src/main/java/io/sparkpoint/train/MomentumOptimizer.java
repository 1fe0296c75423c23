package io.sparkpoint.train;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.graph.Output;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tf.train.MomentumOptimizer}: accum = momentum · accum + grad; var -= lr · accum, or with
 * Nesterov var -= lr · (grad + momentum · accum) (ApplyMomentum). Slot: {@code w/Momentum}.
 */
public final class MomentumOptimizer extends Optimizer {
  private final double learningRate;
  private final double momentum;
  private final boolean useNesterov;
  private final Map<String, Output> accumulators = new HashMap<>();

  public MomentumOptimizer(double learningRate, double momentum) {
    this(learningRate, momentum, false, "Momentum");
  }

  public MomentumOptimizer(double learningRate, double momentum, boolean useNesterov, String name) {
    super(name);
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.useNesterov = useNesterov;
  }

  @Override
  protected void createSlots(Graph graph, List<TrainableVariable> variables) {
    for (TrainableVariable variable : variables) {
      accumulators.computeIfAbsent(variable.name(), n -> Slots.slot(graph, variable, name(), 0));
    }
  }

  @Override
  protected void prepare(Graph graph) {
    hyperparameter(graph, "learning_rate", learningRate);
    hyperparameter(graph, "momentum", momentum);
  }

  @Override
  protected OperationBuilder applyDense(Graph graph, Output grad, TrainableVariable variable) {
    return applyOp(graph, "ApplyMomentum", variable, accumulators.get(variable.name()),
        hyperparameter(graph, "learning_rate", variable.dtype()), grad, hyperparameter(graph, "momentum", variable.dtype()))
        .setAttr("use_nesterov", useNesterov);
  }
}
