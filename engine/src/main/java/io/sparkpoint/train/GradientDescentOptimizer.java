package io.sparkpoint.train;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.graph.Output;
import java.util.List;

/** {@code tf.train.GradientDescentOptimizer}: var -= learning_rate · grad (ApplyGradientDescent). */
public final class GradientDescentOptimizer extends Optimizer {
  private final double learningRate;

  public GradientDescentOptimizer(double learningRate) {
    this(learningRate, "GradientDescent");
  }

  public GradientDescentOptimizer(double learningRate, String name) {
    super(name);
    this.learningRate = learningRate;
  }

  @Override
  protected void createSlots(Graph graph, List<TrainableVariable> variables) {}

  @Override
  protected void prepare(Graph graph) {
    hyperparameter(graph, "learning_rate", learningRate);
  }

  @Override
  protected OperationBuilder applyDense(Graph graph, Output grad, TrainableVariable variable) {
    return applyOp(graph, "ApplyGradientDescent", variable, hyperparameter(graph, "learning_rate", variable.dtype()), grad);
  }
}
