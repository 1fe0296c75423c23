package io.sparkpoint.train;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.graph.Output;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tf.train.AdagradOptimizer}: accum += grad²; var -= lr · grad / sqrt(accum) (ApplyAdagrad).
 * Slot: {@code w/Adagrad}, starting at {@code initial_accumulator_value} (0.1 by default).
 */
public final class AdagradOptimizer extends Optimizer {
  private final double learningRate;
  private final double initialAccumulatorValue;
  private final Map<String, Output> accumulators = new HashMap<>();

  public AdagradOptimizer(double learningRate) {
    this(learningRate, 0.1, "Adagrad");
  }

  public AdagradOptimizer(double learningRate, double initialAccumulatorValue, String name) {
    super(name);
    if (initialAccumulatorValue <= 0) {
      throw new IllegalArgumentException("initial_accumulator_value must be positive: " + initialAccumulatorValue);
    }
    this.learningRate = learningRate;
    this.initialAccumulatorValue = initialAccumulatorValue;
  }

  @Override
  protected void createSlots(Graph graph, List<TrainableVariable> variables) {
    for (TrainableVariable variable : variables) {
      accumulators.computeIfAbsent(variable.name(), n -> Slots.slot(graph, variable, name(), initialAccumulatorValue));
    }
  }

  @Override
  protected void prepare(Graph graph) {
    hyperparameter(graph, "learning_rate", learningRate);
  }

  @Override
  protected OperationBuilder applyDense(Graph graph, Output grad, TrainableVariable variable) {
    return applyOp(graph, "ApplyAdagrad", variable, accumulators.get(variable.name()),
        hyperparameter(graph, "learning_rate", variable.dtype()), grad).setAttr("update_slots", true);
  }
}
