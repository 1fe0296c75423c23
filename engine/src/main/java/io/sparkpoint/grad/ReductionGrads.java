package io.sparkpoint.grad;

import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import java.util.Arrays;
import java.util.List;

/** Gradients of Sum, Mean, Max and Min: the gradient broadcast back over the reduced axes. */
final class ReductionGrads {
  private ReductionGrads() {}

  static void register(GradRegistry registry) {
    registry.register("Sum", (nodes, op, grads) -> Arrays.asList(sumGrad(nodes, op, grads.get(0)), null));
    registry.register("Mean", ReductionGrads::mean);
    registry.register("Max", ReductionGrads::maxMin);
    registry.register("Min", ReductionGrads::maxMin);
    registry.register("Prod", ReductionGrads::prod);
  }

  /**
   * The input's shape with every reduced axis set to 1 ({@code math_ops.reduced_shape}): a
   * DynamicStitch of {@code Range(rank)} with the axes (made non-negative with FloorMod) over
   * {@code [shape, Fill(Shape(axes), 1)]}.
   */
  static Output keptDims(GradNodes nodes, Output inputShape, Output axes) {
    Output indices = GradNodes.dtype(axes) == DType.INT32 ? axes : nodes.cast(axes, DType.INT32);
    Output rank = nodes.size(inputShape);
    Output nonNegative = nodes.op("FloorMod", nodes.op("AddV2", indices, rank), rank);
    Output ones = nodes.builder("Fill", nodes.shape(nonNegative), nodes.scalar(DType.INT32, 1)).setAttr("T", DType.INT32)
        .setAttr("index_type", DType.INT32).build().output(0);
    Output all = nodes.range(nodes.scalar(DType.INT32, 0), rank, nodes.scalar(DType.INT32, 1));
    return nodes.builder("DynamicStitch", all, nonNegative, inputShape, ones).setAttr("N", 2).setAttr("T", DType.INT32)
        .build().output(0);
  }

  /** The gradient reshaped to the kept-dims shape and broadcast to the input's shape. */
  private static Output sumGrad(GradNodes nodes, Operation op, Output grad) {
    Output inputShape = nodes.shape(op.inputs().get(0));
    Output kept = grad;
    if (!GradNodes.attr(op, "keep_dims").getB()) {
      kept = nodes.reshape(grad, keptDims(nodes, inputShape, op.inputs().get(1)));
    }
    return nodes.builder("BroadcastTo", kept, inputShape).setAttr("T", GradNodes.dtype(grad)).setAttr("Tidx", DType.INT32)
        .build().output(0);
  }

  /** Sum's gradient divided by the number of elements each output averaged. */
  private static List<Output> mean(GradNodes nodes, Operation op, List<Output> grads) {
    Output sumGrad = sumGrad(nodes, op, grads.get(0));
    Output inputSize = prod(nodes, nodes.shape(op.inputs().get(0)));
    Output outputSize = prod(nodes, nodes.shape(op.output(0)));
    Output factor = nodes.op("FloorDiv", inputSize, nodes.op("Maximum", outputSize, nodes.scalar(DType.INT32, 1)));
    return Arrays.asList(nodes.op("RealDiv", sumGrad, nodes.cast(factor, GradNodes.dtype(sumGrad))), null);
  }

  private static Output prod(GradNodes nodes, Output shape) {
    return nodes.builder("Prod", shape, nodes.ints(0)).setAttr("T", DType.INT32).setAttr("Tidx", DType.INT32).build().output(0);
  }

  /**
   * The product of all the other elements of each reduced group, without dividing (zeros stay
   * exact): the reduced axes are moved to the front and flattened into one, and each element's
   * exclusive Cumprod from the left times its exclusive Cumprod from the right is that product.
   */
  private static List<Output> prod(GradNodes nodes, Operation op, List<Output> grads) {
    Output x = op.inputs().get(0);
    Output axes = op.inputs().get(1);
    Output indices = nodes.reshape(GradNodes.dtype(axes) == DType.INT32 ? axes : nodes.cast(axes, DType.INT32), nodes.ints(-1));
    Output inputShape = nodes.shape(x);
    Output grad = grads.get(0);
    if (!GradNodes.attr(op, "keep_dims").getB()) {
      grad = nodes.reshape(grad, keptDims(nodes, inputShape, indices));
    }
    grad = nodes.builder("BroadcastTo", grad, inputShape).setAttr("T", GradNodes.dtype(grad)).setAttr("Tidx", DType.INT32)
        .build().output(0);
    Output rank = nodes.rank(x);
    Output reduced = nodes.op("FloorMod", nodes.op("AddV2", indices, rank), rank);
    Output all = nodes.range(nodes.scalar(DType.INT32, 0), rank, nodes.scalar(DType.INT32, 1));
    Output other = nodes.builder("ListDiff", all, reduced).setAttr("T", DType.INT32).setAttr("out_idx", DType.INT32).build().output(0);
    Output perm = nodes.concat(0, reduced, other);
    Output reducedCount = prod(nodes, gather(nodes, inputShape, reduced));
    Output otherCount = prod(nodes, gather(nodes, inputShape, other));
    Output permuted = nodes.transpose(x, perm);
    Output permutedShape = nodes.shape(permuted);
    Output matrix = nodes.reshape(permuted, nodes.pack(0, reducedCount, otherCount));
    Output left = cumprod(nodes, matrix, false);
    Output right = cumprod(nodes, matrix, true);
    Output others = nodes.reshape(nodes.op("Mul", left, right), permutedShape);
    Output back = nodes.transpose(others, nodes.op("InvertPermutation", perm));
    return Arrays.asList(nodes.reshape(nodes.op("Mul", grad, back), inputShape), null);
  }

  private static Output gather(GradNodes nodes, Output params, Output indices) {
    return nodes.builder("GatherV2", params, indices, nodes.scalar(DType.INT32, 0)).setAttr("Tparams", DType.INT32)
        .setAttr("Tindices", DType.INT32).setAttr("Taxis", DType.INT32).build().output(0);
  }

  private static Output cumprod(GradNodes nodes, Output x, boolean reverse) {
    return nodes.builder("Cumprod", x, nodes.scalar(DType.INT32, 0)).setAttr("T", GradNodes.dtype(x)).setAttr("Tidx", DType.INT32)
        .setAttr("exclusive", true).setAttr("reverse", reverse).build().output(0);
  }

  /** The gradient shared equally among the inputs equal to the extreme, as TensorFlow does. */
  private static List<Output> maxMin(GradNodes nodes, Operation op, List<Output> grads) {
    Output x = op.inputs().get(0);
    Output y = op.output(0);
    Output grad = grads.get(0);
    Output inputShape = nodes.shape(x);
    Output kept = keptDims(nodes, inputShape, op.inputs().get(1));
    if (!GradNodes.attr(op, "keep_dims").getB()) {
      y = nodes.reshape(y, kept);
      grad = nodes.reshape(grad, kept);
    }
    Output indicators = nodes.cast(nodes.op("Equal", y, x), GradNodes.dtype(grad));
    Output selected = nodes.reshape(nodes.sum(indicators, op.inputs().get(1), false), kept);
    return Arrays.asList(nodes.op("Mul", nodes.op("RealDiv", indicators, selected), grad), null);
  }
}
