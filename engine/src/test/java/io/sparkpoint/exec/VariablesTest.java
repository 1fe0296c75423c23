package io.sparkpoint.exec;

import static io.sparkpoint.exec.TestGraphs.addV2;
import static io.sparkpoint.exec.TestGraphs.constant;
import static io.sparkpoint.exec.TestGraphs.floats;
import static io.sparkpoint.exec.TestGraphs.refVariable;
import static io.sparkpoint.exec.TestGraphs.resourceVariable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TF1 variables in both styles: initialization, reads, assignments and the uninitialized error. */
class VariablesTest {
  private final Graph graph = new Graph();
  private final KernelRegistry registry = TestGraphs.registry();

  /** The note's example: v1 = [1.0], v2 = [2.0], add = v1 + v2, run after the global initializer. */
  @Test
  void theNotesExampleAddsTwoInitializedVariables() {
    Output v1 = refVariable(graph, "v1", floats(1.0f));
    Output v2 = refVariable(graph, "v2", floats(2.0f));
    addV2(graph, "add", v1, v2);
    Session session = new Session(graph, registry);

    session.initializeGlobalVariables();

    assertThat(session.fetch("add:0")).isEqualTo(floats(3.0f));
    assertThat(session.run(Map.of(), List.of("v1:0", "v2"))).containsExactly(floats(1.0f), floats(2.0f));
    assertThat(session.variables().read("v1")).isEqualTo(floats(1.0f));
  }

  @Test
  void readingAnUninitializedRefVariableFailsWithTensorFlowsGist() {
    Output v1 = refVariable(graph, "v1", floats(1.0f));
    addV2(graph, "add", v1, v1);
    Session session = new Session(graph, registry);

    assertThatThrownBy(() -> session.fetch("add"))
        .isInstanceOf(KernelException.class)
        .hasMessage("Node 'v1/read' (op Identity, inputs ?): Attempting to use uninitialized value v1");
    assertThatThrownBy(() -> session.fetch("v1"))
        .hasMessage("Attempting to use uninitialized value v1");
  }

  @Test
  void isVariableInitializedFollowsTheAssign() {
    refVariable(graph, "v1", floats(1.0f));
    graph.opBuilder("IsVariableInitialized", "is_init").addInput(graph.operation("v1").output(0)).setAttr("dtype", DType.FLOAT).build();
    Session session = new Session(graph, registry);

    assertThat(session.fetch("is_init")).isEqualTo(Tensor.ofBooleans(Shape.scalar(), false));
    session.runTargets("v1/Assign");
    assertThat(session.fetch("is_init")).isEqualTo(Tensor.ofBooleans(Shape.scalar(), true));
  }

  @Test
  void assignReturnsTheVariableAndChecksShapesUnlessToldNotTo() {
    refVariable(graph, "v1", floats(1.0f));
    Output wide = constant(graph, "wide", floats(5, 6));
    Output v1 = graph.operation("v1").output(0);
    graph.opBuilder("Assign", "strict").addInput(v1).addInput(wide).setAttr("T", DType.FLOAT).build();
    graph.opBuilder("Assign", "loose").addInput(v1).addInput(wide).setAttr("T", DType.FLOAT).setAttr("validate_shape", false).build();
    Session session = new Session(graph, registry);
    session.initializeGlobalVariables();

    assertThatThrownBy(() -> session.fetch("strict"))
        .hasMessage("Node 'strict' (op Assign, inputs [] [2]): Assign requires shapes of both tensors to match. lhs shape= [1] rhs shape= [2]");
    assertThat(session.fetch("loose:0")).isEqualTo(floats(5, 6));
    assertThat(session.fetch("v1/read")).isEqualTo(floats(5, 6));
  }

  @Test
  void resourceVariablesInitializeReadAndAssign() {
    Output read = resourceVariable(graph, "w", floats(3, 4));
    Output doubled = addV2(graph, "doubled", read, read);
    graph.opBuilder("AssignVariableOp", "w/update").addInput(graph.operation("w").output(0)).addInput(doubled)
        .setAttr("dtype", DType.FLOAT).build();
    graph.opBuilder("VarIsInitializedOp", "w/IsInitialized/VarIsInitializedOp").addInput(graph.operation("w").output(0)).build();
    Session session = new Session(graph, registry);

    assertThat(session.fetch("w/IsInitialized/VarIsInitializedOp")).isEqualTo(Tensor.ofBooleans(Shape.scalar(), false));
    assertThatThrownBy(() -> session.fetch("w/Read/ReadVariableOp"))
        .hasMessage("Node 'w/Read/ReadVariableOp' (op ReadVariableOp, inputs []): Attempting to use uninitialized value w");

    session.initializeGlobalVariables();
    assertThat(session.fetch("w/IsInitialized/VarIsInitializedOp")).isEqualTo(Tensor.ofBooleans(Shape.scalar(), true));
    assertThat(session.fetch("w/Read/ReadVariableOp:0")).isEqualTo(floats(3, 4));

    session.runTargets("w/update");
    assertThat(session.fetch("w/Read/ReadVariableOp")).isEqualTo(floats(6, 8));
    assertThat(session.fetch("w")).isEqualTo(Tensor.ofStrings(Shape.scalar(), "w"));
  }

  @Test
  void destroyResourceOpForgetsTheValueAndComplainsOnlyWhenAsked() {
    resourceVariable(graph, "w", floats(3, 4));
    Output handle = graph.operation("w").output(0);
    graph.opBuilder("DestroyResourceOp", "destroy").addInput(handle).build();
    graph.opBuilder("DestroyResourceOp", "destroy_strictly").addInput(handle).setAttr("ignore_lookup_error", false).build();
    Session session = new Session(graph, registry);
    session.initializeGlobalVariables();

    session.runTargets("destroy");
    session.runTargets("destroy");

    assertThat(session.variables().isInitialized("w")).isFalse();
    assertThatThrownBy(() -> session.runTargets("destroy_strictly"))
        .hasMessage("Node 'destroy_strictly' (op DestroyResourceOp, inputs []): Resource w does not exist.");
    session.initializeGlobalVariables();
    session.runTargets("destroy_strictly");
    assertThat(session.variables().isInitialized("w")).isFalse();
  }

  @Test
  void aResourceAssignOfTheWrongDtypeIsRefused() {
    resourceVariable(graph, "w", floats(3));
    Output ints = constant(graph, "ints", Tensor.ofInts(Shape.of(1), 3));
    graph.opBuilder("AssignVariableOp", "bad").addInput(graph.operation("w").output(0)).addInput(ints).setAttr("dtype", DType.INT32).build();
    graph.opBuilder("ReadVariableOp", "read_int").addInput(graph.operation("w").output(0)).setAttr("dtype", DType.INT32).build();
    Session session = new Session(graph, registry);
    session.initializeGlobalVariables();

    assertThatThrownBy(() -> session.fetch("read_int"))
        .hasMessageEndingWith("Trying to read variable with wrong dtype. Expected int32 got float32");
  }

  @Test
  void variablesLiveInTheSessionsStoreNotInTheGraph() {
    refVariable(graph, "v1", floats(1.0f));
    InMemoryVariableStore store = new InMemoryVariableStore();
    Session first = new Session(graph, registry, store);
    Session other = new Session(graph, registry);

    first.initializeGlobalVariables();

    assertThat(store.snapshot()).containsExactly(Map.entry("v1", floats(1.0f)));
    assertThat(other.variables().isInitialized("v1")).isFalse();
  }

  @Test
  void aFedRefVariableCannotBeAssignedThrough() {
    refVariable(graph, "v1", floats(1.0f));
    Session session = new Session(graph, registry);

    assertThatThrownBy(() -> session.run(Map.of("v1", floats(9)), List.of(), List.of("v1/Assign")))
        .hasMessage("Node 'v1/Assign' (op Assign, inputs [1] ?): Input 0 of node v1/Assign must be a reference to a variable, "
            + "but v1 is a value (was it fed?)");
    assertThat(session.run(Map.of("v1", floats(9)), List.of("v1/read")).get(0)).isEqualTo(floats(9));
  }
}
