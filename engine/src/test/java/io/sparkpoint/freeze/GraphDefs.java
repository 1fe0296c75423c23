package io.sparkpoint.freeze;

import com.google.protobuf.ByteString;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.DataType;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Small GraphDefs built by hand, the way TensorFlow 1.x writes them, and checkpoints for them. */
final class GraphDefs {
  private GraphDefs() {}

  static NodeDef.Builder node(String name, String op, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs));
  }

  static GraphDef graph(NodeDef.Builder... nodes) {
    GraphDef.Builder graph = GraphDef.newBuilder();
    for (NodeDef.Builder node : nodes) {
      graph.addNode(node);
    }
    return graph.build();
  }

  static AttrValue type(DataType type) {
    return AttrValue.newBuilder().setType(type).build();
  }

  static AttrValue string(String value) {
    return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(value)).build();
  }

  /** A {@code _class} attr: colocate with each named node. */
  static AttrValue colocation(String... nodes) {
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    for (String node : nodes) {
      list.addS(ByteString.copyFromUtf8("loc:@" + node));
    }
    return AttrValue.newBuilder().setList(list).build();
  }

  static AttrValue shape(long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long dim : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
    }
    return AttrValue.newBuilder().setShape(shape).build();
  }

  /** A TF1 ref variable: VariableV2 with dtype, shape, container and shared_name attrs and a device. */
  static NodeDef.Builder refVariable(String name, long... dims) {
    return node(name, "VariableV2")
        .setDevice("/device:CPU:0")
        .putAttr("dtype", type(DataType.DT_FLOAT))
        .putAttr("shape", shape(dims))
        .putAttr("container", string(""))
        .putAttr("shared_name", string(""));
  }

  /** A resource variable's handle: VarHandleOp with shared_name = its name. */
  static NodeDef.Builder resourceVariable(String name, long... dims) {
    return node(name, "VarHandleOp")
        .putAttr("dtype", type(DataType.DT_FLOAT))
        .putAttr("shape", shape(dims))
        .putAttr("container", string(""))
        .putAttr("shared_name", string(name));
  }

  /** The note's example: {@code add = v1 + v2} with initializers, Assign, read and save nodes. */
  static GraphDef noteExample() {
    return graph(
        node("v1/initial_value", "Const").putAttr("dtype", type(DataType.DT_FLOAT)),
        refVariable("v1", 1),
        node("v1/Assign", "Assign", "v1", "v1/initial_value").putAttr("_class", colocation("v1")),
        node("v1/read", "Identity", "v1").putAttr("T", type(DataType.DT_FLOAT)).putAttr("_class", colocation("v1")),
        node("v2/initial_value", "Const").putAttr("dtype", type(DataType.DT_FLOAT)),
        refVariable("v2", 1),
        node("v2/Assign", "Assign", "v2", "v2/initial_value").putAttr("_class", colocation("v2")),
        node("v2/read", "Identity", "v2").putAttr("T", type(DataType.DT_FLOAT)).putAttr("_class", colocation("v2")),
        node("add", "AddV2", "v1/read", "v2/read").putAttr("T", type(DataType.DT_FLOAT)),
        node("init", "NoOp", "^v1/Assign", "^v2/Assign"),
        node("save/Const", "Const"),
        node("save/SaveV2", "SaveV2", "save/Const", "v1", "v2"),
        node("save/RestoreV2", "RestoreV2", "save/Const"),
        node("save/Assign", "Assign", "v1", "save/RestoreV2").putAttr("_class", colocation("v1")),
        node("save/restore_all", "NoOp", "^save/Assign"));
  }

  static void writeCheckpoint(FileIO io, String prefix, Map<String, Tensor> values) throws IOException {
    try (BundleWriter writer = BundleWriter.create(io, prefix)) {
      for (Map.Entry<String, Tensor> entry : values.entrySet()) {
        writer.add(entry.getKey(), entry.getValue());
      }
      writer.finish();
    }
  }

  static List<String> names(GraphDef graph) {
    return graph.getNodeList().stream().map(NodeDef::getName).toList();
  }

  static NodeDef find(GraphDef graph, String name) {
    return graph.getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not in the graph"));
  }
}
