package io.sparkpoint.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gradient kernels write into a fresh operand that only they read (here a MatMul product), on
 * either side, and leave every value someone else can see alone.
 */
class GradInPlaceTest {
  private final Graph graph = new Graph();
  private final Map<String, Tensor> feeds = Map.of("x", Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4));

  private Output constant(String name, Tensor value) {
    return graph.opBuilder("Const", name).setAttr("dtype", value.dtype()).setAttr("value", value).build().output(0);
  }

  private Output op(String type, String name, Output... inputs) {
    var builder = graph.opBuilder(type, name);
    for (Output input : inputs) {
      builder.addInput(input);
    }
    return builder.setAttr("T", DType.FLOAT).build().output(0);
  }

  /** x @ [[1,0],[0,-1]] = [[1,-2],[3,-4]]. */
  private Output product(String name) {
    Output x = graph.operation("x") != null ? graph.getTensorByName("x:0")
        : graph.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT).build().output(0);
    return op("MatMul", name, x, constant(name + "_w", Tensor.ofFloats(Shape.of(2, 2), 1, 0, 0, -1)));
  }

  @Test
  void reluGradWritesIntoItsGradientsAndSigmoidGradIntoItsDy() {
    op("ReluGrad", "relu_grad", product("g1"), constant("features", Tensor.ofFloats(Shape.of(2, 2), 1, 1, -1, 1)));
    op("SigmoidGrad", "sigmoid_grad", constant("y", Tensor.ofFloats(Shape.of(2, 2), 0.5f, 0.5f, 0.5f, 0.5f)), product("g2"));
    Session session = new Session(graph);
    for (int run = 0; run < 3; run++) {
      List<Tensor> out = session.run(feeds, List.of("relu_grad", "sigmoid_grad"));
      assertThat(out).containsExactly(
          Tensor.ofFloats(Shape.of(2, 2), 1, -2, 0, -4),
          Tensor.ofFloats(Shape.of(2, 2), 0.25f, -0.5f, 0.75f, -1));
      assertThat(NdArrays.overwritableData(out.get(0))).as("relu_grad is the product's memory").isNotNull();
      assertThat(NdArrays.overwritableData(out.get(1))).as("sigmoid_grad is the product's memory").isNotNull();
    }
  }

  @Test
  void aFetchedGradientKeepsItsValue() {
    op("ReluGrad", "relu_grad", product("g1"), constant("features", Tensor.ofFloats(Shape.of(2, 2), -1, -1, -1, -1)));
    List<Tensor> out = new Session(graph).run(feeds, List.of("g1", "relu_grad"));
    assertThat(out.get(0)).isEqualTo(Tensor.ofFloats(Shape.of(2, 2), 1, -2, 3, -4));
    assertThat(out.get(1)).isEqualTo(Tensor.ofFloats(Shape.of(2, 2), 0, -0f, 0, -0f));
  }

  @Test
  void addNAndReciprocalWriteIntoAFreshInputToo() {
    op("Reciprocal", "reciprocal", product("g1"));
    graph.opBuilder("AddN", "sum").addInput(product("g2")).addInput(product("g3"))
        .setAttr("N", 2L).setAttr("T", DType.FLOAT).build();
    List<Tensor> out = new Session(graph).run(feeds, List.of("reciprocal", "sum"));
    assertThat(out).containsExactly(
        Tensor.ofFloats(Shape.of(2, 2), 1, -0.5f, 1 / 3f, -0.25f),
        Tensor.ofFloats(Shape.of(2, 2), 2, -4, 6, -8));
    assertThat(NdArrays.overwritableData(out.get(0))).isNotNull();
    assertThat(NdArrays.overwritableData(out.get(1))).isNotNull();
  }
}
