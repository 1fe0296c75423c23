package io.sparkpoint.kernels.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.HalfFloats;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** AssignAdd and AssignSub on ref variables, AssignAddVariableOp and AssignSubVariableOp on resource variables. */
class AssignUpdateTest {
  /** op(variable, Const valueName = value). */
  private static Operation assignUpdate(TrainingGraphs g, String op, String name, Output variable, String valueName, Tensor value) {
    return g.graph.opBuilder(op, name).addInput(variable).addInput(g.constant(valueName, value))
        .setAttr(g.style == VariableStyle.REF ? "T" : "dtype", value.dtype()).build();
  }

  @Test
  void assignAddIncrementsTheGlobalStepAndOutputsItsReference() {
    TrainingGraphs g = new TrainingGraphs(VariableStyle.REF, DType.FLOAT);
    Output step = g.variable("global_step", Tensor.scalar(0L));
    assignUpdate(g, "AssignAdd", "increment", step, "one", Tensor.scalar(1L));
    Session session = g.initialized();

    session.runTargets("increment");

    assertThat(session.fetch("increment:0")).as("fetching the reference runs the op again").isEqualTo(Tensor.scalar(2L));
    assertThat(session.variables().read("global_step")).isEqualTo(Tensor.scalar(2L));
  }

  @Test
  void assignSubSubtractsFloats() {
    TrainingGraphs g = new TrainingGraphs(VariableStyle.REF, DType.FLOAT);
    assignUpdate(g, "AssignSub", "sub", g.variable("w", g.values(1, 2.5)), "d", g.values(0.5, 3));
    Session session = g.initialized();

    assertThat(session.fetch("sub:0")).isEqualTo(g.values(0.5, -0.5));
  }

  @Test
  void resourceStylesAddAndSubtractWithoutOutputs() {
    TrainingGraphs g = new TrainingGraphs(VariableStyle.RESOURCE, DType.DOUBLE);
    Output w = g.variable("w", g.values(1, 2));
    assignUpdate(g, "AssignAddVariableOp", "add", w, "d", g.values(0.25, -4));
    assignUpdate(g, "AssignSubVariableOp", "sub", w, "e", g.values(1, 1));
    Session session = g.initialized();

    session.runTargets("add");
    session.runTargets("sub");

    assertThat(session.variables().read("w")).isEqualTo(g.values(0.25, -3));
  }

  @Test
  void integersWrapAsInCpp() {
    TrainingGraphs g = new TrainingGraphs(VariableStyle.RESOURCE, DType.FLOAT);
    Output ints = g.variable("ints", Tensor.ofInts(Shape.of(2), Integer.MAX_VALUE, -5));
    assignUpdate(g, "AssignAddVariableOp", "add_int", ints, "di", Tensor.ofInts(Shape.of(2), 1, 2));
    Output bytes = g.variable("bytes", Tensor.of(DType.UINT8, Shape.of(2), new byte[] {(byte) 250, 3}));
    assignUpdate(g, "AssignSubVariableOp", "sub_byte", bytes, "db", Tensor.of(DType.UINT8, Shape.of(2), new byte[] {1, 4}));
    Session session = g.initialized();

    session.runTargets("add_int", "sub_byte");

    assertThat(session.variables().read("ints")).isEqualTo(Tensor.ofInts(Shape.of(2), Integer.MIN_VALUE, -3));
    assertThat(session.variables().read("bytes").bytes()).containsExactly((byte) 249, (byte) 255);
  }

  @Test
  void halfFloatsAddInFloatAndRoundOnce() {
    TrainingGraphs g = new TrainingGraphs(VariableStyle.REF, DType.FLOAT);
    assignUpdate(g, "AssignAdd", "add", g.variable("h", half(2048)), "d", half(1));
    assignUpdate(g, "AssignAdd", "add_again", g.graph.operation("h").output(0), "e", half(3));
    Session session = g.initialized();

    session.runTargets("add"); // 2049 is halfway between 2048 and 2050: ties to even
    assertThat(session.variables().read("h").doubleAt(0)).isEqualTo(2048.0);
    session.runTargets("add_again");
    assertThat(session.variables().read("h").doubleAt(0)).isEqualTo(2052.0);
  }

  private static Tensor half(float value) {
    ByteBuffer bits = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, HalfFloats.floatToHalf(value));
    return Tensor.of(DType.HALF, Shape.of(1), bits.array());
  }

  @Test
  void shapesMustMatchInEachStylesWords() {
    TrainingGraphs ref = new TrainingGraphs(VariableStyle.REF, DType.FLOAT);
    assignUpdate(ref, "AssignAdd", "add", ref.variable("w", ref.values(1, 2)), "d", ref.values(1, 2, 3));
    TrainingGraphs resource = new TrainingGraphs(VariableStyle.RESOURCE, DType.FLOAT);
    assignUpdate(resource, "AssignSubVariableOp", "sub", resource.variable("w", resource.values(1, 2)),
        "d", resource.values(1, 2, 3));

    assertThatThrownBy(() -> ref.initialized().runTargets("add"))
        .hasMessageEndingWith("Parameters and update must be the same size: variable w is [2], the update [3]");
    assertThatThrownBy(() -> resource.initialized().runTargets("sub"))
        .hasMessageEndingWith("Cannot update variable with shape [2] using a Tensor with shape [3], shapes must be equal.");
  }

  @Test
  void dtypesMustMatchAndBeNumbers() {
    TrainingGraphs g = new TrainingGraphs(VariableStyle.RESOURCE, DType.FLOAT);
    Output w = g.variable("w", g.values(1));
    assignUpdate(g, "AssignAddVariableOp", "add", w, "d", Tensor.ofDoubles(Shape.of(1), 1));
    Output flag = g.variable("flag", Tensor.ofBooleans(Shape.of(1), true));
    assignUpdate(g, "AssignAddVariableOp", "add_bool", flag, "t", Tensor.ofBooleans(Shape.of(1), true));
    Session session = g.initialized();

    assertThatThrownBy(() -> session.runTargets("add"))
        .hasMessageEndingWith("DType of variable handle and value does not match. Variable w holds float32, the value is float64");
    assertThatThrownBy(() -> session.runTargets("add_bool")).hasMessageContaining("Unsupported dtype bool for op AssignAddVariableOp");
  }

  @Test
  void anUninitializedVariableIsReportedByName() {
    TrainingGraphs g = new TrainingGraphs(VariableStyle.RESOURCE, DType.FLOAT);
    Output w = g.graph.opBuilder("VarHandleOp", "w").setAttr("dtype", DType.FLOAT).setAttr("shape", Shape.of(1)).build().output(0);
    assignUpdate(g, "AssignAddVariableOp", "add", w, "d", g.values(1));

    assertThatThrownBy(() -> g.initialized().runTargets("add")).hasMessageEndingWith("Attempting to use uninitialized value w");
  }
}
