package io.sparkpoint.kernels.conv;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.proto.NodeDef;

/** TF's padding attr: how a sliding window meets the borders of its input. */
enum Padding {
  /** No padding: windows lie wholly inside the input. */
  VALID,
  /** Output size ceil(input / stride); the padding is split, the odd element going after (bottom, right). */
  SAME,
  /** The explicit_paddings attr gives the padding before and after each dimension. */
  EXPLICIT;

  /**
   * The node's padding attr.
   *
   * @throws KernelException when it is missing or not one of the values the op takes
   */
  static Padding of(NodeDef node, Padding... allowed) {
    String value = NodeAttrs.string(node, "padding", "");
    for (Padding padding : allowed) {
      if (padding.name().equals(value)) {
        return padding;
      }
    }
    StringBuilder names = new StringBuilder();
    for (Padding padding : allowed) {
      names.append(names.length() == 0 ? "" : ", ").append(padding.name());
    }
    throw new KernelException(
        (value.isEmpty() ? "Missing attr padding" : "Unsupported padding " + value) + " for " + node.getOp()
            + " (node " + node.getName() + "): expected one of " + names);
  }
}
