package io.sparkpoint.exec.variables;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelContext;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * TF1 variables on the session's {@link io.sparkpoint.exec.VariableStore}, in both styles. A
 * variable's handle is a scalar string tensor holding its name (shared_name, else the node name):
 * <ul>
 *   <li>ref style: VariableV2 and Variable output a reference; Assign writes through it and
 *       returns it; IsVariableInitialized tests it. Any other consumer of a reference (Identity, the
 *       {@code v/read} node) gets the variable's value: the executor reads it.
 *   <li>resource style: VarHandleOp outputs the handle; AssignVariableOp, ReadVariableOp and
 *       VarIsInitializedOp use it, and DestroyResourceOp forgets the value.
 * </ul>
 * The ops that update a variable with arithmetic (AssignAdd, the Apply* ops) are kernels of
 * their own ({@code io.sparkpoint.kernels.training}).
 */
public final class VariableKernels implements KernelProvider {
  @Override
  public void register(KernelRegistry registry) {
    registry.register("VariableV2", VariableKernels::refHandle);
    registry.register("Variable", VariableKernels::refHandle);
    registry.register("VarHandleOp", VariableKernels::handle);
    registry.register("Assign", VariableKernels::assign);
    registry.register("IsVariableInitialized", node -> VariableKernels::isInitialized);
    registry.register("VarIsInitializedOp", node -> VariableKernels::isInitialized);
    registry.register("AssignVariableOp", VariableKernels::assignVariable);
    registry.register("ReadVariableOp", VariableKernels::readVariable);
    registry.register("DestroyResourceOp", VariableKernels::destroy);
  }

  /** The variable's name: its shared_name, else the node's name (as TensorFlow names the resource). */
  public static String variableName(NodeDef node) {
    AttrValue shared = node.getAttrMap().get("shared_name");
    String name = shared == null ? "" : shared.getS().toStringUtf8();
    return name.isEmpty() ? node.getName() : name;
  }

  private static Kernel handle(NodeDef node) {
    List<Tensor> handle = List.of(Tensor.ofStrings(Shape.scalar(), variableName(node)));
    return context -> handle;
  }

  /** A ref variable's handle; it declares the variable's shape when fully defined, for Assign's validation. */
  private static Kernel refHandle(NodeDef node) {
    String name = variableName(node);
    List<Tensor> handle = List.of(Tensor.ofStrings(Shape.scalar(), name));
    AttrValue shapeAttr = node.getAttrMap().get("shape");
    Shape declared = null;
    if (shapeAttr != null && !shapeAttr.getShape().getUnknownRank()
        && shapeAttr.getShape().getDimList().stream().allMatch(d -> d.getSize() >= 0)) {
      declared = Shape.of(shapeAttr.getShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray());
    }
    Shape shape = declared;
    return context -> {
      if (shape != null) {
        context.variables().declareShape(name, shape);
      }
      return handle;
    };
  }

  /** Assign(ref, value): validate_shape checks an initialized variable's shape; use_locking is implied (assignments are atomic). */
  private static Kernel assign(NodeDef node) {
    AttrValue validate = node.getAttrMap().get("validate_shape");
    boolean validateShape = validate == null || validate.getB();
    return context -> {
      String name = handleName(context, 0);
      Tensor value = context.input(1);
      if (validateShape) {
        Shape lhs = context.variables().isInitialized(name) ? context.variables().read(name).shape()
            : context.variables().declaredShape(name);
        if (lhs != null && !lhs.equals(value.shape())) {
          throw new KernelException("Assign requires shapes of both tensors to match. lhs shape= " + lhs
              + " rhs shape= " + value.shape());
        }
      }
      checkDType(node, "T", value, "assign");
      context.variables().assign(name, value);
      return List.of(context.input(0));
    };
  }

  private static List<Tensor> isInitialized(KernelContext context) {
    return List.of(Tensor.ofBooleans(Shape.scalar(), context.variables().isInitialized(handleName(context, 0))));
  }

  private static Kernel assignVariable(NodeDef node) {
    return context -> {
      Tensor value = context.input(1);
      checkDType(node, "dtype", value, "assign");
      context.variables().assign(handleName(context, 0), value);
      return List.of();
    };
  }

  private static Kernel readVariable(NodeDef node) {
    return context -> {
      Tensor value = context.variables().read(handleName(context, 0));
      checkDType(node, "dtype", value, "read");
      return List.of(value);
    };
  }

  /** DestroyResourceOp: forgets the value; a variable without one is an error unless ignore_lookup_error (the default). */
  private static Kernel destroy(NodeDef node) {
    AttrValue ignore = node.getAttrMap().get("ignore_lookup_error");
    boolean ignoreLookupError = ignore == null || ignore.getB();
    return context -> {
      String name = handleName(context, 0);
      if (!context.variables().remove(name) && !ignoreLookupError) {
        throw new KernelException("Resource " + name + " does not exist.");
      }
      return List.of();
    };
  }

  private static void checkDType(NodeDef node, String attr, Tensor value, String verb) {
    AttrValue type = node.getAttrMap().get(attr);
    if (type != null && type.getTypeValue() != 0 && DType.fromNumber(type.getTypeValue()) != value.dtype()) {
      throw new KernelException("Trying to " + verb + " variable with wrong dtype. Expected "
          + DType.fromNumber(type.getTypeValue()).pythonName() + " got " + value.dtype().pythonName());
    }
  }

  /**
   * The variable named by input {@code input}, a handle (a scalar string tensor): a ref input of a
   * ref-style op, or a resource input.
   *
   * @throws KernelException when the input is not a handle
   */
  public static String handleName(KernelContext context, int input) {
    Tensor handle = context.input(input);
    if (handle.dtype() != DType.STRING || !handle.shape().isScalar()) {
      throw new KernelException("Input " + input + " is not a variable handle: got " + handle.dtype().pythonName() + " " + handle.shape());
    }
    return new String(handle.string(0), StandardCharsets.UTF_8);
  }
}
