package io.sparkpoint.kernels.nn;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Output;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MatMul, BiasAdd and Relu in a chain: BiasAdd and Relu overwrite the product in place when they
 * are its only readers, and never touch a value someone else can see.
 */
class InPlaceChainTest {
  private final Graph graph = new Graph();

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

  /** x [2,2] @ w [2,3] + b, then relu: product [[-1,2,-1],[-3,4,-3]], biased [[0,1,1],[-2,3,-1]]. */
  private void chain() {
    Output x = graph.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT).build().output(0);
    Output w = constant("w", Tensor.ofFloats(Shape.of(2, 3), 1, 0, 1, -1, 1, -1));
    Output b = constant("b", Tensor.ofFloats(Shape.of(3), 1, -1, 2));
    op("Relu", "relu", op("BiasAdd", "biased", op("MatMul", "product", x, w), b));
  }

  private final Map<String, Tensor> feeds = Map.of("x", Tensor.ofFloats(Shape.of(2, 2), 1, 2, 1, 4));

  @Test
  void theChainWritesIntoTheProductsMemoryAndGivesTheRightValues() {
    chain();
    Session session = new Session(graph);
    for (int run = 0; run < 3; run++) {
      Tensor relu = session.run(feeds, List.of("relu")).get(0);
      assertThat(relu).isEqualTo(Tensor.ofFloats(Shape.of(2, 3), 0, 1, 1, 0, 3, 0));
      assertThat(NdArrays.overwritableData(relu)).as("relu is the product's own memory").isNotNull();
    }
    assertThat(session.run(feeds, List.of("x")).get(0)).isEqualTo(feeds.get("x"));
  }

  @Test
  void fetchedIntermediatesKeepTheirOwnValues() {
    chain();
    List<Tensor> out = new Session(graph).run(feeds, List.of("product", "biased", "relu"));
    assertThat(out).containsExactly(
        Tensor.ofFloats(Shape.of(2, 3), -1, 2, -1, -3, 4, -3),
        Tensor.ofFloats(Shape.of(2, 3), 0, 1, 1, -2, 3, -1),
        Tensor.ofFloats(Shape.of(2, 3), 0, 1, 1, 0, 3, 0));
  }

  @Test
  void aProductWithTwoReadersIsNotOverwritten() {
    chain();
    Output product = graph.getTensorByName("product:0");
    op("Neg", "negated", product);
    List<Tensor> out = new Session(graph).run(feeds, List.of("relu", "negated"));
    assertThat(out).containsExactly(
        Tensor.ofFloats(Shape.of(2, 3), 0, 1, 1, 0, 3, 0),
        Tensor.ofFloats(Shape.of(2, 3), 1, -2, 1, 3, -4, 3));
  }
}
