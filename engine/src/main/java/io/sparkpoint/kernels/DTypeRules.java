package io.sparkpoint.kernels;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * TensorFlow's dtype rules for kernels: the inputs bound to one type attr share it, and each op has
 * kernels for a fixed set of types.
 */
public final class DTypeRules {
  public static final Set<DType> FLOATS = Set.of(DType.FLOAT, DType.DOUBLE);
  public static final Set<DType> NUMBERS = Set.of(DType.FLOAT, DType.DOUBLE, DType.INT32, DType.INT64);

  private DTypeRules() {}

  /**
   * Checks the node's T attr, when set, before any run.
   *
   * @throws KernelException "Unsupported dtype …" when no kernel exists for it
   */
  public static void checkTypeAttr(NodeDef node, Set<DType> supported) {
    NodeAttrs.type(node, "T").ifPresent(type -> requireSupported(node, type, supported));
  }

  /**
   * The one dtype of the inputs named {@code argNames} (inputs 0, 1, …), checked against T and
   * against the supported types.
   *
   * @throws KernelException with TF's "Input 'y' of 'AddV2' Op has type int32 that does not match
   *     type float32 of argument 'x'." when they differ
   */
  public static DType sharedType(NodeDef node, List<Tensor> inputs, Set<DType> supported, String... argNames) {
    if (inputs.size() < argNames.length) {
      throw new KernelException(
          "Invalid input count for " + node.getOp() + " (node " + node.getName() + "): expected "
              + argNames.length + ", got " + inputs.size());
    }
    DType first = inputs.get(0).dtype();
    for (int i = 1; i < argNames.length; i++) {
      DType other = inputs.get(i).dtype();
      if (other != first) {
        throw new KernelException(
            "Input '" + argNames[i] + "' of '" + node.getOp() + "' Op has type " + other.pythonName()
                + " that does not match type " + first.pythonName() + " of argument '" + argNames[0] + "'.");
      }
    }
    NodeAttrs.type(node, "T").ifPresent(t -> {
      if (t != first) {
        throw new KernelException(
            "Input '" + argNames[0] + "' of '" + node.getOp() + "' Op has type " + first.pythonName()
                + " that does not match attr T=" + t.pythonName());
      }
    });
    requireSupported(node, first, supported);
    return first;
  }

  /**
   * Checks an input whose dtype the OpDef fixes (a bool condition, an int32 depth).
   *
   * @throws KernelException with TF's "Input 'condition' of 'Select' Op has type float32 that does
   *     not match expected type of bool."
   */
  public static void requireType(NodeDef node, Tensor input, String argName, DType expected) {
    if (input.dtype() != expected) {
      throw new KernelException(
          "Input '" + argName + "' of '" + node.getOp() + "' Op has type " + input.dtype().pythonName()
              + " that does not match expected type of " + expected.pythonName() + ".");
    }
  }

  private static void requireSupported(NodeDef node, DType type, Set<DType> supported) {
    requireSupported(node, "T", type, supported);
  }

  /**
   * Checks the dtype bound to a type attr other than T (Tindices, TI, Tlabels).
   *
   * @throws KernelException "Unsupported dtype int16 for op GatherV2 (node g): no kernel registered
   *     for Tindices=DT_INT16; supported: int32, int64"
   */
  public static void requireSupported(NodeDef node, String attrName, DType type, Set<DType> supported) {
    if (!supported.contains(type)) {
      String names = supported.stream().map(DType::pythonName).sorted().collect(Collectors.joining(", "));
      throw new KernelException(
          "Unsupported dtype " + type.pythonName() + " for op " + node.getOp() + " (node " + node.getName()
              + "): no kernel registered for " + attrName + "=" + type.tfName() + "; supported: " + names);
    }
  }
}
