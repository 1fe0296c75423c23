package io.sparkpoint.freeze;

import static io.sparkpoint.freeze.GraphDefs.colocation;
import static io.sparkpoint.freeze.GraphDefs.graph;
import static io.sparkpoint.freeze.GraphDefs.names;
import static io.sparkpoint.freeze.GraphDefs.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.proto.FunctionDef;
import io.sparkpoint.proto.FunctionDefLibrary;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.OpDef;
import io.sparkpoint.proto.VersionDef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** extract_sub_graph: what the destination nodes depend on, in the original order. */
class FreezeSubGraphTest {
  @Test
  void keepsTheDestinationsAndTheirInputsInOriginalOrder() {
    GraphDef graph = graph(node("b", "Const"), node("unused", "Const"), node("a", "Const"), node("sum", "Add", "a", "b"),
        node("other", "Neg", "unused"));
    assertThat(names(SubGraphs.extract(graph, List.of("sum")))).containsExactly("b", "a", "sum");
  }

  @Test
  void followsControlInputs() {
    GraphDef graph = graph(node("side", "NoOp"), node("x", "Const"), node("y", "Identity", "x", "^side"), node("z", "Const"));
    assertThat(names(SubGraphs.extract(graph, List.of("y")))).containsExactly("side", "x", "y");
  }

  @Test
  void followsColocationConstraints() {
    GraphDef graph = graph(node("v", "VariableV2"), node("c", "Const").putAttr("_class", colocation("v")), node("z", "Const"));
    assertThat(names(SubGraphs.extract(graph, List.of("c")))).containsExactly("v", "c");
  }

  @Test
  void anInputWithAPortNamesItsNode() {
    GraphDef graph = graph(node("split", "Split"), node("second", "Identity", "split:1"));
    assertThat(names(SubGraphs.extract(graph, List.of("second")))).containsExactly("split", "second");
  }

  @Test
  void followsDependenciesTransitively() {
    GraphDef graph = graph(node("a", "Const"), node("b", "Neg", "a"), node("c", "Neg", "b"), node("d", "Neg", "c"));
    assertThat(names(SubGraphs.extract(graph, List.of("d", "b")))).containsExactly("a", "b", "c", "d");
  }

  @Test
  void copiesLibraryAndVersions() {
    FunctionDefLibrary library = FunctionDefLibrary.newBuilder()
        .addFunction(FunctionDef.newBuilder().setSignature(OpDef.newBuilder().setName("f"))).build();
    GraphDef graph = graph(node("a", "Const")).toBuilder()
        .setLibrary(library).setVersions(VersionDef.newBuilder().setProducer(27)).build();
    GraphDef extracted = SubGraphs.extract(graph, List.of("a"));
    assertThat(extracted.getLibrary()).isEqualTo(library);
    assertThat(extracted.getVersions().getProducer()).isEqualTo(27);
  }

  @Test
  void anUnknownDestinationIsNotInGraph() {
    GraphDef graph = graph(node("a", "Const"));
    assertThatThrownBy(() -> SubGraphs.extract(graph, List.of("a", "nope")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nope is not in graph");
  }

  @Test
  void aTensorNameAsDestinationIsNotInGraph() {
    GraphDef graph = graph(node("add", "Add"));
    assertThatThrownBy(() -> SubGraphs.extract(graph, List.of("add:0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("add:0 is not in graph");
  }

  @Test
  void aDanglingInputNamesTheNodeAndTheInput() {
    GraphDef graph = graph(node("y", "Identity", "ghost:0"));
    assertThatThrownBy(() -> SubGraphs.extract(graph, List.of("y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot extract the sub-graph: node y depends on ghost, which is not in graph");
  }
}
