package io.sparkpoint.kernels.math;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelContext;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.JvmPairwise;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.kernels.ResultMemory;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * AddN: the element-wise sum of N tensors of one shape, on every real dtype. Floats are added in
 * TF's order, so results are bit-identical to its: the first r inputs left to right (r = N mod 8,
 * or 8 or 9 when that is 0 or 1), then each following group of eight summed left to right and added
 * to the total. float16 and bfloat16 round after every addition, as Eigen's half arithmetic does;
 * integers wrap at their width. One input is returned as it is.
 */
final class AddN {
  private static final int GROUP = 8;

  private AddN() {}

  static Kernel kernel(NodeDef node) {
    DTypeRules.checkTypeAttr(node, Numbers.REAL);
    return context -> {
      List<Tensor> inputs = context.inputs();
      if (inputs.isEmpty()) {
        throw new KernelException("Invalid input count for AddN (node " + node.getName() + "): expected at least 1, got 0");
      }
      String[] names = new String[inputs.size()];
      Arrays.fill(names, "inputs");
      DType type = DTypeRules.sharedType(node, inputs, Numbers.REAL, names);
      Tensor first = inputs.get(0);
      for (int i = 1; i < inputs.size(); i++) {
        if (!inputs.get(i).shape().equals(first.shape())) {
          throw new KernelException("Inputs to operation " + node.getName() + " of type AddN must have the same size"
              + " and shape.  Input 0: " + first.shape() + " != input " + i + ": " + inputs.get(i).shape());
        }
      }
      if (inputs.size() == 1 || first.numElements() == 0) {
        return List.of(first);
      }
      return List.of(sum(context, type));
    };
  }

  private static Tensor sum(KernelContext context, DType type) {
    List<Tensor> inputs = context.inputs();
    int count = inputs.size();
    int n = Math.toIntExact(inputs.get(0).numElements());
    int head = count % GROUP < 2 ? count % GROUP + GROUP : count % GROUP;
    // inputs 0 and 1 are read by the first pass only, so the sum may take the memory of either
    ResultMemory result = ResultMemory.of(context, type, inputs.get(0).shape(), 0, 1);
    ByteBuffer total = result.bytes();
    add(type, inputs.get(0).data(), inputs.get(1).data(), total, n);
    for (int i = 2; i < head; i++) {
      add(type, total, inputs.get(i).data(), total, n);
    }
    ByteBuffer group = head < count ? Numbers.allocate(type, n) : null;
    for (int start = head; start < count; start += GROUP) {
      add(type, inputs.get(start).data(), inputs.get(start + 1).data(), group, n);
      for (int i = start + 2; i < start + GROUP; i++) {
        add(type, group, inputs.get(i).data(), group, n);
      }
      add(type, total, group, total, n);
    }
    return result.publish(context);
  }

  /** out = a + b element-wise (out may be a or b). */
  private static void add(DType type, ByteBuffer a, ByteBuffer b, ByteBuffer out, int n) {
    JvmPairwise.apply(Addition.ADD, type, a, b, out, n);
  }

  /** One addition, rounded (float16, bfloat16) or wrapped (integers) to the dtype. */
  private enum Addition implements JvmPairwise.Arithmetic {
    ADD;

    @Override
    public void floats(float[] x, float[] y, int n) {
      for (int i = 0; i < n; i++) {
        x[i] += y[i];
      }
    }

    @Override
    public void doubles(double[] x, double[] y, int n) {
      for (int i = 0; i < n; i++) {
        x[i] += y[i];
      }
    }

    @Override
    public long integers(long a, long b, DType type) {
      return a + b;
    }
  }
}
