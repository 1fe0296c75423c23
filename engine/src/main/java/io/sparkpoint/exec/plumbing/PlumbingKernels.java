package io.sparkpoint.exec.plumbing;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;
import io.sparkpoint.exec.PartialShapes;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorProtos;
import java.util.List;

/**
 * The graph plumbing that needs no math: Const, Placeholder, PlaceholderWithDefault, Identity,
 * IdentityN, NoOp, StopGradient and PreventGradient (both the identity when run; their message and
 * meaning are for the gradient builder).
 */
public final class PlumbingKernels implements KernelProvider {
  private static final Kernel FIRST_INPUT = context -> List.of(context.input(0));

  @Override
  public void register(KernelRegistry registry) {
    registry.register("Const", PlumbingKernels::constant);
    registry.register("Placeholder", PlumbingKernels::placeholder);
    registry.register("PlaceholderWithDefault", node -> FIRST_INPUT);
    registry.register("Identity", node -> FIRST_INPUT);
    registry.register("StopGradient", node -> FIRST_INPUT);
    registry.register("PreventGradient", node -> FIRST_INPUT);
    registry.register("IdentityN", node -> context -> List.copyOf(context.inputs()));
    registry.register("NoOp", node -> context -> List.of());
  }

  private static Kernel constant(NodeDef node) {
    AttrValue value = node.getAttrMap().get("value");
    if (value == null || !value.hasTensor()) {
      throw new KernelException("Const node has no tensor 'value' attr");
    }
    List<Tensor> output;
    try {
      output = List.of(TensorProtos.fromProto(value.getTensor()));
    } catch (RuntimeException e) {
      throw new KernelException("Invalid 'value' attr: " + e.getMessage(), e);
    }
    return context -> output;
  }

  /** Fails as TensorFlow does when the placeholder is not fed (fed tensors are never computed). */
  private static Kernel placeholder(NodeDef node) {
    AttrValue dtype = node.getAttrMap().get("dtype");
    StringBuilder message = new StringBuilder("You must feed a value for placeholder tensor '").append(node.getName()).append("'");
    if (dtype != null) {
      message.append(" with dtype ").append(typeName(dtype.getTypeValue()));
    }
    AttrValue shape = node.getAttrMap().get("shape");
    if (shape != null && shape.hasShape() && !shape.getShape().getUnknownRank()) {
      message.append(" and shape ").append(PartialShapes.render(shape.getShape()));
    }
    String text = message.toString();
    return context -> {
      throw new KernelException(text);
    };
  }

  /** TensorFlow's short name: float, double, int32, string. */
  private static String typeName(int number) {
    try {
      DType type = DType.fromNumber(number);
      return switch (type) {
        case FLOAT -> "float";
        case DOUBLE -> "double";
        case HALF -> "half";
        default -> type.pythonName();
      };
    } catch (RuntimeException e) {
      return "type " + number;
    }
  }
}
