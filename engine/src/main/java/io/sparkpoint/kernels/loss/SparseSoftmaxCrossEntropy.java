package io.sparkpoint.kernels.loss;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/**
 * SparseSoftmaxCrossEntropyWithLogits: [batch, classes] logits and one int32/int64 class per row;
 * the loss {@code logsumexp(logits) - logits[label]} and the backprop
 * {@code softmax(logits) - onehot(label)}, computed from logits - max as TF does. A label outside
 * [0, classes) fails, as TF's CPU kernel does.
 */
final class SparseSoftmaxCrossEntropy {
  static final Set<DType> LABEL_TYPES = Set.of(DType.INT32, DType.INT64);

  private SparseSoftmaxCrossEntropy() {}

  static Kernel kernel(NodeDef node) {
    DTypeRules.checkTypeAttr(node, DTypeRules.FLOATS);
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs().subList(0, 1), DTypeRules.FLOATS, "features");
      Tensor logits = context.input(0);
      Tensor labels = context.input(1);
      DTypeRules.requireSupported(node, "Tlabels", labels.dtype(), LABEL_TYPES);
      Shape shape = logits.shape();
      if (shape.rank() != 2) {
        throw new KernelException("logits must be 2-D, but got shape " + shape);
      }
      if (labels.shape().rank() != 1) {
        throw new KernelException("labels must be 1-D, but got shape " + labels.shape());
      }
      if (shape.dim(0) != labels.shape().dim(0)) {
        throw new KernelException("logits and labels must have the same first dimension, got logits shape "
            + shape + " and labels shape " + labels.shape());
      }
      if (shape.dim(1) == 0) {
        throw new KernelException("Must have at least one class, but got logits shape " + shape);
      }
      int batch = Math.toIntExact(shape.dim(0));
      int classes = Math.toIntExact(shape.dim(1));
      long[] classOf = requireInRange(labels, classes);
      ByteBuffer loss = Numbers.allocate(type, batch);
      ByteBuffer backprop = Numbers.allocate(type, shape.numElements());
      double[] row = new double[classes];
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < classes; j++) {
          row[j] = logits.doubleAt((long) b * classes + j);
        }
        ShiftedRow shifted = ShiftedRow.of(row, type);
        int label = (int) classOf[b];
        Numbers.putDouble(loss, type, shifted.logSumExp() - shifted.shifted()[label]);
        for (int j = 0; j < classes; j++) {
          Numbers.putDouble(backprop, type, shifted.probability(j) - (j == label ? 1 : 0));
        }
      }
      return List.of(Numbers.tensor(type, labels.shape(), loss), Numbers.tensor(type, shape, backprop));
    };
  }

  /**
   * The labels, checked against [0, classes): like TF, the error names the smallest label when
   * it is negative, else the largest, and lists every label.
   *
   * @throws KernelException "Received a label value of 5 which is outside the valid range of [0, 3).
   *     Label values: 0 5 1"
   */
  private static long[] requireInRange(Tensor labels, int classes) {
    long[] values = new long[Math.toIntExact(labels.numElements())];
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < values.length; i++) {
      values[i] = labels.longAt(i);
      min = Math.min(min, values[i]);
      max = Math.max(max, values[i]);
    }
    if (values.length > 0 && (min < 0 || max >= classes)) {
      StringBuilder all = new StringBuilder();
      for (long value : values) {
        all.append(all.length() == 0 ? "" : " ").append(value);
      }
      throw new KernelException("Received a label value of " + (min < 0 ? min : max)
          + " which is outside the valid range of [0, " + classes + ").  Label values: " + all);
    }
    return values;
  }
}
