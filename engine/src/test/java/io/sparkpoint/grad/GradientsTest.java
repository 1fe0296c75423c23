package io.sparkpoint.grad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What tf.gradients adds to a graph: TF's names, null gradients where no path exists, and its errors. */
class GradientsTest {
  private final Graph graph = new Graph();

  private Output placeholder(String name) {
    return graph.opBuilder("Placeholder", name).setAttr("dtype", DType.FLOAT).build().output(0);
  }

  private Output op(String type, String name, Output... inputs) {
    var builder = graph.opBuilder(type, name);
    for (Output input : inputs) {
      builder.addInput(input);
    }
    return builder.setAttr("T", DType.FLOAT).build().output(0);
  }

  private Output ints(String name, int... values) {
    return graph.opBuilder("Const", name).setAttr("dtype", DType.INT32).setAttr("value", Tensor.ofInts(Shape.of(values.length), values))
        .build().output(0);
  }

  @Test
  void gradientNodesCarryTensorFlowsNames() {
    Output x = placeholder("x");
    Output w = placeholder("w");
    Output y = op("MatMul", "layer/MatMul", x, w);

    List<Output> grads = Gradients.gradients(graph, List.of(y), List.of(x, w));

    assertThat(grads).extracting(Output::name).containsExactly(
        "gradients/layer/MatMul_grad/MatMul:0", "gradients/layer/MatMul_grad/MatMul_1:0");
    assertThat(graph.operation("gradients/grad_ys_0").type()).isEqualTo("Fill");
    assertThat(graph.operation("gradients/Shape").type()).isEqualTo("Shape");
    assertThat(Gradients.gradients(graph, List.of(y), List.of(w)).get(0).name())
        .as("a second call gets a scope of its own").startsWith("gradients_1/");
  }

  @Test
  void anXNoYDependsOnGetsNull() {
    Output x = placeholder("x");
    Output unused = placeholder("unused");
    Output y = op("Neg", "y", x);
    assertThat(Gradients.gradients(graph, List.of(y), List.of(unused, x))).first().isNull();
  }

  @Test
  void integerPathsAndNonDifferentiableOpsCarryNoGradient() {
    Output x = placeholder("x");
    Output viaInt = graph.opBuilder("Cast", "toInt").addInput(x).setAttr("SrcT", DType.FLOAT).setAttr("DstT", DType.INT32).build().output(0);
    Output back = graph.opBuilder("Cast", "back").addInput(viaInt).setAttr("SrcT", DType.INT32).setAttr("DstT", DType.FLOAT).build().output(0);
    Output argMax = graph.opBuilder("ArgMax", "argmax").addInput(x).addInput(ints("axis", 0)).setAttr("T", DType.FLOAT).build().output(0);
    Output viaArgMax = graph.opBuilder("Cast", "fromArgMax").addInput(argMax).setAttr("SrcT", DType.INT64).setAttr("DstT", DType.FLOAT)
        .build().output(0);
    assertThat(Gradients.gradients(graph, List.of(back), List.of(x))).containsOnlyNulls();
    assertThat(Gradients.gradients(graph, List.of(viaArgMax), List.of(x))).containsOnlyNulls();
  }

  @Test
  void stopGradientAndStopTensorsCutThePath() {
    Output x = placeholder("x");
    Output w1 = placeholder("w1");
    Output w2 = placeholder("w2");
    Output h = op("MatMul", "h", x, w1);
    Output y = op("MatMul", "y", h, w2);
    Output cut = op("MatMul", "cut", op("StopGradient", "stop", h), w2);

    List<Output> stopped = Gradients.gradients(graph, List.of(y), List.of(w1, h, w2), null, List.of(h));
    assertThat(stopped.get(0)).as("w1 lies behind a stop tensor").isNull();
    assertThat(stopped.get(1)).as("the stop tensor itself still gets its gradient").isNotNull();
    assertThat(stopped.get(2)).isNotNull();
    assertThat(Gradients.gradients(graph, List.of(cut), List.of(w1, w2))).containsExactly(null,
        graph.getTensorByName("gradients_1/cut_grad/MatMul_1:0"));
  }

  @Test
  void gradientsReachingOneTensorAreAddedWithAddN() {
    Output x = placeholder("x");
    Output both = graph.opBuilder("Pack", "both").addInput(op("Neg", "a", x)).addInput(op("Exp", "b", x)).setAttr("T", DType.FLOAT)
        .setAttr("N", 2).build().output(0);
    Output grad = Gradients.gradients(graph, List.of(both), List.of(x)).get(0);
    assertThat(grad.op().type()).isEqualTo("AddN");
    assertThat(grad.op().inputs()).extracting(Output::name).containsExactly("gradients/b_grad/Mul:0", "gradients/a_grad/Neg:0");
  }

  @Test
  void theSameGraphGivesTheSameGradientGraph() {
    Graph[] graphs = {new Graph(), new Graph()};
    for (Graph g : graphs) {
      Output x = g.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT).build().output(0);
      Output w = g.opBuilder("Placeholder", "w").setAttr("dtype", DType.FLOAT).build().output(0);
      Output h = g.opBuilder("MatMul", "h").addInput(x).addInput(w).setAttr("T", DType.FLOAT).build().output(0);
      Output y = g.opBuilder("AddV2", "y").addInput(h).addInput(h).setAttr("T", DType.FLOAT).build().output(0);
      Gradients.gradients(g, List.of(y), List.of(x, w));
    }
    assertThat(graphs[0].toGraphDef()).isEqualTo(graphs[1].toGraphDef());
  }

  @Test
  void aPathThroughAnOpWithoutGradientIsAnError() {
    Output x = placeholder("x");
    Output y = graph.opBuilder("Cumprod", "running").addInput(x).addInput(ints("axis", 0)).setAttr("T", DType.FLOAT).build().output(0);
    assertThatThrownBy(() -> Gradients.gradients(graph, List.of(y), List.of(x)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("No gradient defined for operation 'running' (op type: Cumprod)");
  }

  @Test
  void preventGradientSaysWhy() {
    Output x = placeholder("x");
    Output y = graph.opBuilder("PreventGradient", "guard").addInput(x).setAttr("T", DType.FLOAT).setAttr("message", "no second order")
        .build().output(0);
    assertThatThrownBy(() -> Gradients.gradients(graph, List.of(y), List.of(x)))
        .hasMessage("Gradient explicitly disabled. Reason: no second order");
  }

  @Test
  void gradYsMustMatchYs() {
    Output x = placeholder("x");
    assertThatThrownBy(() -> Gradients.gradients(graph, List.of(op("Neg", "y", x)), List.of(x), List.of(), List.of()))
        .hasMessage("Passed 0 grad_ys for 1 ys");
  }
}
