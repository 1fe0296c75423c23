package io.sparkpoint.kernels.array;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.IndexTensors;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** ConcatV2, Pack, Unpack and Tile, on the elements' bytes. */
final class JoinKernels {
  private JoinKernels() {}

  static Kernel concat(NodeDef node) {
    return context -> {
      List<Tensor> inputs = context.inputs();
      if (inputs.size() < 3) {
        throw new KernelException("ConcatV2 needs at least 2 values and an axis, got " + inputs.size() + " inputs");
      }
      List<Tensor> values = inputs.subList(0, inputs.size() - 1);
      Tensor axisTensor = inputs.get(inputs.size() - 1);
      if (!axisTensor.shape().isScalar()) {
        throw new KernelException("Concat dim tensor should be a scalar integer, but got shape " + axisTensor.shape());
      }
      requireSameType(node, values);
      long axisValue = IndexTensors.values(node, axisTensor, "axis")[0];
      Shape first = values.get(0).shape();
      int rank = first.rank();
      if (rank == 0) {
        throw new KernelException("ConcatOp : Can't concatenate scalars (use tf.stack instead)");
      }
      if (axisValue < -rank || axisValue >= rank) {
        throw new KernelException("ConcatOp : Expected concatenating dimensions in the range [" + -rank + ", " + rank
            + "), but got " + axisValue);
      }
      int axis = (int) (axisValue < 0 ? axisValue + rank : axisValue);
      long[] dims = first.dims();
      for (int i = 1; i < values.size(); i++) {
        Shape shape = values.get(i).shape();
        if (shape.rank() != rank) {
          throw new KernelException("ConcatOp : Ranks of all input tensors should match: shape[0] = " + first
              + " vs. shape[" + i + "] = " + shape);
        }
        for (int d = 0; d < rank; d++) {
          if (d != axis && shape.dim(d) != first.dim(d)) {
            throw new KernelException("ConcatOp : Dimension " + d + " in both shapes must be equal: shape[0] = "
                + first + " vs. shape[" + i + "] = " + shape);
          }
        }
        dims[axis] += shape.dim(axis);
      }
      return List.of(Elements.concat(values, Shape.of(dims), outer(first.dims(), axis)));
    };
  }

  static Kernel pack(NodeDef node) {
    long axisAttr = NodeAttrs.integer(node, "axis", 0);
    return context -> {
      List<Tensor> values = context.inputs();
      requireSameType(node, values);
      Shape first = values.get(0).shape();
      for (int i = 1; i < values.size(); i++) {
        if (!values.get(i).shape().equals(first)) {
          throw new KernelException("Shapes of all inputs must match: values[0].shape = " + first + " != values["
              + i + "].shape = " + values.get(i).shape());
        }
      }
      int outRank = first.rank() + 1;
      int axis = axis(axisAttr, outRank);
      long[] expanded = insert(first.dims(), axis, 1);
      List<Tensor> parts = new ArrayList<>();
      for (Tensor value : values) {
        parts.add(Elements.reshape(value, Shape.of(expanded)));
      }
      long[] dims = insert(first.dims(), axis, values.size());
      return List.of(Elements.concat(parts, Shape.of(dims), outer(expanded, axis)));
    };
  }

  static Kernel unpack(NodeDef node) {
    long num = NodeAttrs.integer(node, "num", -1);
    long axisAttr = NodeAttrs.integer(node, "axis", 0);
    return context -> {
      Tensor value = context.input(0);
      Elements.requireMovable(node, value.dtype());
      long[] dims = value.shape().dims();
      int axis = axis(axisAttr, dims.length);
      if (num >= 0 && dims[axis] != num) {
        throw new KernelException("Input shape axis " + axis + " must equal " + num + ", got shape " + value.shape());
      }
      long[] outDims = new long[dims.length - 1];
      for (int d = 0, o = 0; d < dims.length; d++) {
        if (d != axis) {
          outDims[o++] = dims[d];
        }
      }
      int[] axes = Elements.identityAxes(dims.length);
      long[] stride = new long[dims.length];
      java.util.Arrays.fill(stride, 1);
      List<Tensor> outputs = new ArrayList<>();
      for (long i = 0; i < dims[axis]; i++) {
        long[] begin = new long[dims.length];
        begin[axis] = i;
        long[] size = dims.clone();
        size[axis] = 1;
        int[] index = Elements.strided(dims, axes, begin, stride, size);
        outputs.add(Elements.gather(value, Shape.of(outDims), index));
      }
      return outputs;
    };
  }

  static Kernel tile(NodeDef node) {
    return context -> {
      Tensor input = context.input(0);
      Elements.requireMovable(node, input.dtype());
      long[] dims = input.shape().dims();
      Tensor multiplesTensor = context.input(1);
      if (multiplesTensor.shape().rank() != 1 || multiplesTensor.numElements() != dims.length) {
        throw new KernelException("Expected multiples argument to be a vector of length " + dims.length
            + " but got length " + (multiplesTensor.shape().rank() == 1 ? multiplesTensor.numElements()
            : multiplesTensor.shape().toString()));
      }
      long[] multiples = IndexTensors.values(node, multiplesTensor, "multiples");
      long[] outDims = new long[dims.length];
      for (int d = 0; d < dims.length; d++) {
        if (multiples[d] < 0) {
          throw new KernelException("Expected multiples[" + d + "] >= 0, but got " + multiples[d]);
        }
        outDims[d] = Math.multiplyExact(dims[d], multiples[d]);
      }
      Shape out = Shape.of(outDims);
      long[] steps = Elements.rowMajorSteps(dims);
      long[] outSteps = Elements.rowMajorSteps(outDims);
      int[] index = new int[Math.toIntExact(out.numElements())];
      for (int i = 0; i < index.length; i++) {
        long source = 0;
        for (int d = 0; d < dims.length; d++) {
          source += ((i / outSteps[d]) % outDims[d] % dims[d]) * steps[d];
        }
        index[i] = Math.toIntExact(source);
      }
      return List.of(Elements.gather(input, out, index));
    };
  }

  /** An axis attr in [-rank, rank). */
  private static int axis(long axis, int rank) {
    if (axis < -rank || axis >= rank) {
      throw new KernelException("axis = " + axis + " not in [" + -rank + ", " + rank + ")");
    }
    return (int) (axis < 0 ? axis + rank : axis);
  }

  private static long outer(long[] dims, int axis) {
    long outer = 1;
    for (int d = 0; d < axis; d++) {
      outer *= dims[d];
    }
    return outer;
  }

  private static long[] insert(long[] dims, int axis, long value) {
    long[] out = new long[dims.length + 1];
    for (int d = 0, i = 0; d < out.length; d++) {
      out[d] = d == axis ? value : dims[i++];
    }
    return out;
  }

  /** TF: "Tensors in list passed to 'values' of 'ConcatV2' Op have types [float32, int32] that don't all match." */
  private static void requireSameType(NodeDef node, List<Tensor> values) {
    DType type = values.get(0).dtype();
    if (values.stream().anyMatch(v -> v.dtype() != type)) {
      String types = values.stream().map(v -> v.dtype().pythonName()).collect(Collectors.joining(", "));
      throw new KernelException("Tensors in list passed to 'values' of '" + node.getOp() + "' Op have types ["
          + types + "] that don't all match.");
    }
    Elements.requireMovable(node, type);
  }
}
