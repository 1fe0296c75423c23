package io.sparkpoint.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Output;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.model.ModelGenerator;
import io.sparkpoint.model.ModelSpec;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What one training step does: each optimizer's update against the formula worked out by hand, a
 * global step that counts, and the same bits from the same graph every time, even for a TF1-style
 * graph whose updates do not wait for the gradients.
 */
class TrainingStepTest {
  private final Graph graph = new Graph();

  /** loss = sum(w·x) for the variable w = [1, 2] and the constant x = [3, -1]: d loss / d w = x. */
  private Output linearLoss() {
    Output w = Variables.variable(graph, "w", Tensor.ofFloats(Shape.of(2), 1, 2));
    Output x = graph.opBuilder("Const", "x").setAttr("dtype", DType.FLOAT).setAttr("value", Tensor.ofFloats(Shape.of(2), 3, -1))
        .build().output(0);
    Output product = graph.opBuilder("Mul", "mul").addInput(w).addInput(x).setAttr("T", DType.FLOAT).build().output(0);
    Output axes = graph.opBuilder("Const", "axes").setAttr("dtype", DType.INT32).setAttr("value", Tensor.ofInts(Shape.of(1), 0))
        .build().output(0);
    return graph.opBuilder("Sum", "loss").addInput(product).addInput(axes).setAttr("T", DType.FLOAT).build().output(0);
  }

  private float[] stepTwice(Optimizer optimizer) {
    String train = optimizer.minimize(graph, linearLoss(), TrainableVariable.all(graph), GlobalStep.getOrCreate(graph)).name();
    Variables.globalVariablesInitializer(graph);
    Session session = new Session(graph);
    session.run(Map.of(), List.of(), List.of("init"));
    session.run(Map.of(), List.of(), List.of(train));
    session.run(Map.of(), List.of(), List.of(train));
    assertThat(session.run(Map.of(), List.of("global_step:0")).get(0)).isEqualTo(Tensor.scalar(2L));
    Tensor w = session.run(Map.of(), List.of("w:0")).get(0);
    return new float[] {(float) w.doubleAt(0), (float) w.doubleAt(1)};
  }

  @Test
  void gradientDescent() {
    // w - 2 · 0.1 · x
    assertThat(stepTwice(new GradientDescentOptimizer(0.1))).usingComparatorWithPrecision(1e-6f).containsExactly(1 - 0.6f, 2 + 0.2f);
  }

  @Test
  void momentumAndNesterov() {
    // accum: x, then 1.9x; w - 0.1 · (x + 1.9x) = w - 0.29x
    assertThat(stepTwice(new MomentumOptimizer(0.1, 0.9))).usingComparatorWithPrecision(1e-6f).containsExactly(1 - 0.87f, 2 + 0.29f);
  }

  @Test
  void nesterovMomentum() {
    // each step lr·(g + m·accum), accum x then 1.9x: 0.1·(x + 0.9x) + 0.1·(x + 0.9·1.9x) = 0.19x + 0.271x
    assertThat(stepTwice(new MomentumOptimizer(0.1, 0.9, true, "Momentum"))).usingComparatorWithPrecision(1e-6f)
        .containsExactly(1 - 3 * 0.461f, 2 + 0.461f);
  }

  @Test
  void adamMovesEachWeightByAboutTheLearningRatePerStep() {
    // with a constant gradient, Adam's bias-corrected step is lr · g / (|g| + eps') ≈ lr · sign(g)
    assertThat(stepTwice(new AdamOptimizer(0.01))).usingComparatorWithPrecision(1e-5f).containsExactly(1 - 0.02f, 2 + 0.02f);
  }

  @Test
  void adagrad() {
    // accum 0.1 + 9 = 9.1, then 18.1; w - 0.1·3/sqrt(9.1) - 0.1·3/sqrt(18.1)
    float first = (float) (1 - 0.3 / Math.sqrt(9.1) - 0.3 / Math.sqrt(18.1));
    float second = (float) (2 + 0.1 / Math.sqrt(1.1) + 0.1 / Math.sqrt(2.1));
    assertThat(stepTwice(new AdagradOptimizer(0.1))).usingComparatorWithPrecision(1e-6f).containsExactly(first, second);
  }

  @Test
  void rmsProp() {
    // ms = 0.9·1 + 0.1·g², w -= lr · g / sqrt(ms + eps), twice (momentum 0)
    double ms1 = 0.9 + 0.1 * 9;
    double ms2 = 0.9 * ms1 + 0.1 * 9;
    double n1 = 0.9 + 0.1;
    double n2 = 0.9 * n1 + 0.1;
    float first = (float) (1 - 0.01 * 3 / Math.sqrt(ms1) - 0.01 * 3 / Math.sqrt(ms2));
    float second = (float) (2 + 0.01 / Math.sqrt(n1) + 0.01 / Math.sqrt(n2));
    assertThat(stepTwice(new RMSPropOptimizer(0.01))).usingComparatorWithPrecision(1e-6f).containsExactly(first, second);
  }

  @Test
  void theSameGraphTrainedTwiceGivesTheSameBits() {
    ModelSpec spec = new ModelSpec(ModelSpec.Kind.MLP, List.of(6L), 3, List.of(5L), ModelSpec.Optimizer.ADAM, 0.05, 3);
    Map<String, Tensor> batch = Map.of(ModelGenerator.INPUT, Tensor.ofFloats(Shape.of(2, 6), 1, -2, 3, 0.5f, 0, 1, -1, 0.25f, 2, 2, -3, 1),
        ModelGenerator.LABELS, Tensor.ofLongs(Shape.of(2), 2, 0));
    List<Tensor> first = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      Graph g = ModelGenerator.build(spec);
      Session session = new Session(g);
      session.run(Map.of(), List.of(), List.of(ModelGenerator.INIT));
      for (int step = 0; step < 5; step++) {
        session.run(batch, List.of(), List.of(ModelGenerator.TRAIN));
      }
      List<Tensor> values = session.run(Map.of(), Variables.globalVariableNames(g).stream().map(n -> n + ":0").toList());
      if (first == null) {
        first = values;
      } else {
        assertThat(values).isEqualTo(first);
      }
    }
  }
}
