package io.sparkpoint.exec;

import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.tensor.Shape;

/** Declared shapes that may be partly unknown (a Placeholder's {@code [?,4]}), as TensorFlow prints and matches them. */
public final class PartialShapes {
  private PartialShapes() {}

  /** {@code [?,4]}; {@code <unknown>} for an unknown rank. */
  public static String render(TensorShapeProto shape) {
    if (shape.getUnknownRank()) {
      return "<unknown>";
    }
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < shape.getDimCount(); i++) {
      long size = shape.getDim(i).getSize();
      text.append(i == 0 ? "" : ",").append(size < 0 ? "?" : Long.toString(size));
    }
    return text.append(']').toString();
  }

  /**
   * The shape a Placeholder declares, or null when it declares none. As in TensorFlow, graphs
   * before GraphDef version 22 could not tell a scalar shape attr from "unknown", so there a scalar
   * shape means unknown.
   *
   * @param producer the graph's GraphDef version (0 when it has none)
   */
  public static TensorShapeProto placeholderShape(NodeDef placeholder, int producer) {
    if (!placeholder.containsAttr("shape")) {
      return null;
    }
    TensorShapeProto shape = placeholder.getAttrOrThrow("shape").getShape();
    return shape.getUnknownRank() || (producer <= 21 && shape.getDimCount() == 0) ? null : shape;
  }

  /** True when {@code actual} fits {@code declared}: unknown rank, or the same rank with every known dim equal. */
  public static boolean isCompatible(TensorShapeProto declared, Shape actual) {
    if (declared.getUnknownRank()) {
      return true;
    }
    if (declared.getDimCount() != actual.rank()) {
      return false;
    }
    for (int i = 0; i < actual.rank(); i++) {
      long size = declared.getDim(i).getSize();
      if (size >= 0 && size != actual.dim(i)) {
        return false;
      }
    }
    return true;
  }
}
