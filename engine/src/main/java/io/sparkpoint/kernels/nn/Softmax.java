package io.sparkpoint.kernels.nn;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax and LogSoftmax over the last axis, computed from {@code logits - max} so large logits
 * neither overflow nor lose the small classes (as TF's Eigen kernel does). float32 and float64 are
 * computed on the JVM ({@link JvmNn#softmax}); the other float types through ND4J.
 */
final class Softmax {
  private Softmax() {}

  static Kernel kernel(NodeDef node, boolean log) {
    DTypeRules.checkTypeAttr(node, DTypeRules.FLOATS);
    return context -> {
      DTypeRules.sharedType(node, context.inputs(), DTypeRules.FLOATS, "logits");
      Tensor logits = context.input(0);
      Shape shape = logits.shape();
      if (shape.rank() < 1) {
        throw new KernelException("logits must have >= 1 dimension, got " + shape);
      }
      if (logits.numElements() == 0) {
        return List.of(logits);
      }
      long classes = shape.dim(shape.rank() - 1);
      if (JvmNn.supports(logits.dtype())) {
        return List.of(JvmNn.softmax(logits, Math.toIntExact(classes), log));
      }
      INDArray rows = NdArrays.toNd4j(logits).reshape('c', logits.numElements() / classes, classes);
      INDArray shifted = rows.subColumnVector(rows.max(true, 1));
      INDArray exp = Transforms.exp(shifted, true);
      INDArray sums = exp.sum(true, 1);
      INDArray out = log
          ? shifted.subColumnVector(Transforms.log(sums, false))
          : exp.diviColumnVector(sums);
      return List.of(NdArrays.fromNd4j(out.reshape('c', shape.dims())));
    };
  }
}
