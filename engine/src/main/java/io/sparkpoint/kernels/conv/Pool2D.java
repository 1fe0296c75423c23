package io.sparkpoint.kernels.conv;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MaxPool and AvgPool over height and width, NHWC, SAME or VALID. Padding never takes part:
 * MaxPool takes the largest element inside the input ({@link MaxPool}, on the JVM: float32,
 * float64, int32, int64), AvgPool divides by the number of elements inside it (libnd4j's
 * avgpool2d, which does exactly that: float32, float64), as checked against TF for every padding
 * case in ConvConformanceSuite.
 */
final class Pool2D {
  enum Kind {
    MAX("MaxPool", Set.of(DType.FLOAT, DType.DOUBLE, DType.INT32, DType.INT64)),
    AVG("AvgPool", Set.of(DType.FLOAT, DType.DOUBLE));

    final String op;
    final Set<DType> types;

    Kind(String op, Set<DType> types) {
      this.op = op;
      this.types = types;
    }
  }

  private Pool2D() {}

  static Kernel kernel(NodeDef node, Kind kind) {
    DTypeRules.checkTypeAttr(node, kind.types);
    String format = NodeAttrs.string(node, "data_format", "NHWC");
    if (!format.equals("NHWC")) {
      throw new KernelException("Default " + kind.op + "ingOp only supports NHWC on device type CPU; got " + format);
    }
    long[] ksize = NodeAttrs.integers(node, "ksize");
    long[] strides = NodeAttrs.integers(node, "strides");
    require(ksize.length == 4, "Sliding window ksize field must specify 4 dimensions");
    require(strides.length == 4, "Sliding window stride field must specify 4 dimensions");
    require(ksize[0] == 1 && strides[0] == 1, "Pooling is not yet supported on the batch dimension.");
    for (int i = 0; i < 4; i++) {
      require(ksize[i] > 0, "Sliding window ksize for dimension " + i + " must be > 0, but got " + ksize[i]);
      require(strides[i] > 0, "Stride must be > 0, but got " + strides[i]);
      require(ksize[i] <= Integer.MAX_VALUE && strides[i] <= Integer.MAX_VALUE,
          "Invalid ksize or stride " + Math.max(ksize[i], strides[i]) + ": larger than int32");
    }
    if (ksize[3] != 1) {
      require(kind == Kind.AVG || ksize[1] == 1 && ksize[2] == 1,
          "MaxPooling supports exactly one of pooling across depth or pooling across width/height.");
      throw new KernelException(
          "Unsupported pooling across depth (ksize " + Arrays.toString(ksize) + ") for " + kind.op
              + ": Sparkpoint pools across height and width only");
    }
    Padding padding = Padding.of(node, Padding.SAME, Padding.VALID);
    int[] args = {(int) ksize[1], (int) ksize[2], (int) strides[1], (int) strides[2]};
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs(), kind.types, "input");
      Tensor input = context.input(0);
      Shape in = input.shape();
      if (in.rank() != 4) {
        throw new KernelException("tensor_in must be 4-dimensional: " + in);
      }
      Window rows = Window.of(in.dim(1), args[0], 1, args[2], padding, 0, 0);
      Window cols = Window.of(in.dim(2), args[1], 1, args[3], padding, 0, 0);
      Shape out = Shape.of(in.dim(0), rows.output(), cols.output(), in.dim(3));
      if (out.numElements() == 0) {
        return List.of(Tensor.wrap(type, out, java.nio.ByteBuffer.allocate(0)));
      }
      if (kind == Kind.MAX) {
        return List.of(MaxPool.pool(input, rows, cols, out));
      }
      return List.of(average(NdArrays.toNd4j(input), args, padding, out));
    };
  }

  private static Tensor average(INDArray input, int[] args, Padding padding, Shape expected) {
    DynamicCustomOp op = DynamicCustomOp.builder("avgpool2d")
        .addInputs(input)
        // kH kW sH sW, no explicit padding, no dilation, SAME or VALID, 0 = divide by the elements inside, NHWC
        .addIntegerArguments(args[0], args[1], args[2], args[3], 0, 0, 1, 1, padding == Padding.SAME ? 1 : 0, 0, 1)
        .build();
    INDArray result = Nd4j.exec(op)[0];
    try {
      Tensor tensor = NdArrays.fromNd4j(result);
      if (!tensor.shape().equals(expected)) {
        throw new IllegalStateException("avgpool2d returned shape " + tensor.shape() + ", expected " + expected);
      }
      return tensor;
    } finally {
      result.close(); // the input is the tensor's own array (NdArrays.toNd4j): never close it
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new KernelException(message);
    }
  }
}
