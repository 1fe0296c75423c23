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
import java.util.Arrays;
import java.util.List;

/** Reshape, Shape, Size, Rank, ExpandDims, Squeeze, Fill and ZerosLike: shape changes that keep the bytes. */
final class ShapeKernels {
  private ShapeKernels() {}

  static Kernel reshape(NodeDef node) {
    return context -> {
      Tensor tensor = context.input(0);
      Elements.requireMovable(node, tensor.dtype());
      long[] requested = IndexTensors.vector(node, context.input(1), "shape");
      return List.of(Elements.reshape(tensor, Shape.of(inferReshape(tensor.shape().dims(), requested))));
    };
  }

  /**
   * TF's Reshape shape rules: at most one -1, inferred from the element count. When the requested
   * shape has a 0, the input's zero dimensions are left out of the count the -1 is inferred from, so
   * [0,3] reshaped to [0,-1] gives [0,3] and to [2,0,-1] gives [2,0,1], as in TensorFlow.
   */
  static long[] inferReshape(long[] inputDims, long[] requested) {
    long[] dims = requested.clone();
    int unknown = -1;
    long product = 1; // of the requested sizes other than -1 and 0
    boolean requestsZero = false;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] == -1) {
        if (unknown >= 0) {
          throw new KernelException("Only one input size may be -1, not both " + unknown + " and " + i);
        }
        unknown = i;
      } else if (dims[i] < 0) {
        throw new KernelException("Size " + i + " must be non-negative, not " + dims[i]);
      } else if (dims[i] == 0) {
        requestsZero = true;
      } else {
        product = Math.multiplyExact(product, dims[i]);
      }
    }
    long count = Shape.of(inputDims).numElements();
    if (unknown >= 0) {
      long counted = 1;
      boolean skippedZero = false;
      for (long d : inputDims) {
        if (d > 0 || !requestsZero) {
          counted *= d;
        } else {
          skippedZero = true;
        }
      }
      long missing = counted / product;
      if (!skippedZero && missing * product != counted) {
        throw new KernelException("Input to reshape is a tensor with " + counted
            + " values, but the requested shape requires a multiple of " + product);
      }
      dims[unknown] = missing;
    }
    long total = Shape.of(dims).numElements();
    if (total != count) {
      throw new KernelException("Input to reshape is a tensor with " + count
          + " values, but the requested shape has " + total);
    }
    return dims;
  }

  static Kernel shape(NodeDef node) {
    DType outType = indexOutType(node, "out_type");
    return context -> List.of(indexTensor(outType, context.input(0).shape().dims()));
  }

  static Kernel size(NodeDef node) {
    DType outType = indexOutType(node, "out_type");
    return context -> List.of(indexScalar(outType, context.input(0).numElements()));
  }

  static Kernel rank(NodeDef node) {
    return context -> List.of(Tensor.ofInts(Shape.scalar(), context.input(0).shape().rank()));
  }

  static Kernel expandDims(NodeDef node) {
    return context -> {
      Tensor input = context.input(0);
      Elements.requireMovable(node, input.dtype());
      if (context.input(1).numElements() != 1) {
        throw new KernelException("'dim' must be a tensor with a single value");
      }
      long dim = IndexTensors.values(node, context.input(1), "dim")[0];
      int rank = input.shape().rank();
      if (dim < -1 - rank || dim > rank) {
        throw new KernelException("Tried to expand dim index " + dim + " for tensor with " + rank + " dimensions.");
      }
      int axis = (int) (dim < 0 ? dim + rank + 1 : dim);
      List<Long> dims = new ArrayList<>(Arrays.stream(input.shape().dims()).boxed().toList());
      dims.add(axis, 1L);
      return List.of(Elements.reshape(input, Shape.of(dims.stream().mapToLong(Long::longValue).toArray())));
    };
  }

  static Kernel squeeze(NodeDef node) {
    long[] squeezeDims = NodeAttrs.integers(node, "squeeze_dims");
    return context -> {
      Tensor input = context.input(0);
      Elements.requireMovable(node, input.dtype());
      long[] dims = input.shape().dims();
      boolean[] drop = new boolean[dims.length];
      for (long d : squeezeDims) {
        if (d < -dims.length || d >= dims.length) {
          throw new KernelException(
              "Tried to squeeze dim index " + d + " for tensor with " + dims.length + " dimensions.");
        }
        int axis = (int) (d < 0 ? d + dims.length : d);
        if (dims[axis] != 1) {
          throw new KernelException("Can not squeeze dim[" + axis + "], expected a dimension of 1, got " + dims[axis]);
        }
        drop[axis] = true;
      }
      List<Long> kept = new ArrayList<>();
      for (int i = 0; i < dims.length; i++) {
        boolean squeezed = squeezeDims.length == 0 ? dims[i] == 1 : drop[i];
        if (!squeezed) {
          kept.add(dims[i]);
        }
      }
      return List.of(Elements.reshape(input, Shape.of(kept.stream().mapToLong(Long::longValue).toArray())));
    };
  }

  static Kernel fill(NodeDef node) {
    return context -> {
      Tensor dimsInput = context.input(0);
      Tensor value = context.input(1);
      if (dimsInput.shape().rank() != 1) {
        throw new KernelException("dims must be a vector, got shape " + dimsInput.shape());
      }
      if (!value.shape().isScalar()) {
        throw new KernelException("value must be a scalar, got shape " + value.shape());
      }
      Elements.requireMovable(node, value.dtype());
      long[] dims = IndexTensors.values(node, dimsInput, "dims");
      for (long d : dims) {
        if (d < 0) {
          throw new KernelException("Dimension " + d + " must be >= 0");
        }
      }
      return List.of(Elements.fill(value, Shape.of(dims)));
    };
  }

  static Kernel zerosLike(NodeDef node) {
    return context -> {
      Tensor x = context.input(0);
      if (x.dtype() == DType.STRING) {
        List<byte[]> empty = new ArrayList<>();
        for (long i = 0; i < x.numElements(); i++) {
          empty.add(new byte[0]);
        }
        return List.of(Tensor.ofStrings(x.shape(), empty));
      }
      Elements.requireMovable(node, x.dtype());
      return List.of(Tensor.of(x.dtype(), x.shape(), new byte[Math.toIntExact(Tensor.byteSize(x.dtype(), x.shape()))]));
    };
  }

  /** An index-typed attr (out_type), int32 by default. */
  static DType indexOutType(NodeDef node, String attr) {
    DType type = NodeAttrs.type(node, attr).orElse(DType.INT32);
    if (type != DType.INT32 && type != DType.INT64) {
      throw new KernelException("Value for attr '" + attr + "' of " + type.pythonName()
          + " is not in the list of allowed values: int32, int64 (node " + node.getName() + ")");
    }
    return type;
  }

  static Tensor indexScalar(DType type, long value) {
    return type == DType.INT64 ? Tensor.scalar(value) : Tensor.ofInts(Shape.scalar(), toInt(value));
  }

  /** A vector of int32 or int64 values. */
  static Tensor indexTensor(DType type, long[] values) {
    Shape shape = Shape.of(values.length);
    if (type == DType.INT64) {
      return Tensor.ofLongs(shape, values);
    }
    int[] ints = new int[values.length];
    for (int i = 0; i < ints.length; i++) {
      ints[i] = toInt(values[i]);
    }
    return Tensor.ofInts(shape, ints);
  }

  private static int toInt(long value) {
    if (value > Integer.MAX_VALUE) {
      throw new KernelException("Value " + value + " does not fit in out_type int32; use out_type int64");
    }
    return (int) value;
  }
}
