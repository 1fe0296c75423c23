package io.sparkpoint.grad;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Checks symbolic gradients against central finite differences in float64: for y = f(x1..xn) and a
 * fixed random r shaped like y, the gradient of sum(r·y) with respect to each element of each x.
 */
final class GradientChecker {
  private static final double STEP = 1e-6;
  private double step = STEP;

  private final Graph graph = new Graph();
  private final List<Output> placeholders = new ArrayList<>();
  private final List<Tensor> values = new ArrayList<>();
  private final Random random = new Random(42);

  /** A float64 input with random values in [low, high). */
  Output input(Shape shape, double low, double high) {
    double[] v = new double[Math.toIntExact(shape.numElements())];
    for (int i = 0; i < v.length; i++) {
      v[i] = low + (high - low) * random.nextDouble();
    }
    return input(Tensor.ofDoubles(shape, v));
  }

  Output input(Tensor value) {
    Output x = graph.opBuilder("Placeholder", "x" + placeholders.size()).setAttr("dtype", value.dtype()).build().output(0);
    placeholders.add(x);
    values.add(value);
    return x;
  }

  Graph graph() {
    return graph;
  }

  /**
   * Builds y from the inputs, its gradients, and compares them with finite differences.
   *
   * @return the largest absolute difference seen
   */
  double check(Function<Graph, Output> function, double tolerance) {
    return check(function, tolerance, STEP);
  }

  /** With a finite-difference step of its own: larger for functions that round to float32 on the way, which are linear there. */
  double check(Function<Graph, Output> function, double tolerance, double differenceStep) {
    step = differenceStep;
    Output y = function.apply(graph);
    Session session = new Session(graph);
    Tensor y0 = session.run(feeds(values), List.of(y.name())).get(0);
    double[] r = new double[Math.toIntExact(y0.numElements())];
    for (int i = 0; i < r.length; i++) {
      r[i] = random.nextDouble() * 2 - 1;
    }
    Tensor weights = Tensor.ofDoubles(y0.shape(), r);
    Output seed = graph.opBuilder("Const", "seed").setAttr("dtype", DType.DOUBLE).setAttr("value", weights).build().output(0);
    List<Output> grads = Gradients.gradients(graph, List.of(y), placeholders, List.of(seed), List.of());
    session = new Session(graph);
    List<String> fetches = new ArrayList<>();
    for (Output grad : grads) {
      assertThat(grad).as("a gradient for every input").isNotNull();
      fetches.add(grad.name());
    }
    List<Tensor> symbolic = session.run(feeds(values), fetches);
    double worst = 0;
    for (int k = 0; k < placeholders.size(); k++) {
      Tensor x = values.get(k);
      assertThat(symbolic.get(k).shape()).as("gradient shape of input %d", k).isEqualTo(x.shape());
      for (int j = 0; j < x.numElements(); j++) {
        double numeric = (weighted(session, y, k, j, step, r) - weighted(session, y, k, j, -step, r)) / (2 * step);
        double analytic = symbolic.get(k).doubleAt(j);
        double diff = Math.abs(numeric - analytic);
        worst = Math.max(worst, diff);
        assertThat(diff).as("d/dx%d[%d]: symbolic %s vs numeric %s", k, j, analytic, numeric)
            .isLessThanOrEqualTo(tolerance * Math.max(1, Math.abs(numeric)));
      }
    }
    return worst;
  }

  private double weighted(Session session, Output y, int input, int element, double delta, double[] r) {
    List<Tensor> shifted = new ArrayList<>(values);
    Tensor x = values.get(input);
    double[] v = new double[Math.toIntExact(x.numElements())];
    for (int i = 0; i < v.length; i++) {
      v[i] = x.doubleAt(i);
    }
    v[element] += delta;
    shifted.set(input, Tensor.ofDoubles(x.shape(), v));
    Tensor out = session.run(feeds(shifted), List.of(y.name())).get(0);
    double sum = 0;
    for (int i = 0; i < r.length; i++) {
      sum += r[i] * out.doubleAt(i);
    }
    return sum;
  }

  private Map<String, Tensor> feeds(List<Tensor> inputs) {
    Map<String, Tensor> feeds = new HashMap<>();
    for (int i = 0; i < placeholders.size(); i++) {
      feeds.put(placeholders.get(i).name(), inputs.get(i));
    }
    return feeds;
  }
}
