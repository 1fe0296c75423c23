package io.sparkpoint.train;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.grad.Gradients;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.GraphCollections;
import io.sparkpoint.graph.Output;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.proto.VariableDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The messages of the training API's errors, each naming what was wrong. */
class TrainingErrorsTest {
  private final Graph graph = new Graph();

  private Output ints(String name, int... values) {
    return graph.opBuilder("Const", name).setAttr("dtype", DType.INT32).setAttr("value", Tensor.ofInts(Shape.of(values.length), values))
        .build().output(0);
  }

  @Test
  void anEmptyVarListHasNothingToOptimize() {
    Output x = graph.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT).build().output(0);
    assertThatThrownBy(() -> new GradientDescentOptimizer(0.1).minimize(graph, x, List.of(), null))
        .hasMessage("No variables to optimize.");
  }

  @Test
  void anUnknownTrainableVariableIsNamed() {
    Variables.variable(graph, "w", Tensor.ofFloats(Shape.of(1), 1));
    assertThatThrownBy(() -> TrainableVariable.named(graph, "v"))
        .hasMessage("No trainable variable named 'v' in the graph's trainable_variables collection");
  }

  @Test
  void twoGlobalStepsAreRefused() {
    GlobalStep.getOrCreate(graph);
    graph.addToCollection(GraphCollections.GLOBAL_STEP, VariableDef.newBuilder().setVariableName("other:0").build());
    assertThatThrownBy(() -> GlobalStep.get(graph)).hasMessage("Multiple tensors in global_step collection");
  }

  @Test
  void adagradNeedsAPositiveInitialAccumulator() {
    assertThatThrownBy(() -> new AdagradOptimizer(0.1, 0, "Adagrad"))
        .hasMessage("initial_accumulator_value must be positive: 0.0");
  }

  @Test
  void theGatherGradientNeedsBatchDimsZero() {
    Output params = graph.opBuilder("Placeholder", "params").setAttr("dtype", DType.FLOAT).build().output(0);
    Output gathered = graph.opBuilder("GatherV2", "gather").addInput(params).addInput(ints("indices", 0)).addInput(ints("axis", 1))
        .setAttr("Tparams", DType.FLOAT).setAttr("Tindices", DType.INT32).setAttr("Taxis", DType.INT32).setAttr("batch_dims", 1L)
        .build().output(0);
    assertThatThrownBy(() -> Gradients.gradients(graph, List.of(gathered), List.of(params)))
        .hasMessage("The gradient of GatherV2 is only supported with batch_dims 0 (node gather)");
  }

  @Test
  void aVariableMadeOutsideItsScopeIsRefused() {
    Graph.NameScope scope = graph.nameScope("slot");
    Output initial = graph.opBuilder("Const", "zero").setAttr("dtype", DType.FLOAT).setAttr("value", Tensor.scalar(0f)).build().output(0);
    scope.close();
    assertThatThrownBy(() -> Variables.variableNamedAfter(graph, scope, DType.FLOAT, Shape.scalar(), initial, false, false))
        .hasMessage("Cannot make variable slot: its scope is not the innermost open one");
  }
}
