package io.sparkpoint.kernels;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads a node's attrs with the OpDef defaults; a present attr of the wrong kind is an error. */
public final class NodeAttrs {
  private NodeAttrs() {}

  /** A bool attr, or the default when absent. */
  public static boolean bool(NodeDef node, String name, boolean defaultValue) {
    AttrValue value = node.getAttrMap().get(name);
    if (value == null) {
      return defaultValue;
    }
    if (value.getValueCase() != AttrValue.ValueCase.B) {
      throw invalid(node, name, "bool", value);
    }
    return value.getB();
  }

  /** A string attr (UTF-8), or the default when absent. */
  public static String string(NodeDef node, String name, String defaultValue) {
    AttrValue value = node.getAttrMap().get(name);
    if (value == null) {
      return defaultValue;
    }
    if (value.getValueCase() != AttrValue.ValueCase.S) {
      throw invalid(node, name, "string", value);
    }
    return value.getS().toString(StandardCharsets.UTF_8);
  }

  /** An int attr, or the default when absent. */
  public static long integer(NodeDef node, String name, long defaultValue) {
    AttrValue value = node.getAttrMap().get(name);
    if (value == null) {
      return defaultValue;
    }
    if (value.getValueCase() != AttrValue.ValueCase.I) {
      throw invalid(node, name, "int", value);
    }
    return value.getI();
  }

  /** A list(int) attr, or an empty array when absent. */
  public static long[] integers(NodeDef node, String name) {
    AttrValue value = node.getAttrMap().get(name);
    if (value == null) {
      return new long[0];
    }
    if (value.getValueCase() != AttrValue.ValueCase.LIST) {
      throw invalid(node, name, "list(int)", value);
    }
    return value.getList().getIList().stream().mapToLong(Long::longValue).toArray();
  }

  /** A type attr such as T, or empty when the node does not set it (the inputs then decide). */
  public static Optional<DType> type(NodeDef node, String name) {
    AttrValue value = node.getAttrMap().get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value.getValueCase() != AttrValue.ValueCase.TYPE) {
      throw invalid(node, name, "type", value);
    }
    return Optional.of(DType.fromNumber(value.getTypeValue()));
  }

  private static KernelException invalid(NodeDef node, String name, String kind, AttrValue value) {
    return new KernelException(
        "Invalid attr " + name + " of node " + node.getName() + " (" + node.getOp() + "): expected a " + kind
            + ", got " + value.getValueCase());
  }
}
