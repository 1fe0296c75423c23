package io.sparkpoint.graph;

import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.OpDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.UnsupportedDTypeException;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's inputs and outputs as its OpDef declares them, expanded per tensor (list and number
 * attrs resolved): whether each is a reference (TF1 ref variables) and its dtype. Nodes of ops the
 * {@link OpRegistry} does not know have no known signature.
 */
public final class OpSignatures {
  /** One tensor of an expanded arg list; dtype null when not known. */
  public record Port(boolean ref, DType dtype) {}

  private OpSignatures() {}

  /** The node's input tensors, in order, or null when the op is not known. */
  public static List<Port> inputs(NodeDef node) {
    OpDef op = OpRegistry.standard().opDef(node.getOp());
    return op == null ? null : expand(node, op.getInputArgList());
  }

  /** The node's output tensors, in order, or null when the op is not known. */
  public static List<Port> outputs(NodeDef node) {
    OpDef op = OpRegistry.standard().opDef(node.getOp());
    return op == null ? null : expand(node, op.getOutputArgList());
  }

  /** The dtype of output {@code port}: from the OpDef, else (unknown ops) from a dtype or T attr; null when not known. */
  public static DType outputDType(NodeDef node, int port) {
    List<Port> outputs = outputs(node);
    if (outputs != null) {
      return port < outputs.size() ? outputs.get(port).dtype() : null;
    }
    if (port != 0) {
      return null;
    }
    AttrValue attr = node.getAttrMap().getOrDefault("dtype", node.getAttrMap().get("T"));
    return attr != null && attr.getValueCase() == AttrValue.ValueCase.TYPE ? dtype(attr.getTypeValue()) : null;
  }

  private static List<Port> expand(NodeDef node, List<OpDef.ArgDef> args) {
    List<Port> ports = new ArrayList<>();
    for (OpDef.ArgDef arg : args) {
      if (!arg.getTypeListAttr().isEmpty()) {
        AttrValue list = node.getAttrMap().get(arg.getTypeListAttr());
        if (list != null) {
          list.getList().getTypeValueList().forEach(t -> ports.add(new Port(arg.getIsRef(), dtype(t))));
        }
        continue;
      }
      DType dtype = arg.getTypeAttr().isEmpty() ? dtype(arg.getTypeValue()) : attrType(node, arg.getTypeAttr());
      long count = 1;
      if (!arg.getNumberAttr().isEmpty()) {
        AttrValue number = node.getAttrMap().get(arg.getNumberAttr());
        count = number == null ? 0 : number.getI();
      }
      for (long i = 0; i < count; i++) {
        ports.add(new Port(arg.getIsRef(), dtype));
      }
    }
    return ports;
  }

  private static DType attrType(NodeDef node, String name) {
    AttrValue attr = node.getAttrMap().get(name);
    return attr == null ? null : dtype(attr.getTypeValue());
  }

  private static DType dtype(int number) {
    try {
      return number == 0 ? null : DType.fromNumber(number);
    } catch (UnsupportedDTypeException e) {
      return null;
    }
  }
}
