package io.sparkpoint.kernels.random;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.IndexTensors;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The kernels of RandomUniform, RandomStandardNormal, TruncatedNormal and RandomUniformInt. */
final class RandomOps {
  static final Set<DType> FLOAT_TYPES = Set.of(DType.HALF, DType.BFLOAT16, DType.FLOAT, DType.DOUBLE);
  static final Set<DType> INT_TYPES = Set.of(DType.INT32, DType.INT64);

  private RandomOps() {}

  static Kernel uniform(NodeDef node) {
    return philox(node, Distributions::uniform);
  }

  static Kernel standardNormal(NodeDef node) {
    return philox(node, Distributions::normal);
  }

  static Kernel truncatedNormal(NodeDef node) {
    return philox(node, Distributions::truncatedNormal);
  }

  /** An op whose only input is the output shape (TF's PhiloxRandomOp). */
  private static Kernel philox(NodeDef node, Function<DType, Distribution> distributionOf) {
    DType dtype = typeAttr(node, "dtype", FLOAT_TYPES);
    Distribution distribution = distributionOf.apply(dtype);
    long seed = NodeAttrs.integer(node, "seed", 0);
    long seed2 = NodeAttrs.integer(node, "seed2", 0);
    return context -> {
      Shape shape = outputShape(node, context.input(0), dtype);
      GuardedPhilox generator = context.nodeState(GuardedPhilox.class, () -> GuardedPhilox.seeded(seed, seed2));
      return List.of(distribution.sample(generator.reserveForOutputs(shape.numElements()), shape));
    };
  }

  /**
   * RandomUniformInt: shape, minval and maxval (scalars of Tout). An empty output takes nothing from
   * the stream and is made before minval &lt; maxval is checked, as in TF.
   */
  static Kernel uniformInt(NodeDef node) {
    DType dtype = typeAttr(node, "Tout", INT_TYPES);
    long seed = NodeAttrs.integer(node, "seed", 0);
    long seed2 = NodeAttrs.integer(node, "seed2", 0);
    return context -> {
      Tensor minval = bound(node, context.input(1), "minval", dtype);
      Tensor maxval = bound(node, context.input(2), "maxval", dtype);
      Shape shape = outputShape(node, context.input(0), dtype);
      if (shape.numElements() == 0) {
        return List.of(Numbers.tensor(dtype, shape, ByteBuffer.allocate(0)));
      }
      long lo = minval.longAt(0);
      long hi = maxval.longAt(0);
      if (lo >= hi) {
        throw new KernelException("Need minval < maxval, got " + lo + " >= " + hi);
      }
      GuardedPhilox generator = context.nodeState(GuardedPhilox.class, () -> GuardedPhilox.seeded(seed, seed2));
      return List.of(Distributions.uniformInt(dtype, lo, hi).sample(generator.reserveForOutputs(shape.numElements()), shape));
    };
  }

  /**
   * A type attr the node must set, checked before any run.
   *
   * @throws KernelException when it is missing, or "Unsupported dtype …" when no kernel exists for it
   */
  private static DType typeAttr(NodeDef node, String attr, Set<DType> supported) {
    DType type = NodeAttrs.type(node, attr).orElseThrow(
        () -> new KernelException(node.getOp() + " node " + node.getName() + " has no " + attr + " attr"));
    DTypeRules.requireSupported(node, attr, type, supported);
    return type;
  }

  private static Tensor bound(NodeDef node, Tensor value, String name, DType dtype) {
    if (value.dtype() != dtype) {
      throw new KernelException("Input '" + name + "' of '" + node.getOp() + "' Op has type " + value.dtype().pythonName()
          + " that does not match attr Tout=" + dtype.pythonName());
    }
    if (!value.shape().isScalar()) {
      throw new KernelException(name + " must be 0-D, got shape " + value.shape());
    }
    return value;
  }

  /**
   * The shape a shape input asks for.
   *
   * @throws KernelException "shape must be a vector of {int32,int64}, got shape [2,2]", "Dimension -1
   *     must be >= 0", or when the tensor would not fit in memory
   */
  private static Shape outputShape(NodeDef node, Tensor shapeInput, DType dtype) {
    long[] dims = IndexTensors.vector(node, shapeInput, "shape");
    long elements = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new KernelException("Dimension " + d + " must be >= 0");
      }
      elements = d == 0 || elements <= Integer.MAX_VALUE / d ? elements * d : Long.MAX_VALUE;
    }
    if (elements > Integer.MAX_VALUE / dtype.byteWidth()) {
      throw new KernelException("Cannot make a random tensor of shape " + Shape.of(dims) + ": it would not fit in memory");
    }
    return Shape.of(dims);
  }
}
