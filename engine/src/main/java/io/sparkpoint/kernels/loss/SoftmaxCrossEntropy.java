package io.sparkpoint.kernels.loss;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.Broadcasting;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * SoftmaxCrossEntropyWithLogits: for each row of [batch, classes] logits and label
 * probabilities (broadcast together to 2-D, as TF 2.x allows), the loss
 * {@code sum_j labels_j * (logsumexp(logits) - logits_j)} and the backprop
 * {@code softmax(logits) - labels}, computed from logits - max as TF does (so a label of 0 on a
 * -inf logit gives a NaN loss, as in TF).
 */
final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {}

  static Kernel kernel(NodeDef node) {
    DTypeRules.checkTypeAttr(node, DTypeRules.FLOATS);
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs(), DTypeRules.FLOATS, "features", "labels");
      Tensor logits = context.input(0);
      Tensor labels = context.input(1);
      Shape shape = logits.shape();
      if (!shape.equals(labels.shape())) {
        long[] dims = Broadcasting.dims(shape.dims(), labels.shape().dims());
        if (dims == null) {
          throw new KernelException("logits and labels must be broadcastable: logits_size=" + logits.shape()
              + " labels_size=" + labels.shape());
        }
        shape = Shape.of(dims);
      }
      if (shape.rank() != 2) {
        throw new KernelException(
            "logits and labels must be either 2-dimensional, or broadcasted to be 2-dimensional");
      }
      int batch = Math.toIntExact(shape.dim(0));
      int classes = Math.toIntExact(shape.dim(1));
      int[] logitIndex = Broadcasting.sourceIndex(logits.shape().dims(), shape.dims());
      int[] labelIndex = Broadcasting.sourceIndex(labels.shape().dims(), shape.dims());
      ByteBuffer loss = Numbers.allocate(type, batch);
      ByteBuffer backprop = Numbers.allocate(type, shape.numElements());
      double[] row = new double[classes];
      double[] label = new double[classes];
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < classes; j++) {
          row[j] = logits.doubleAt(logitIndex[b * classes + j]);
          label[j] = labels.doubleAt(labelIndex[b * classes + j]);
        }
        ShiftedRow shifted = ShiftedRow.of(row, type);
        double sum = 0;
        for (int j = 0; j < classes; j++) {
          sum += label[j] * (shifted.logSumExp() - shifted.shifted()[j]);
          Numbers.putDouble(backprop, type, shifted.probability(j) - label[j]);
        }
        Numbers.putDouble(loss, type, sum);
      }
      return List.of(Numbers.tensor(type, Shape.of(batch), loss), Numbers.tensor(type, shape, backprop));
    };
  }
}
