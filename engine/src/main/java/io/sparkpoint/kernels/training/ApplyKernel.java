package io.sparkpoint.kernels.training;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelContext;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.exec.variables.VariableKernels;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One Apply* or ResourceApply* node: reads the variable and its slots, checks them and the other
 * inputs as TensorFlow does (in TF's order), computes every new value, then stores them, the slots
 * first and the variable last. The stored tensors are never written again: a value fetched or read
 * before the step keeps its elements. The new variable goes into the gradient's memory when the
 * executor lets this node overwrite the gradient (made afresh, read by nothing else), otherwise
 * into new memory.
 */
final class ApplyKernel implements Kernel {
  private final NodeDef node;
  private final Optimizer optimizer;
  private final VariableStyle style;
  private final Update update;
  private final boolean updatesSlots;
  /** T, or null when the node does not say (then the variable's dtype). */
  private final DType declared;

  private ApplyKernel(NodeDef node, Optimizer optimizer, VariableStyle style) {
    this.node = node;
    this.optimizer = optimizer;
    this.style = style;
    this.update = optimizer.update(node);
    this.updatesSlots = optimizer.updatesSlots(node);
    this.declared = NodeAttrs.type(node, "T").orElse(null);
  }

  /**
   * @throws KernelException "Unsupported dtype …" for a T other than float32 and float64
   */
  static Kernel create(NodeDef node, Optimizer optimizer, VariableStyle style) {
    DTypeRules.checkTypeAttr(node, DTypeRules.FLOATS);
    return new ApplyKernel(node, optimizer, style);
  }

  @Override
  public List<Tensor> compute(KernelContext context) {
    int lanes = 1 + optimizer.slots.size();
    String[] names = new String[lanes];
    Tensor[] current = new Tensor[lanes];
    for (int i = 0; i < lanes; i++) {
      names[i] = VariableKernels.handleName(context, i);
      current[i] = context.variables().read(names[i]); // "Attempting to use uninitialized value …"
    }
    DType type = declared != null ? declared : current[0].dtype();
    DTypeRules.requireSupported(node, "T", type, DTypeRules.FLOATS);
    for (int i = 0; i < lanes; i++) {
      if (current[i].dtype() != type) {
        throw new KernelException("Trying to update variable " + names[i] + " with wrong dtype. Expected "
            + type.pythonName() + " got " + current[i].dtype().pythonName());
      }
    }
    Tensor grad = checkValues(context, lanes, type, current);
    int gradInput = lanes + optimizer.gradIndex();
    ByteBuffer overwritable = context.mayOverwrite(gradInput) ? NdArrays.overwritableData(grad) : null;
    Tensor[] next = step(type, current, grad, scalars(context, lanes), overwritable);
    for (int i = lanes - 1; i >= 0; i--) {
      if (next[i] != null) {
        context.variables().assign(names[i], next[i]);
      }
    }
    return style.outputs(context);
  }

  /** Checks the non-variable inputs' dtypes, then TF's scalar and shape checks in TF's order; returns the gradient. */
  private Tensor checkValues(KernelContext context, int lanes, DType type, Tensor[] current) {
    List<String> values = optimizer.values;
    for (int j = 0; j < values.size(); j++) {
      Tensor value = context.input(lanes + j);
      if (value.dtype() != type) {
        throw new KernelException("Input '" + values.get(j) + "' of '" + node.getOp() + "' Op has type "
            + value.dtype().pythonName() + " that does not match type " + type.pythonName() + " of argument 'var'.");
      }
    }
    int gradIndex = optimizer.gradIndex();
    checkScalars(context, lanes, 0, gradIndex); // TF checks scalars given before the gradient first
    Shape shape = current[0].shape();
    for (int i = 1; i < lanes; i++) {
      requireSameShape(optimizer.slots.get(i - 1), shape, current[i].shape());
    }
    Tensor grad = context.input(lanes + gradIndex);
    requireSameShape(values.get(gradIndex), shape, grad.shape());
    checkScalars(context, lanes, gradIndex + 1, values.size()); // and those after it (Momentum's momentum) last
    return grad;
  }

  private void checkScalars(KernelContext context, int lanes, int from, int to) {
    for (int j = from; j < to; j++) {
      Shape shape = context.input(lanes + j).shape();
      if (!shape.isScalar()) {
        throw new KernelException(optimizer.notScalar(optimizer.values.get(j), shape.toString()));
      }
    }
  }

  /** TF's wording, shapes appended without a space: "var and grad do not have the same shape[2,3] [3,2]". */
  private static void requireSameShape(String input, Shape var, Shape other) {
    if (!var.equals(other)) {
      throw new KernelException("var and " + input + " do not have the same shape" + var + " " + other);
    }
  }

  /** The scalar inputs (all but the gradient), in input order, exactly as doubles. */
  private double[] scalars(KernelContext context, int lanes) {
    int gradIndex = optimizer.gradIndex();
    double[] scalars = new double[optimizer.values.size() - 1];
    for (int j = 0, k = 0; j < optimizer.values.size(); j++) {
      if (j != gradIndex) {
        scalars[k++] = context.input(lanes + j).doubleAt(0);
      }
    }
    return scalars;
  }

  /**
   * The new values, lane by lane (null for a slot the update leaves alone). With
   * {@code overwritable} (the gradient's memory) the variable's new value is written there, and is
   * then the gradient tensor itself.
   */
  private Tensor[] step(DType type, Tensor[] current, Tensor grad, double[] scalars, ByteBuffer overwritable) {
    int lanes = current.length;
    int n = Math.toIntExact(grad.numElements());
    ByteBuffer[] in = new ByteBuffer[lanes];
    ByteBuffer[] out = new ByteBuffer[lanes];
    for (int i = 0; i < lanes; i++) {
      in[i] = current[i].data();
      if (i == 0 ? overwritable == null : updatesSlots) {
        out[i] = ByteBuffer.allocate(n * type.byteWidth()).order(ByteOrder.LITTLE_ENDIAN);
      }
    }
    if (overwritable != null) {
      out[0] = overwritable;
    }
    Lanes memory = new Lanes(in, out, grad.data(), scalars);
    if (type == DType.FLOAT) {
      update.float32(memory, 0, n);
    } else {
      update.float64(memory, 0, n);
    }
    Tensor[] next = new Tensor[lanes];
    for (int i = 0; i < lanes; i++) {
      next[i] = out[i] == null ? null : Tensor.wrap(type, grad.shape(), out[i]);
    }
    if (overwritable != null) {
      next[0] = grad;
    }
    return next;
  }
}
