package io.sparkpoint.train;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.graph.Output;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tf.train.RMSPropOptimizer} (ApplyRMSProp, or ApplyCenteredRMSProp when centered). Slots as
 * TF1 makes them: {@code w/RMSProp} (ms, starting at 1), then {@code w/RMSProp_1} (mg, when
 * centered) and the momentum slot.
 */
public final class RMSPropOptimizer extends Optimizer {
  private final double learningRate;
  private final double decay;
  private final double momentum;
  private final double epsilon;
  private final boolean centered;
  private final Map<String, Output[]> slots = new HashMap<>();

  public RMSPropOptimizer(double learningRate) {
    this(learningRate, 0.9, 0.0, 1e-10, false, "RMSProp");
  }

  public RMSPropOptimizer(double learningRate, double decay, double momentum, double epsilon, boolean centered, String name) {
    super(name);
    this.learningRate = learningRate;
    this.decay = decay;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.centered = centered;
  }

  @Override
  protected void createSlots(Graph graph, List<TrainableVariable> variables) {
    for (TrainableVariable variable : variables) {
      slots.computeIfAbsent(variable.name(), n -> {
        Output ms = Slots.slot(graph, variable, name(), 1);
        Output mg = centered ? Slots.slot(graph, variable, name(), 0) : null;
        Output mom = Slots.slot(graph, variable, name(), 0);
        return new Output[] {ms, mg, mom};
      });
    }
  }

  @Override
  protected void prepare(Graph graph) {
    hyperparameter(graph, "learning_rate", learningRate);
    hyperparameter(graph, "decay", decay);
    hyperparameter(graph, "momentum", momentum);
    hyperparameter(graph, "epsilon", epsilon);
  }

  @Override
  protected OperationBuilder applyDense(Graph graph, Output grad, TrainableVariable variable) {
    Output[] s = slots.get(variable.name());
    Output lr = hyperparameter(graph, "learning_rate", variable.dtype());
    Output rho = hyperparameter(graph, "decay", variable.dtype());
    Output mom = hyperparameter(graph, "momentum", variable.dtype());
    Output eps = hyperparameter(graph, "epsilon", variable.dtype());
    return centered
        ? applyOp(graph, "ApplyCenteredRMSProp", variable, s[1], s[0], s[2], lr, rho, mom, eps, grad)
        : applyOp(graph, "ApplyRMSProp", variable, s[0], s[2], lr, rho, mom, eps, grad);
  }
}
