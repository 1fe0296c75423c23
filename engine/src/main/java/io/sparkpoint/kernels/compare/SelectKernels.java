package io.sparkpoint.kernels.compare;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.Broadcasting;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.TensorElements;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Set;

/**
 * Select (TF1: the condition is a scalar, has the shape of {@code t} and {@code e}, or is a vector
 * choosing rows) and SelectV2 (the condition, {@code t} and {@code e} broadcast together). The
 * elements of {@code t} and {@code e} are copied, never read, so every fixed-width and string
 * dtype works.
 */
final class SelectKernels {
  private static final Set<DType> MOVABLE = TensorElements.MOVABLE;

  private SelectKernels() {}

  /** How one op picks its output from the checked inputs. */
  @FunctionalInterface
  private interface Selection {
    Tensor apply(NodeDef node, Tensor cond, Tensor then, Tensor otherwise);
  }

  static Kernel select(NodeDef node) {
    return kernel(node, SelectKernels::selectOutput);
  }

  static Kernel selectV2(NodeDef node) {
    return kernel(node, SelectKernels::selectV2Output);
  }

  /** Checks the dtypes: a bool condition, and t and e of one movable dtype (matching T when the node sets it). */
  private static Kernel kernel(NodeDef node, Selection selection) {
    DTypeRules.checkTypeAttr(node, MOVABLE);
    return context -> {
      Tensor cond = context.input(0);
      DTypeRules.requireType(node, cond, "condition", DType.BOOL);
      DTypeRules.sharedType(node, context.inputs().subList(1, 3), MOVABLE, "t", "e");
      return List.of(selection.apply(node, cond, context.input(1), context.input(2)));
    };
  }

  /** TF1's Select: a scalar condition takes a whole input, a vector one rows, else one per element. */
  private static Tensor selectOutput(NodeDef node, Tensor cond, Tensor then, Tensor otherwise) {
    Shape shape = then.shape();
    if (cond.shape().isScalar()) {
      requireSameShape(then, otherwise);
      return cond.longAt(0) != 0 ? then : otherwise;
    }
    boolean[] picks = PredicateKernels.booleans(cond);
    boolean[] takeThen = picks;
    if (cond.shape().rank() == 1 && shape.rank() != 1) {
      // the condition picks whole rows (slices along dimension 0)
      if (shape.rank() == 0) {
        throw new KernelException("'then' must be at least a vector, but saw shape: " + shape);
      }
      if (shape.dim(0) != picks.length) {
        throw new KernelException("Number of batches of 'then' must match size of 'cond', but saw: "
            + shape.dim(0) + " vs. " + picks.length);
      }
      requireSameShape(then, otherwise);
      takeThen = new boolean[Math.toIntExact(shape.numElements())];
      int rowSize = picks.length == 0 ? 0 : takeThen.length / picks.length;
      for (int i = 0; i < takeThen.length; i++) {
        takeThen[i] = picks[i / rowSize];
      }
    } else {
      Tensor[] inputs = {cond, then, otherwise};
      for (int i = 1; i < 3; i++) {
        if (!inputs[i].shape().equals(cond.shape())) {
          throw new KernelException("Inputs to operation " + node.getName() + " of type " + node.getOp()
              + " must have the same size and shape.  Input 0: " + cond.shape() + " != input " + i + ": "
              + inputs[i].shape());
        }
      }
    }
    int[] same = identity(takeThen.length);
    return TensorElements.choose(shape, takeThen, then, same, otherwise, same);
  }

  /** SelectV2: the three inputs broadcast together. */
  private static Tensor selectV2Output(NodeDef node, Tensor cond, Tensor then, Tensor otherwise) {
    long[] condThen = Broadcasting.dims(cond.shape().dims(), then.shape().dims());
    long[] dims = condThen == null ? null : Broadcasting.dims(condThen, otherwise.shape().dims());
    if (dims == null) {
      throw new KernelException("condition " + cond.shape() + ", then " + then.shape() + ", and else "
          + otherwise.shape() + " must be broadcastable");
    }
    boolean[] picks = PredicateKernels.booleans(cond);
    int[] condIndex = Broadcasting.sourceIndex(cond.shape().dims(), dims);
    boolean[] takeThen = new boolean[condIndex.length];
    for (int i = 0; i < takeThen.length; i++) {
      takeThen[i] = picks[condIndex[i]];
    }
    return TensorElements.choose(Shape.of(dims), takeThen,
        then, Broadcasting.sourceIndex(then.shape().dims(), dims),
        otherwise, Broadcasting.sourceIndex(otherwise.shape().dims(), dims));
  }

  /**
   * @throws KernelException TF's "'then' and 'else' must have the same size.  but received: [2] vs. [3]"
   */
  private static void requireSameShape(Tensor then, Tensor otherwise) {
    if (!then.shape().equals(otherwise.shape())) {
      throw new KernelException("'then' and 'else' must have the same size.  but received: " + then.shape()
          + " vs. " + otherwise.shape());
    }
  }

  private static int[] identity(int n) {
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = i;
    }
    return index;
  }
}
