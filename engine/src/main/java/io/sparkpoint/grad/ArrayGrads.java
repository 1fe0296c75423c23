package io.sparkpoint.grad;

import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorProtos;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Gradients of the plumbing and array ops: the gradient moved, reshaped, sliced or summed back. */
final class ArrayGrads {
  private static final Set<DType> FLOATS = Set.of(DType.HALF, DType.BFLOAT16, DType.FLOAT, DType.DOUBLE);

  private ArrayGrads() {}

  static void register(GradRegistry registry) {
    GradFunction pass = (nodes, op, grads) -> List.of(grads.get(0));
    registry.register("Identity", pass);
    registry.register("Snapshot", pass);
    registry.register("ReadVariableOp", pass);
    registry.register("PlaceholderWithDefault", pass);
    registry.register("IdentityN", (nodes, op, grads) -> grads);
    registry.register("PreventGradient", (nodes, op, grads) -> {
      throw new IllegalArgumentException("Gradient explicitly disabled. Reason: " + GradNodes.attr(op, "message").getS().toStringUtf8());
    });
    registry.register("Reshape", ArrayGrads::backToInputShape);
    registry.register("ExpandDims", ArrayGrads::backToInputShape);
    registry.register("Squeeze", ArrayGrads::backToInputShape);
    registry.register("Transpose", (nodes, op, grads) -> {
      Output perm = op.inputs().get(1);
      Output inverse = nodes.op("InvertPermutation", perm);
      return Arrays.asList(nodes.transpose(grads.get(0), inverse), null);
    });
    registry.register("ConcatV2", ArrayGrads::concat);
    registry.register("Pack", (nodes, op, grads) -> {
      Operation unpack = nodes.builder("Unpack", grads.get(0)).setAttr("T", GradNodes.dtype(grads.get(0)))
          .setAttr("num", GradNodes.attr(op, "N")).setAttr("axis", GradNodes.attr(op, "axis")).build();
      List<Output> out = new ArrayList<>();
      for (int i = 0; i < op.inputs().size(); i++) {
        out.add(unpack.output(i));
      }
      return out;
    });
    registry.register("Unpack", ArrayGrads::unpack);
    registry.register("Slice", ArrayGrads::slice);
    registry.register("StridedSlice", ArrayGrads::stridedSlice);
    registry.register("Tile", ArrayGrads::tile);
    registry.register("Fill", (nodes, op, grads) -> {
      Output grad = grads.get(0);
      Output rank = nodes.rank(grad);
      Output all = nodes.range(nodes.scalar(DType.INT32, 0), rank, nodes.scalar(DType.INT32, 1));
      return Arrays.asList(null, nodes.sum(grad, all, false));
    });
    registry.register("Cast", (nodes, op, grads) -> {
      DType src = DType.fromNumber(GradNodes.attr(op, "SrcT").getTypeValue());
      DType dst = DType.fromNumber(GradNodes.attr(op, "DstT").getTypeValue());
      return Arrays.asList(FLOATS.contains(src) && FLOATS.contains(dst) ? nodes.cast(grads.get(0), src) : null);
    });
    registry.register("Select", (nodes, op, grads) -> {
      Output condition = op.inputs().get(0);
      Output zeros = nodes.zerosLike(op.inputs().get(1));
      Output grad = grads.get(0);
      return Arrays.asList(null, nodes.select("Select", condition, grad, zeros), nodes.select("Select", condition, zeros, grad));
    });
    registry.register("SelectV2", ArrayGrads::selectV2);
    registry.register("GatherV2", ArrayGrads::gather);
    registry.register("Pad", ArrayGrads::pad);
    registry.register("BroadcastTo", (nodes, op, grads) -> {
      Output shape = op.inputs().get(1);
      Output inputShape = nodes.shape(op.inputs().get(0), GradNodes.dtype(shape));
      Output axes = nodes.broadcastGradientArgs(inputShape, shape)[0];
      return Arrays.asList(nodes.reshape(nodes.sum(grads.get(0), axes, true), inputShape), null);
    });
  }

  private static List<Output> backToInputShape(GradNodes nodes, Operation op, List<Output> grads) {
    List<Output> out = new ArrayList<>(Arrays.asList(new Output[op.inputs().size()]));
    out.set(0, nodes.reshape(grads.get(0), nodes.shape(op.inputs().get(0))));
    return out;
  }

  /** Each input's part of the gradient, sliced at its ConcatOffset. */
  private static List<Output> concat(GradNodes nodes, Operation op, List<Output> grads) {
    int n = op.inputs().size() - 1;
    Output[] values = op.inputs().subList(0, n).toArray(Output[]::new);
    Output axis = op.inputs().get(n);
    Output axis32 = GradNodes.dtype(axis) == DType.INT32 ? axis : nodes.cast(axis, DType.INT32);
    Output rank = nodes.rank(values[0]);
    Output dim = nodes.op("FloorMod", axis32, rank);
    Operation shapes = nodes.builder("ShapeN", values).setAttr("N", n).setAttr("T", GradNodes.dtype(values[0]))
        .setAttr("out_type", DType.INT32).build();
    Output[] offsetInputs = new Output[n + 1];
    offsetInputs[0] = dim;
    for (int i = 0; i < n; i++) {
      offsetInputs[i + 1] = shapes.output(i);
    }
    Operation offsets = nodes.builder("ConcatOffset", offsetInputs).setAttr("N", n).build();
    List<Output> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(slice(nodes, grads.get(0), offsets.output(i), shapes.output(i)));
    }
    out.add(null);
    return out;
  }

  private static Output slice(GradNodes nodes, Output x, Output begin, Output size) {
    return nodes.builder("Slice", x, begin, size).setAttr("T", GradNodes.dtype(x)).setAttr("Index", GradNodes.dtype(begin))
        .build().output(0);
  }

  private static List<Output> unpack(GradNodes nodes, Operation op, List<Output> grads) {
    Output[] parts = new Output[grads.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = grads.get(i) != null ? grads.get(i) : nodes.zerosLike(op.output(i));
    }
    Output packed = nodes.builder("Pack", parts).setAttr("T", GradNodes.dtype(parts[0])).setAttr("N", parts.length)
        .setAttr("axis", GradNodes.attr(op, "axis")).build().output(0);
    return List.of(packed);
  }

  /** The gradient padded back to the input's shape: before = begin, after = shape - size - begin. */
  private static List<Output> slice(GradNodes nodes, Operation op, List<Output> grads) {
    Output x = op.inputs().get(0);
    Output begin = op.inputs().get(1);
    DType index = GradNodes.dtype(begin);
    Output rank = nodes.rank(x);
    Output column = nodes.pack(0, rank, nodes.scalar(DType.INT32, 1));
    Output before = nodes.reshape(begin, column);
    Output remaining = nodes.op("Sub", nodes.op("Sub", nodes.shape(x, index), nodes.shape(op.output(0), index)), begin);
    Output after = nodes.reshape(remaining, column);
    Output paddings = nodes.concat(1, before, after);
    Output padded = nodes.builder("Pad", grads.get(0), paddings).setAttr("T", GradNodes.dtype(grads.get(0)))
        .setAttr("Tpaddings", index).build().output(0);
    return Arrays.asList(padded, null, null);
  }

  private static List<Output> stridedSlice(GradNodes nodes, Operation op, List<Output> grads) {
    List<Output> in = op.inputs();
    DType index = GradNodes.dtype(in.get(1));
    Output grad = NnGrads.copy(nodes.builder("StridedSliceGrad", nodes.shape(in.get(0), index), in.get(1), in.get(2), in.get(3),
        grads.get(0)), op, "T", "Index", "begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")
        .build().output(0);
    return Arrays.asList(grad, null, null, null);
  }

  /** The gradient reshaped to [m0, d0, m1, d1, ...] and summed over the multiple axes. */
  private static List<Output> tile(GradNodes nodes, Operation op, List<Output> grads) {
    Output multiples = op.inputs().get(1);
    DType index = GradNodes.dtype(multiples);
    Output inputShape = nodes.shape(op.inputs().get(0), index);
    Output stacked = nodes.pack(0, multiples, inputShape);
    Output interleaved = nodes.transpose(stacked, nodes.ints(1, 0));
    Output splitShape = nodes.reshape(interleaved, nodes.ints(-1));
    Output size = nodes.size(splitShape);
    Output axes = nodes.range(nodes.scalar(DType.INT32, 0), size, nodes.scalar(DType.INT32, 2));
    return Arrays.asList(nodes.sum(nodes.reshape(grads.get(0), splitShape), axes, false), null);
  }

  /** Each branch's gradient where the condition picked it, summed back over broadcast axes. */
  private static List<Output> selectV2(GradNodes nodes, Operation op, List<Output> grads) {
    Output condition = op.inputs().get(0);
    Output grad = grads.get(0);
    Output zero = nodes.scalar(GradNodes.dtype(grad), 0);
    Output outputShape = nodes.shape(op.output(0));
    List<Output> out = new ArrayList<>();
    out.add(null);
    for (int branch = 1; branch <= 2; branch++) {
      Output picked = branch == 1 ? nodes.select("SelectV2", condition, grad, zero) : nodes.select("SelectV2", condition, zero, grad);
      Output shape = nodes.shape(op.inputs().get(branch));
      Output axes = nodes.broadcastGradientArgs(shape, outputShape)[0];
      out.add(nodes.reshape(nodes.sum(picked, axes, true), shape));
    }
    return out;
  }

  /**
   * The gradient rows added into the rows of params they came from, with UnsortedSegmentSum
   * (TensorFlow makes the same sum from its IndexedSlices): along axis 0 directly; along another
   * axis, the gathered axis is moved to the front first and moved back after.
   */
  private static List<Output> gather(GradNodes nodes, Operation op, List<Output> grads) {
    Output params = op.inputs().get(0);
    Output indices = op.inputs().get(1);
    Output axisInput = op.inputs().get(2);
    long batchDims = op.attr("batch_dims") == null ? 0 : op.attr("batch_dims").getI();
    if (batchDims != 0) {
      throw new IllegalArgumentException("The gradient of GatherV2 is only supported with batch_dims 0 (node " + op.name() + ")");
    }
    Output paramsShape = nodes.shape(params);
    Output size = nodes.expandDims(nodes.size(indices), 0);
    Output flatIndices = nodes.reshape(indices, size);
    Tensor constantAxis = constantValue(axisInput);
    if (constantAxis != null && constantAxis.longAt(0) == 0) {
      Output rows = slice1(nodes, paramsShape, 0, 1, true);
      Output valuesShape = nodes.concat(0, size, slice1(nodes, paramsShape, 1, 0, false));
      Output dense = segmentSum(nodes, nodes.reshape(grads.get(0), valuesShape), flatIndices, rows);
      return Arrays.asList(dense, null, null);
    }
    // values [outer..., n, inner...] → [n, outer..., inner...], summed into [params_shape[axis], outer..., inner...], moved back
    Output rank = nodes.rank(params);
    Output axis32 = GradNodes.dtype(axisInput) == DType.INT32 ? axisInput : nodes.cast(axisInput, DType.INT32);
    Output axis = nodes.op("FloorMod", axis32, rank);
    Output axisPlusOne = nodes.op("AddV2", axis, nodes.scalar(DType.INT32, 1));
    Output outer = stridedSlice(nodes, paramsShape, nodes.expandDims(nodes.scalar(DType.INT32, 0), 0), nodes.expandDims(axis, 0));
    Output inner = stridedSlice(nodes, paramsShape, nodes.expandDims(axisPlusOne, 0), nodes.expandDims(rank, 0));
    Output valuesShape = nodes.concat(0, outer, size, inner);
    Output values = nodes.reshape(grads.get(0), valuesShape);
    Output one = nodes.scalar(DType.INT32, 1);
    Output axisVector = nodes.expandDims(axis, 0);
    Output before = nodes.range(nodes.scalar(DType.INT32, 0), axis, one);
    Output after = nodes.range(axisPlusOne, rank, one);
    Output toFront = nodes.concat(0, axisVector, before, after);
    Output rows = nodes.builder("GatherV2", paramsShape, axis, nodes.scalar(DType.INT32, 0)).setAttr("Tparams", DType.INT32)
        .setAttr("Tindices", DType.INT32).setAttr("Taxis", DType.INT32).build().output(0);
    Output summed = segmentSum(nodes, nodes.transpose(values, toFront), flatIndices, rows);
    Output back = nodes.concat(0, nodes.op("AddV2", before, one), nodes.expandDims(nodes.scalar(DType.INT32, 0), 0), after);
    return Arrays.asList(nodes.transpose(summed, back), null, null);
  }

  private static Output slice1(GradNodes nodes, Output vector, int begin, int end, boolean shrink) {
    var builder = nodes.builder("StridedSlice", vector, nodes.ints(begin), nodes.ints(end), nodes.ints(1)).setAttr("T", DType.INT32)
        .setAttr("Index", DType.INT32);
    return (shrink ? builder.setAttr("shrink_axis_mask", 1L) : builder.setAttr("end_mask", 1L)).build().output(0);
  }

  private static Output stridedSlice(GradNodes nodes, Output vector, Output begin, Output end) {
    return nodes.builder("StridedSlice", vector, begin, end, nodes.ints(1)).setAttr("T", DType.INT32).setAttr("Index", DType.INT32)
        .build().output(0);
  }

  private static Output segmentSum(GradNodes nodes, Output values, Output ids, Output count) {
    return nodes.builder("UnsortedSegmentSum", values, ids, count).setAttr("T", GradNodes.dtype(values))
        .setAttr("Tindices", GradNodes.dtype(ids)).setAttr("Tnumsegments", DType.INT32).build().output(0);
  }

  /** The gradient sliced back out of the padding: begin = paddings[:, 0], size = Shape(x). */
  private static List<Output> pad(GradNodes nodes, Operation op, List<Output> grads) {
    Output x = op.inputs().get(0);
    Output paddings = op.inputs().get(1);
    Output paddings32 = GradNodes.dtype(paddings) == DType.INT32 ? paddings : nodes.cast(paddings, DType.INT32);
    Output rank = nodes.rank(x);
    Output before = slice(nodes, paddings32, nodes.ints(0, 0), nodes.pack(0, rank, nodes.scalar(DType.INT32, 1)));
    Output begin = nodes.reshape(before, nodes.ints(-1));
    return Arrays.asList(slice(nodes, grads.get(0), begin, nodes.shape(x)), null);
  }

  /** The value of a Const output, or null for any other op. */
  static Tensor constantValue(Output output) {
    if (!output.op().type().equals("Const")) {
      return null;
    }
    AttrValue value = output.op().attr("value");
    return value == null ? null : TensorProtos.fromProto(value.getTensor());
  }
}
