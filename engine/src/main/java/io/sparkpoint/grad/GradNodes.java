package io.sparkpoint.grad;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.graph.Output;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;

/**
 * Adds the nodes of a gradient function, named as TensorFlow names them inside the current name
 * scope ({@code Shape}, {@code Shape_1}, {@code Sum}, ...). Ops that carry a {@code T} attr take it
 * from their first input.
 */
public final class GradNodes {
  private final Graph graph;

  GradNodes(Graph graph) {
    this.graph = graph;
  }

  public Graph graph() {
    return graph;
  }

  /** A builder for an op named after its type, with its inputs added and no attrs set. */
  public OperationBuilder builder(String type, Output... inputs) {
    OperationBuilder builder = graph.opBuilder(type, type);
    for (Output input : inputs) {
      builder.addInput(input);
    }
    return builder;
  }

  /** An op whose only type attr is {@code T}, the dtype of its first input; returns output 0. */
  public Output op(String type, Output... inputs) {
    return builder(type, inputs).setAttr("T", dtype(inputs[0])).build().output(0);
  }

  /** Like {@link #op} with every output. */
  public Operation opWithOutputs(String type, Output... inputs) {
    return builder(type, inputs).setAttr("T", dtype(inputs[0])).build();
  }

  public Output constant(Tensor value) {
    return graph.constant("Const", value);
  }

  /** A scalar Const of {@code dtype} holding {@code value}. */
  public Output scalar(DType dtype, double value) {
    Tensor tensor = switch (dtype) {
      case FLOAT -> Tensor.scalar((float) value);
      case DOUBLE -> Tensor.ofDoubles(Shape.scalar(), value);
      case INT32 -> Tensor.ofInts(Shape.scalar(), (int) value);
      case INT64 -> Tensor.scalar((long) value);
      default -> throw new IllegalArgumentException("No gradient constant of dtype " + dtype.pythonName());
    };
    return constant(tensor);
  }

  public Output ints(int... values) {
    return constant(Tensor.ofInts(Shape.of(values.length), values));
  }

  /** Shape(x) with {@code out_type}. */
  public Output shape(Output x, DType outType) {
    return builder("Shape", x).setAttr("T", dtype(x)).setAttr("out_type", outType).build().output(0);
  }

  public Output shape(Output x) {
    return shape(x, DType.INT32);
  }

  public Output reshape(Output x, Output shape) {
    return builder("Reshape", x, shape).setAttr("T", dtype(x)).setAttr("Tshape", dtype(shape)).build().output(0);
  }

  /** Sum(x, axes) with keep_dims. */
  public Output sum(Output x, Output axes, boolean keepDims) {
    return builder("Sum", x, axes).setAttr("T", dtype(x)).setAttr("Tidx", dtype(axes)).setAttr("keep_dims", keepDims)
        .build().output(0);
  }

  /** The gradient of a broadcast operand: {@code Reshape(Sum(grad, axes), shape)}. */
  public Output sumTo(Output grad, Output axes, Output shape) {
    return reshape(sum(grad, axes, false), shape);
  }

  /** The two outputs of BroadcastGradientArgs(sx, sy). */
  public Output[] broadcastGradientArgs(Output sx, Output sy) {
    Operation args = builder("BroadcastGradientArgs", sx, sy).setAttr("T", dtype(sx)).build();
    return new Output[] {args.output(0), args.output(1)};
  }

  public Output cast(Output x, DType to) {
    return builder("Cast", x).setAttr("SrcT", dtype(x)).setAttr("DstT", to).build().output(0);
  }

  public Output zerosLike(Output x) {
    return op("ZerosLike", x);
  }

  /** ExpandDims(x, axis) with an int32 axis. */
  public Output expandDims(Output x, int axis) {
    return builder("ExpandDims", x, ints(axis)).setAttr("T", dtype(x)).setAttr("Tdim", DType.INT32).build().output(0);
  }

  /** Range(start, limit, delta) over int32 scalars. */
  public Output range(Output start, Output limit, Output delta) {
    return builder("Range", start, limit, delta).setAttr("Tidx", DType.INT32).build().output(0);
  }

  /** Pack(values) along {@code axis}. */
  public Output pack(int axis, Output... values) {
    return builder("Pack", values).setAttr("T", dtype(values[0])).setAttr("N", values.length).setAttr("axis", axis)
        .build().output(0);
  }

  /** Rank(x), an int32 scalar. */
  public Output rank(Output x) {
    return builder("Rank", x).setAttr("T", dtype(x)).build().output(0);
  }

  /** Size(x) as an int32 scalar. */
  public Output size(Output x) {
    return builder("Size", x).setAttr("T", dtype(x)).setAttr("out_type", DType.INT32).build().output(0);
  }

  /** Transpose(x, perm), Tperm from perm. */
  public Output transpose(Output x, Output perm) {
    return builder("Transpose", x, perm).setAttr("T", dtype(x)).setAttr("Tperm", dtype(perm)).build().output(0);
  }

  /** ConcatV2 of {@code parts} along an int32 {@code axis}. */
  public Output concat(int axis, Output... parts) {
    Output[] inputs = java.util.Arrays.copyOf(parts, parts.length + 1);
    inputs[parts.length] = scalar(DType.INT32, axis);
    return builder("ConcatV2", inputs).setAttr("N", parts.length).setAttr("T", dtype(parts[0])).setAttr("Tidx", DType.INT32)
        .build().output(0);
  }

  /** {@code type} (Select or SelectV2) of condition, then, otherwise. */
  public Output select(String type, Output condition, Output then, Output otherwise) {
    return builder(type, condition, then, otherwise).setAttr("T", dtype(then)).build().output(0);
  }

  /** The attr of the forward op, copied as it is. */
  public static AttrValue attr(Operation op, String name) {
    AttrValue value = op.attr(name);
    if (value == null) {
      throw new IllegalArgumentException("Node '" + op.name() + "' (op " + op.type() + ") has no attr " + name);
    }
    return value;
  }

  /** The dtype of an output; it must be known. */
  public static DType dtype(Output x) {
    DType dtype = x.dtype();
    if (dtype == null) {
      throw new IllegalArgumentException("Cannot take a gradient through " + x.name() + " (op " + x.op().type()
          + "): its dtype is not known");
    }
    return dtype;
  }

  static List<Output> none(int count) {
    return java.util.Collections.nCopies(count, null);
  }
}
