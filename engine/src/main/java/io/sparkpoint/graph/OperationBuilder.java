package io.sparkpoint.graph;

import com.google.protobuf.ByteString;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorProtos;
import java.nio.charset.StandardCharsets;

/** Adds one operation to a graph: inputs, control inputs, device and attrs, then {@link #build()}. */
public final class OperationBuilder {
  private final Graph graph;
  private final NodeDef.Builder node;
  private final java.util.List<String> controls = new java.util.ArrayList<>();
  private boolean built;

  OperationBuilder(Graph graph, String type, String name) {
    this.graph = graph;
    this.node = NodeDef.newBuilder().setOp(type).setName(name);
  }

  /** The name the operation will have (its scope and uniqueness suffix applied). */
  public String name() {
    return node.getName();
  }

  public OperationBuilder addInput(Output input) {
    checkSameGraph(input.op());
    node.addInput(input.inputString());
    return this;
  }

  public OperationBuilder addControlInput(Operation control) {
    checkSameGraph(control);
    controls.add("^" + control.name());
    return this;
  }

  public OperationBuilder setDevice(String device) {
    node.setDevice(device);
    return this;
  }

  public OperationBuilder setAttr(String name, AttrValue value) {
    node.putAttr(name, value);
    return this;
  }

  public OperationBuilder setAttr(String name, long value) {
    return setAttr(name, AttrValue.newBuilder().setI(value).build());
  }

  public OperationBuilder setAttr(String name, float value) {
    return setAttr(name, AttrValue.newBuilder().setF(value).build());
  }

  public OperationBuilder setAttr(String name, boolean value) {
    return setAttr(name, AttrValue.newBuilder().setB(value).build());
  }

  public OperationBuilder setAttr(String name, String value) {
    return setAttr(name, AttrValue.newBuilder().setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build());
  }

  public OperationBuilder setAttr(String name, DType value) {
    return setAttr(name, AttrValue.newBuilder().setTypeValue(value.number()).build());
  }

  public OperationBuilder setAttr(String name, Shape value) {
    return setAttr(name, AttrValue.newBuilder().setShape(value.toProto()).build());
  }

  /** A tensor attr, encoded as Python's make_tensor_proto encodes it. */
  public OperationBuilder setAttr(String name, Tensor value) {
    return setAttr(name, AttrValue.newBuilder().setTensor(TensorProtos.toProto(value, TensorProtos.Encoding.PYTHON)).build());
  }

  /**
   * Adds the operation to the graph. For ops in the {@link OpRegistry}, missing attrs get their
   * defaults and the node is checked (attrs, kinds, allowed types, input count).
   *
   * @throws IllegalArgumentException when a known op's node is invalid
   */
  public Operation build() {
    if (built) {
      throw new IllegalStateException("Cannot build operation " + node.getName() + " twice");
    }
    built = true;
    node.addAllInput(controls);
    NodeDef def = node.build();
    OpRegistry registry = OpRegistry.standard();
    if (registry.knows(def.getOp())) {
      def = registry.withDefaults(def); // as TensorFlow's op constructors do
      registry.check(def);
    }
    return graph.add(def);
  }

  private void checkSameGraph(Operation op) {
    if (op.graph() != graph) {
      throw new IllegalArgumentException(
          "Cannot use " + op.name() + " as an input of " + node.getName() + ": it belongs to another graph");
    }
  }
}
