package io.sparkpoint.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.GraphCollections;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.proto.VariableDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The nodes and variables each optimizer adds, named as TF1 names them, so checkpoints carry over. */
class OptimizerGraphTest {
  private final Graph graph = new Graph();

  /** loss = sum(x·w + b), with ref (or resource) variables w [2,3] and b [3]. */
  private Output model(boolean resource) {
    Output x = graph.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT).build().output(0);
    Tensor w0 = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
    Tensor b0 = Tensor.ofFloats(Shape.of(3), 0, 0, 0);
    Output w = resource ? Variables.resourceVariable(graph, "w", w0) : Variables.variable(graph, "w", w0);
    Output b = resource ? Variables.resourceVariable(graph, "b", b0) : Variables.variable(graph, "b", b0);
    Output xw = graph.opBuilder("MatMul", "MatMul").addInput(x).addInput(w).setAttr("T", DType.FLOAT).build().output(0);
    Output y = graph.opBuilder("BiasAdd", "BiasAdd").addInput(xw).addInput(b).setAttr("T", DType.FLOAT).build().output(0);
    Output axes = graph.opBuilder("Const", "axes").setAttr("dtype", DType.INT32).setAttr("value", Tensor.ofInts(Shape.of(2), 0, 1))
        .build().output(0);
    return graph.opBuilder("Sum", "loss").addInput(y).addInput(axes).setAttr("T", DType.FLOAT).build().output(0);
  }

  private List<String> names(String collection) {
    return graph.getCollection(collection).stream().map(d -> Graph.opNameOf(((VariableDef) d).getVariableName())).toList();
  }

  private String type(String name) {
    Operation op = graph.operation(name);
    assertThat(op).as("node %s", name).isNotNull();
    return op.type();
  }

  @Test
  void adamMakesTf1SlotsBetaPowersAndUpdates() {
    Operation train = new AdamOptimizer(0.01).minimize(graph, model(false));

    assertThat(train.name()).isEqualTo("Adam");
    assertThat(train.type()).isEqualTo("NoOp");
    for (String slot : List.of("w/Adam", "w/Adam_1", "b/Adam", "b/Adam_1", "beta1_power", "beta2_power")) {
      assertThat(type(slot)).isEqualTo("VariableV2");
    }
    assertThat(type("w/Adam/Initializer/zeros")).isEqualTo("Const");
    for (String name : List.of("Adam/learning_rate", "Adam/beta1", "Adam/beta2", "Adam/epsilon")) {
      assertThat(type(name)).isEqualTo("Const");
    }
    assertThat(type("Adam/update_w/ApplyAdam")).isEqualTo("ApplyAdam");
    assertThat(type("Adam/update_b/ApplyAdam")).isEqualTo("ApplyAdam");
    assertThat(type("Adam/mul")).isEqualTo("Mul");
    assertThat(type("Adam/Assign")).isEqualTo("Assign");
    assertThat(type("Adam/Assign_1")).isEqualTo("Assign");
    assertThat(graph.operation("Adam/update_w/ApplyAdam").inputs()).extracting(Output::name).containsExactly(
        "w:0", "w/Adam:0", "w/Adam_1:0", "beta1_power/read:0", "beta2_power/read:0", "Adam/learning_rate:0", "Adam/beta1:0",
        "Adam/beta2:0", "Adam/epsilon:0", "gradients/MatMul_grad/MatMul_1:0");
    assertThat(names(GraphCollections.TRAINABLE_VARIABLES)).containsExactly("w", "b");
    assertThat(names(GraphCollections.GLOBAL_VARIABLES)).containsExactly(
        "w", "b", "beta1_power", "beta2_power", "w/Adam", "w/Adam_1", "b/Adam", "b/Adam_1");
  }

  @Test
  void everyUpdateWaitsForEveryGradient() {
    new GradientDescentOptimizer(0.1).minimize(graph, model(false));
    assertThat(graph.operation("GradientDescent/update_w/ApplyGradientDescent").controlInputs()).extracting(Operation::name)
        .containsExactly("gradients/BiasAdd_grad/BiasAddGrad");
    assertThat(graph.operation("GradientDescent/update_b/ApplyGradientDescent").controlInputs()).extracting(Operation::name)
        .containsExactly("gradients/MatMul_grad/MatMul_1");
  }

  @Test
  void withAGlobalStepTheTrainOpIncrementsIt() {
    Output loss = model(false);
    Output step = GlobalStep.getOrCreate(graph);
    Operation train = new MomentumOptimizer(0.1, 0.9).minimize(graph, loss, TrainableVariable.all(graph), step);

    assertThat(step.name()).isEqualTo("global_step:0");
    assertThat(GlobalStep.getOrCreate(graph)).isEqualTo(step);
    assertThat(train.name()).isEqualTo("Momentum");
    assertThat(train.type()).isEqualTo("AssignAdd");
    assertThat(train.controlInputs()).extracting(Operation::name).containsExactly("Momentum/update");
    assertThat(type("w/Momentum")).isEqualTo("VariableV2");
    assertThat(type("Momentum/momentum")).isEqualTo("Const");
    assertThat(names(GraphCollections.GLOBAL_STEP)).containsExactly("global_step");
    assertThat(names(GraphCollections.TRAINABLE_VARIABLES)).doesNotContain("global_step");
  }

  @Test
  void rmsPropCenteredAndAdagradSlots() {
    Output loss = model(false);
    new RMSPropOptimizer(0.01, 0.9, 0.5, 1e-10, true, "RMSProp").minimize(graph, loss);
    new AdagradOptimizer(0.1).minimize(graph, loss);
    assertThat(graph.operation("RMSProp/update_w/ApplyCenteredRMSProp").inputs()).extracting(Output::name)
        .startsWith("w:0", "w/RMSProp_1:0", "w/RMSProp:0", "w/RMSProp_2:0");
    assertThat(type("w/Adagrad/Initializer/Const")).isEqualTo("Const");
    assertThat(type("Adagrad/update_b/ApplyAdagrad")).isEqualTo("ApplyAdagrad");
  }

  @Test
  void resourceVariablesGetResourceApplyOpsAndResourceSlots() {
    new AdamOptimizer(0.01).minimize(graph, model(true));
    assertThat(type("Adam/update_w/ResourceApplyAdam")).isEqualTo("ResourceApplyAdam");
    assertThat(type("w/Adam")).isEqualTo("VarHandleOp");
    assertThat(type("beta1_power")).isEqualTo("VarHandleOp");
    assertThat(type("Adam/AssignVariableOp")).isEqualTo("AssignVariableOp");
  }

  @Test
  void largeSlotsStartFromFillNotAConst() {
    Output x = graph.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT).build().output(0);
    Output w = Variables.variable(graph, "big", Tensor.ofFloats(Shape.of(40, 40), new float[1600]));
    Output loss = graph.opBuilder("MatMul", "m").addInput(x).addInput(w).setAttr("T", DType.FLOAT).build().output(0);
    new MomentumOptimizer(0.1, 0.9).minimize(graph, loss);
    assertThat(type("big/Momentum/Initializer/zeros")).isEqualTo("Fill");
  }

  @Test
  void aLossThatDependsOnNoVariableIsAnError() {
    model(false);
    Output x = graph.getTensorByName("x:0");
    Output unrelated = graph.opBuilder("Neg", "unrelated").addInput(x).setAttr("T", DType.FLOAT).build().output(0);
    assertThatThrownBy(() -> new GradientDescentOptimizer(0.1).minimize(graph, unrelated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("No gradients provided for any variable, check your graph for ops that do not support gradients, "
            + "between variables [w, b] and loss.");
  }
}
