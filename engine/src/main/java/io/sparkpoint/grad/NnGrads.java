package io.sparkpoint.grad;

import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import java.util.Arrays;
import java.util.List;

/** Gradients of the nn ops: activations, BiasAdd, softmax, the losses, Conv2D and pooling. */
final class NnGrads {
  private NnGrads() {}

  static void register(GradRegistry registry) {
    registry.register("BiasAdd", (nodes, op, grads) -> List.of(grads.get(0),
        copy(nodes.builder("BiasAddGrad", grads.get(0)), op, "T", "data_format").build().output(0)));
    registry.register("Relu", (nodes, op, grads) -> List.of(nodes.op("ReluGrad", grads.get(0), op.output(0))));
    registry.register("Relu6", (nodes, op, grads) -> List.of(nodes.op("Relu6Grad", grads.get(0), op.inputs().get(0))));
    registry.register("Elu", (nodes, op, grads) -> List.of(nodes.op("EluGrad", grads.get(0), op.output(0))));
    registry.register("Sigmoid", (nodes, op, grads) -> List.of(nodes.op("SigmoidGrad", op.output(0), grads.get(0))));
    registry.register("Tanh", (nodes, op, grads) -> List.of(nodes.op("TanhGrad", op.output(0), grads.get(0))));
    registry.register("Softmax", NnGrads::softmax);
    registry.register("LogSoftmax", NnGrads::logSoftmax);
    registry.register("SoftmaxCrossEntropyWithLogits", NnGrads::softmaxCrossEntropy);
    registry.register("SparseSoftmaxCrossEntropyWithLogits", (nodes, op, grads) ->
        Arrays.asList(nodes.op("Mul", nodes.expandDims(grads.get(0), -1), op.output(1)), null));
    registry.register("L2Loss", (nodes, op, grads) -> List.of(nodes.op("Mul", op.inputs().get(0), grads.get(0))));
    registry.register("Conv2D", NnGrads::conv2d);
    registry.register("MaxPool", (nodes, op, grads) -> List.of(copy(
        nodes.builder("MaxPoolGrad", op.inputs().get(0), op.output(0), grads.get(0)), op,
        "T", "ksize", "strides", "padding", "explicit_paddings", "data_format").build().output(0)));
    registry.register("AvgPool", (nodes, op, grads) -> List.of(copy(
        nodes.builder("AvgPoolGrad", nodes.shape(op.inputs().get(0)), grads.get(0)), op,
        "T", "ksize", "strides", "padding", "data_format").build().output(0)));
  }

  /** Copies the forward op's attrs that it has. */
  static OperationBuilder copy(OperationBuilder builder, Operation op, String... names) {
    for (String name : names) {
      if (op.attr(name) != null) {
        builder.setAttr(name, op.attr(name));
      }
    }
    return builder;
  }

  private static Output sumLastAxisKept(GradNodes nodes, Output x) {
    return nodes.sum(x, nodes.ints(-1), true);
  }

  /** (g - sum(g·softmax, -1)) · softmax. */
  private static List<Output> softmax(GradNodes nodes, Operation op, List<Output> grads) {
    Output softmax = op.output(0);
    Output grad = grads.get(0);
    Output channels = sumLastAxisKept(nodes, nodes.op("Mul", grad, softmax));
    return List.of(nodes.op("Mul", nodes.op("Sub", grad, channels), softmax));
  }

  /** g - sum(g, -1)·exp(logsoftmax). */
  private static List<Output> logSoftmax(GradNodes nodes, Operation op, List<Output> grads) {
    Output grad = grads.get(0);
    Output softmax = nodes.op("Exp", op.output(0));
    return List.of(nodes.op("Sub", grad, nodes.op("Mul", sumLastAxisKept(nodes, grad), softmax)));
  }

  /**
   * logits: the loss gradient times the op's backprop output; labels: times -log_softmax(logits).
   * A gradient reaching the backprop output itself adds its second-order term.
   */
  private static List<Output> softmaxCrossEntropy(GradNodes nodes, Operation op, List<Output> grads) {
    Output lossGrad = nodes.expandDims(grads.get(0), -1);
    Output logits = op.inputs().get(0);
    Output logitsGrad = nodes.op("Mul", lossGrad, op.output(1));
    Output backpropGrad = grads.get(1);
    if (backpropGrad != null) {
      Output softmax = nodes.op("Softmax", logits);
      Output rowDot = nodes.builder("BatchMatMulV2", nodes.expandDims(backpropGrad, 1), nodes.expandDims(softmax, 2))
          .setAttr("T", GradNodes.dtype(softmax)).build().output(0);
      Output squeezed = nodes.builder("Squeeze", rowDot).setAttr("T", GradNodes.dtype(softmax))
          .setAttr("squeeze_dims", io.sparkpoint.proto.AttrValue.newBuilder()
              .setList(io.sparkpoint.proto.AttrValue.ListValue.newBuilder().addI(1)).build())
          .build().output(0);
      logitsGrad = nodes.op("AddV2", logitsGrad, nodes.op("Mul", nodes.op("Sub", backpropGrad, squeezed), softmax));
    }
    Output labelsGrad = nodes.op("Mul", lossGrad, nodes.op("Neg", nodes.op("LogSoftmax", logits)));
    return List.of(logitsGrad, labelsGrad);
  }

  private static List<Output> conv2d(GradNodes nodes, Operation op, List<Output> grads) {
    Output input = op.inputs().get(0);
    Output filter = op.inputs().get(1);
    Operation shapes = nodes.builder("ShapeN", input, filter).setAttr("N", 2).setAttr("T", GradNodes.dtype(input))
        .setAttr("out_type", DType.INT32).build();
    String[] attrs = {"T", "strides", "padding", "explicit_paddings", "use_cudnn_on_gpu", "data_format", "dilations"};
    Output inputGrad = copy(nodes.builder("Conv2DBackpropInput", shapes.output(0), filter, grads.get(0)), op, attrs)
        .build().output(0);
    Output filterGrad = copy(nodes.builder("Conv2DBackpropFilter", input, shapes.output(1), grads.get(0)), op, attrs)
        .build().output(0);
    return List.of(inputGrad, filterGrad);
  }
}
