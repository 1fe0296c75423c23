package io.sparkpoint.kernels.reduce;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.IndexTensors;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reduce family: Sum, Mean, Max, Min and Prod (reduction_indices, keep_dims, negative axes; no
 * axes means no reduction; float Max and Min propagate NaN), ArgMax and ArgMin. Float types reduce
 * on ND4J; integer types reduce in exact long arithmetic. Kernels are stateless and thread-safe.
 */
public final class ReduceKernels implements KernelProvider {
  static {
    io.sparkpoint.kernels.Nd4jRuntime.ensureConfigured();
  }

  static final Set<DType> REAL = real();

  @Override
  public void register(KernelRegistry registry) {
    for (Reduction reduction : Reduction.values()) {
      registry.register(reduction.opType, node -> reduce(node, reduction));
    }
    registry.register("ArgMax", node -> ArgKernels.arg(node, true));
    registry.register("ArgMin", node -> ArgKernels.arg(node, false));
  }

  private static Set<DType> real() {
    Set<DType> types = new HashSet<>(Numbers.FLOATING);
    types.addAll(Numbers.INTEGERS);
    return Set.copyOf(types);
  }

  private static Kernel reduce(NodeDef node, Reduction reduction) {
    DTypeRules.checkTypeAttr(node, REAL);
    boolean keepDims = NodeAttrs.bool(node, "keep_dims", false);
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs().subList(0, 1), REAL, "input");
      Tensor input = context.input(0);
      long[] dims = input.shape().dims();
      boolean[] reduced = axes(IndexTensors.values(node, context.input(1), "reduction_indices"), dims.length);
      Layout layout = Layout.of(dims, reduced, keepDims);
      ByteBuffer out = Numbers.allocate(type, layout.outer());
      if (layout.outer() > 0) {
        if (Numbers.FLOATING.contains(type)) {
          reduceFloats(input, layout, reduction, type, out);
        } else {
          long[] values = layout.gatherLongs(input);
          int inner = Math.toIntExact(layout.inner());
          for (int row = 0; row < layout.outer(); row++) {
            Numbers.putLong(out, type, reduction.integer(type, values, row * inner, inner));
          }
        }
      }
      return List.of(Numbers.tensor(type, Shape.of(layout.outDims()), out));
    };
  }

  private static void reduceFloats(Tensor input, Layout layout, Reduction reduction, DType type, ByteBuffer out) {
    if (layout.inner() == 0) {
      for (long row = 0; row < layout.outer(); row++) {
        Numbers.putDouble(out, type, reduction.emptyFloat());
      }
      return;
    }
    INDArray array = NdArrays.toNd4j(input);
    if (type == DType.HALF || type == DType.BFLOAT16) {
      array = array.castTo(DataType.FLOAT);
    }
    INDArray matrix = layout.matrix(array);
    double[] results = reduction.applyToRows(matrix).castTo(DataType.DOUBLE).toDoubleVector();
    if (reduction == Reduction.MAX || reduction == Reduction.MIN) {
      propagateNaN(matrix, results);
    }
    for (double value : results) {
      Numbers.putDouble(out, type, value);
    }
  }

  /**
   * Sets NaN for every row holding a NaN: TensorFlow's Max and Min propagate it, where ND4J's skip
   * it. A row sum is NaN when the row holds NaN (or both infinities): only then look element by
   * element.
   */
  private static void propagateNaN(INDArray matrix, double[] results) {
    if (!Double.isNaN(matrix.sumNumber().doubleValue())) {
      return;
    }
    double[][] rows = matrix.castTo(DataType.DOUBLE).toDoubleMatrix();
    for (int row = 0; row < rows.length; row++) {
      for (double value : rows[row]) {
        if (Double.isNaN(value)) {
          results[row] = Double.NaN;
          break;
        }
      }
    }
  }

  /**
   * The reduced dimensions, from axes in [-rank, rank).
   *
   * @throws io.sparkpoint.exec.KernelException TF's "Invalid reduction dimension (5 for input with 2
   *     dimension(s)"
   */
  static boolean[] axes(long[] axes, int rank) {
    boolean[] reduced = new boolean[rank];
    for (long axis : axes) {
      if (axis < -rank || axis >= rank) {
        throw new KernelException("Invalid reduction dimension (" + axis + " for input with " + rank + " dimension(s)");
      }
      int index = (int) (axis < 0 ? axis + rank : axis);
      if (reduced[index]) {
        throw new KernelException("Invalid reduction arguments: Axes contains duplicate dimension: " + index);
      }
      reduced[index] = true;
    }
    return reduced;
  }
}
