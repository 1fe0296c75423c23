package io.sparkpoint.kernels.training;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelContext;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.exec.VariableStore;
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
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * One Apply* or ResourceApply* node: reads the variable and its slots, checks them and the other
 * inputs as TensorFlow does (in TF's order), computes every new value, then stores them, the slots
 * first and the variable last. A value anyone has read is never written again: new values go to
 * memory no one else can see: the gradient's own when the executor lets this node overwrite it
 * (made afresh, read by nothing else), the value's own when the store hands it over (a slot no one
 * reads, updated in place as TensorFlow does), else new memory.
 */
final class ApplyKernel implements Kernel {
  /** Updates of at least this many elements are split over the common pool's threads, in parts of at least half of it. */
  static final int PARALLEL_MIN = 1 << 16;

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
    VariableStore store = context.variables();
    int lanes = 1 + optimizer.slots.size();
    String[] names = new String[lanes];
    Tensor[] current = new Tensor[lanes];
    int pending = 0; // variables read for the update and not yet assigned or released
    try {
      for (; pending < lanes; pending++) {
        names[pending] = VariableKernels.handleName(context, pending);
        current[pending] = store.readForUpdate(names[pending]); // "Attempting to use uninitialized value …"
      }
      DType type = checkVariables(names, current);
      Tensor grad = checkValues(context, lanes, type, current);
      ByteBuffer[] memory = new ByteBuffer[lanes];
      Tensor[] next = step(store, names, type, current, grad, scalars(context, lanes), overwritableGradient(context, lanes, grad), memory);
      for (; pending > 0; pending--) { // the slots first, the variable last
        int i = pending - 1;
        if (next[i] != null) {
          store.assignOwned(names[i], next[i], memory[i]);
        } else {
          store.release(names[i]);
        }
      }
      return style.outputs(context);
    } finally {
      for (int i = 0; i < pending; i++) {
        store.release(names[i]);
      }
    }
  }

  /** T (or the variable's dtype when the node has none), checked against every variable's dtype. */
  private DType checkVariables(String[] names, Tensor[] current) {
    DType type = declared != null ? declared : current[0].dtype();
    DTypeRules.requireSupported(node, "T", type, DTypeRules.FLOATS);
    for (int i = 0; i < current.length; i++) {
      if (current[i].dtype() != type) {
        throw new KernelException("Trying to update variable " + names[i] + " with wrong dtype. Expected "
            + type.pythonName() + " got " + current[i].dtype().pythonName());
      }
    }
    return type;
  }

  /** The gradient's memory when this node may overwrite it (made afresh and read by nothing else), else null. */
  private ByteBuffer overwritableGradient(KernelContext context, int lanes, Tensor grad) {
    return context.mayOverwrite(lanes + optimizer.gradIndex()) ? NdArrays.overwritableData(grad) : null;
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
   * The new values, lane by lane (null for a slot the update leaves alone), and in {@code memory}
   * their writable memory. A value no one else can see is overwritten in place (the store hands its
   * memory over, and the value is then its own tensor, as an optimizer's slots usually are);
   * others get new memory. With {@code overwritable} (the gradient's memory) the variable's new
   * value goes there instead and is the gradient tensor itself; that memory belongs to the
   * gradient's owner and is never overwritten again (null).
   */
  private Tensor[] step(VariableStore store, String[] names, DType type, Tensor[] current, Tensor grad, double[] scalars,
      ByteBuffer overwritable, ByteBuffer[] memory) {
    int lanes = current.length;
    int n = Math.toIntExact(grad.numElements());
    int bytes = Math.multiplyExact(n, type.byteWidth());
    ByteBuffer[] in = new ByteBuffer[lanes];
    ByteBuffer[] out = new ByteBuffer[lanes];
    boolean[] inPlace = new boolean[lanes];
    for (int i = 0; i < lanes; i++) {
      in[i] = current[i].data();
      if (i == 0 && overwritable != null) {
        out[i] = overwritable;
      } else if (i == 0 || updatesSlots) {
        ByteBuffer own = store.claimForOverwrite(names[i]);
        inPlace[i] = own != null;
        out[i] = inPlace[i] ? own : ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        memory[i] = out[i];
      }
    }
    Lanes memoryOfLanes = new Lanes(in, out, grad.data(), scalars);
    int parts = n < PARALLEL_MIN ? 1 : Math.min(ForkJoinPool.getCommonPoolParallelism() + 1, n / (PARALLEL_MIN / 2));
    if (parts <= 1) {
      memoryOfLanes.run(update, type, 0, n);
    } else {
      IntStream.range(0, parts).parallel()
          .forEach(p -> memoryOfLanes.run(update, type, (int) ((long) p * n / parts), (int) ((long) (p + 1) * n / parts)));
    }
    Tensor[] next = new Tensor[lanes];
    for (int i = 0; i < lanes; i++) {
      next[i] = out[i] == null ? null : inPlace[i] ? current[i] : Tensor.wrap(type, grad.shape(), out[i]);
    }
    if (overwritable != null) {
      next[0] = grad;
    }
    return next;
  }
}
