package io.sparkpoint.kernels.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** TensorFlow's checks of the Apply ops, with its wording; a failed step leaves every variable as it was. */
class ApplyErrorsTest {
  private final TrainingGraphs g = new TrainingGraphs(VariableStyle.REF, DType.FLOAT);

  @Test
  void anUninitializedVariableIsReportedByName() {
    g.update("GradientDescent", "sgd", g.graph.opBuilder("VariableV2", "w").setAttr("dtype", DType.FLOAT)
        .setAttr("shape", Shape.of(2)).build().output(0), g.scalar("alpha", 0.5), g.constant("delta", g.values(1, 2))).build();
    Session session = g.initialized();

    assertThatThrownBy(() -> session.runTargets("sgd"))
        .isInstanceOf(KernelException.class)
        .hasMessage("Node 'sgd' (op ApplyGradientDescent, inputs [] [] [2]): Attempting to use uninitialized value w");
  }

  @Test
  void anUninitializedSlotIsReportedByName() {
    Output accum = g.graph.opBuilder("VariableV2", "w/Momentum").setAttr("dtype", DType.FLOAT).setAttr("shape", Shape.of(2))
        .build().output(0);
    g.update("Momentum", "step", g.variable("w", g.values(1, 2)), accum, g.scalar("lr", 0.1), g.constant("grad", g.values(1, 2)),
        g.scalar("momentum", 0.9)).build();
    Session session = g.initialized();

    assertThatThrownBy(() -> session.runTargets("step")).hasMessageEndingWith("Attempting to use uninitialized value w/Momentum");
  }

  @Test
  void gradientDescentNamesItsGradientDelta() {
    g.update("GradientDescent", "sgd", g.variable("w", g.values(1, 2, 3)), g.scalar("alpha", 0.5),
        g.constant("delta", g.values(1, 2))).build();
    Session session = g.initialized();

    assertThatThrownBy(() -> session.runTargets("sgd"))
        .hasMessage("Node 'sgd' (op ApplyGradientDescent, inputs [] [] [2]): var and delta do not have the same shape[3] [2]");
    assertThat(session.variables().read("w")).isEqualTo(g.values(1, 2, 3));
  }

  @Test
  void theGradientMustHaveTheVariablesShape() {
    g.update("Adagrad", "step", g.variable("w", Tensor.ofFloats(Shape.of(2, 3), new float[6])),
        g.variable("accum", Tensor.ofFloats(Shape.of(2, 3), new float[6])), g.scalar("lr", 0.1),
        g.constant("grad", Tensor.ofFloats(Shape.of(3, 2), new float[6]))).build();
    Session session = g.initialized();

    assertThatThrownBy(() -> session.runTargets("step")).hasMessageEndingWith("var and grad do not have the same shape[2,3] [3,2]");
  }

  @Test
  void everySlotMustHaveTheVariablesShapeAndIsNamedAsInTheOpDef() {
    g.update("Adam", "step", g.variable("w", g.values(1, 2)), g.variable("w/Adam", g.values(0, 0)),
        g.variable("w/Adam_1", g.values(0)), g.scalar("beta1_power", 0.9), g.scalar("beta2_power", 0.999), g.scalar("lr", 0.1),
        g.scalar("beta1", 0.9), g.scalar("beta2", 0.999), g.scalar("epsilon", 1e-8), g.constant("grad", g.values(1, 2))).build();
    Session session = g.initialized();

    assertThatThrownBy(() -> session.runTargets("step")).hasMessageEndingWith("var and v do not have the same shape[2] [1]");
    assertThat(session.variables().read("w/Adam")).isEqualTo(g.values(0, 0));
  }

  @Test
  void scalarInputsMustBeScalarsInTensorFlowsWords() {
    g.update("Momentum", "momentum_step", g.variable("w", g.values(1, 2)), g.variable("accum", g.values(0, 0)),
        g.constant("lr", g.values(0.1, 0.1)), g.constant("grad", g.values(1, 2)), g.scalar("momentum", 0.9)).build();
    g.update("RMSProp", "rmsprop", g.variable("v", g.values(1, 2)), g.variable("ms", g.values(0, 0)), g.variable("mom", g.values(0, 0)),
        g.graph.operation("lr").output(0), g.scalar("rho", 0.9), g.scalar("m", 0.9), g.scalar("eps", 1e-6),
        g.graph.operation("grad").output(0)).build();
    g.update("RMSProp", "rho_matrix", g.graph.operation("v").output(0), g.graph.operation("ms").output(0), g.graph.operation("mom").output(0),
        g.graph.operation("rho").output(0), g.graph.operation("lr").output(0), g.graph.operation("m").output(0),
        g.graph.operation("eps").output(0), g.graph.operation("grad").output(0)).build();
    Session session = g.initialized();

    assertThatThrownBy(() -> session.runTargets("momentum_step")).hasMessageEndingWith(": lr is not a scalar: [2]");
    assertThatThrownBy(() -> session.runTargets("rmsprop")).hasMessageEndingWith(": lr is not a scalar : [2]");
    assertThatThrownBy(() -> session.runTargets("rho_matrix")).hasMessageEndingWith(": rho is not a scalar: [2]");
  }

  @Test
  void momentumChecksShapesBeforeItsMomentumAsTensorFlowDoes() {
    g.update("Momentum", "step", g.variable("w", g.values(1, 2)), g.variable("accum", g.values(0, 0)), g.scalar("lr", 0.1),
        g.constant("grad", g.values(1)), g.constant("momentum", g.values(0.9, 0.9))).build();
    Session session = g.initialized();

    assertThatThrownBy(() -> session.runTargets("step")).hasMessageEndingWith("var and grad do not have the same shape[2] [1]");
  }

  @Test
  void aVariableOfAnotherDtypeThanTIsRefused() {
    TrainingGraphs resource = new TrainingGraphs(VariableStyle.RESOURCE, DType.FLOAT);
    resource.update("GradientDescent", "sgd", resource.variable("w", Tensor.ofDoubles(Shape.of(1), 1)), resource.scalar("alpha", 1),
        resource.constant("delta", resource.values(1))).build();
    Session session = resource.initialized();

    assertThatThrownBy(() -> session.runTargets("sgd"))
        .hasMessageEndingWith("Trying to update variable w with wrong dtype. Expected float32 got float64");
  }

  @Test
  void anInputOfAnotherDtypeThanTIsRefused() {
    TrainingGraphs resource = new TrainingGraphs(VariableStyle.RESOURCE, DType.FLOAT);
    resource.update("GradientDescent", "sgd", resource.variable("w", resource.values(1)),
        resource.constant("alpha", Tensor.ofDoubles(Shape.scalar(), 1)), resource.constant("delta", resource.values(1))).build();
    Session session = resource.initialized();

    assertThatThrownBy(() -> session.runTargets("sgd"))
        .hasMessageEndingWith("Input 'alpha' of 'ResourceApplyGradientDescent' Op has type float64 that does not match type float32 "
            + "of argument 'var'.");
  }

  @Test
  void integerOptimizersHaveNoKernelAsInTensorFlowsCpuBuild() {
    TrainingGraphs ints = new TrainingGraphs(VariableStyle.REF, DType.INT32);
    Tensor one = Tensor.ofInts(Shape.of(1), 1);
    ints.update("GradientDescent", "sgd", ints.variable("w", one), ints.constant("alpha", Tensor.ofInts(Shape.scalar(), 1)),
        ints.constant("delta", one)).build();
    Session session = ints.initialized();

    assertThatThrownBy(() -> session.runTargets("sgd"))
        .hasMessageContaining("Unsupported dtype int32 for op ApplyGradientDescent (node sgd): no kernel registered for T=DT_INT32; "
            + "supported: float32, float64");
  }
}
