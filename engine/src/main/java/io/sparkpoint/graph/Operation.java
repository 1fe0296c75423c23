package io.sparkpoint.graph;

import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.NodeDef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A node of a graph: its name, op type, data inputs, control inputs, device and attrs. Immutable.
 * The NodeDef is kept whole, so everything the graph does not interpret (debug info, full type,
 * attrs of ops Sparkpoint does not know) is written back unchanged.
 */
public final class Operation {
  private final Graph graph;
  private final NodeDef node;

  Operation(Graph graph, NodeDef node) {
    this.graph = graph;
    this.node = node;
  }

  public Graph graph() {
    return graph;
  }

  public String name() {
    return node.getName();
  }

  /** The op type, e.g. {@code MatMul}. */
  public String type() {
    return node.getOp();
  }

  public String device() {
    return node.getDevice();
  }

  /** The data inputs, in order. */
  public List<Output> inputs() {
    List<Output> inputs = new ArrayList<>();
    for (String input : node.getInputList()) {
      GraphNames.Reference ref = GraphNames.Reference.parse(input);
      if (!ref.control()) {
        inputs.add(graph.requireOperation(ref.op(), name()).output(ref.port()));
      }
    }
    return inputs;
  }

  /** The operations that must run before this one. */
  public List<Operation> controlInputs() {
    List<Operation> controls = new ArrayList<>();
    for (String input : node.getInputList()) {
      GraphNames.Reference ref = GraphNames.Reference.parse(input);
      if (ref.control()) {
        controls.add(graph.requireOperation(ref.op(), name()));
      }
    }
    return controls;
  }

  public Map<String, AttrValue> attrs() {
    return Collections.unmodifiableMap(node.getAttrMap());
  }

  /** The attr, or null when the node does not set it. */
  public AttrValue attr(String name) {
    return node.getAttrMap().get(name);
  }

  /** Output {@code index} of this operation. */
  public Output output(int index) {
    return new Output(this, index);
  }

  /** The NodeDef as it is written out. */
  public NodeDef toNodeDef() {
    return node;
  }

  @Override
  public String toString() {
    return name() + " (" + type() + ")";
  }
}
