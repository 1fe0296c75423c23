package io.sparkpoint.kernels.conv;

import io.sparkpoint.kernels.Nd4jRuntime;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * float32 convolutions through libnd4j's {@code conv2d} op when ND4J runs its oneDNN build (see
 * {@link Nd4jRuntime}): Conv2D with SAME or VALID padding and strides, without groups or
 * dilations (and, through {@link OneDnnConvGrads}, its gradients where they are such convolutions).
 * Everything else, and every other build (where that op is slower than our own im2col), goes
 * through {@link PatchGemm}.
 */
final class OneDnnConv {
  private OneDnnConv() {}

  static boolean applies(ConvShape shape, ConvAttrs attrs, DType type) {
    return Nd4jRuntime.oneDnn() && type == DType.FLOAT && shape.groups() == 1 && attrs.padding() != Padding.EXPLICIT
        && attrs.dilationRows() == 1 && attrs.dilationCols() == 1; // libnd4j's op fails on some dilated cases
  }

  static Tensor run(Tensor input, Tensor filter, ConvShape shape, ConvAttrs attrs, Shape out) {
    return NdArrays.adopt(conv(NdArrays.toNd4j(input), NdArrays.toNd4j(filter), shape.filterRows(),
        shape.filterCols(), attrs.strideRows(), attrs.strideCols(), 0, 0, attrs.padding() == Padding.SAME, out));
  }

  /** libnd4j's conv2d of an NHWC input with an HWIO filter, padded {@code padRows, padCols} on both sides unless {@code same}. */
  static INDArray conv(INDArray input, INDArray filter, int kernelRows, int kernelCols, int strideRows,
      int strideCols, long padRows, long padCols, boolean same, Shape out) {
    INDArray result = Nd4j.createUninitialized(DataType.FLOAT, out.dims(), 'c');
    DynamicCustomOp op = DynamicCustomOp.builder("conv2d")
        .addInputs(input, filter)
        .addOutputs(result)
        // kH kW sH sW pH pW dH dW, SAME (1) or not (0), NHWC (1), filter [kH, kW, iC, oC] (0)
        .addIntegerArguments(kernelRows, kernelCols, strideRows, strideCols, (int) padRows, (int) padCols, 1, 1,
            same ? 1 : 0, 1, 0)
        .build();
    Nd4j.exec(op);
    return result;
  }
}
