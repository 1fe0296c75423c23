package io.sparkpoint.kernels.loss;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The loss family with TensorFlow semantics, on float32 and float64: SoftmaxCrossEntropyWithLogits
 * and SparseSoftmaxCrossEntropyWithLogits (outputs loss [batch] and backprop [batch, classes],
 * stable for large logits) and L2Loss (sum(t^2) / 2). Sums are taken in float64 and rounded once
 * to the dtype. Kernels are stateless and thread-safe.
 */
public final class LossKernels implements KernelProvider {
  @Override
  public void register(KernelRegistry registry) {
    registry.register("SoftmaxCrossEntropyWithLogits", SoftmaxCrossEntropy::kernel);
    registry.register("SparseSoftmaxCrossEntropyWithLogits", SparseSoftmaxCrossEntropy::kernel);
    registry.register("L2Loss", LossKernels::l2Loss);
  }

  private static Kernel l2Loss(NodeDef node) {
    DTypeRules.checkTypeAttr(node, DTypeRules.FLOATS);
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs(), DTypeRules.FLOATS, "t");
      Tensor t = context.input(0);
      double sum = 0;
      for (long i = 0; i < t.numElements(); i++) {
        double v = t.doubleAt(i);
        sum += v * v;
      }
      ByteBuffer out = Numbers.allocate(type, 1);
      Numbers.putDouble(out, type, sum / 2);
      return List.of(Numbers.tensor(type, Shape.scalar(), out));
    };
  }
}
