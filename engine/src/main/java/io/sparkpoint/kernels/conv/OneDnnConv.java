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
 * float32 Conv2D through libnd4j's {@code conv2d} op when ND4J runs its oneDNN build (see
 * {@link Nd4jRuntime}): NHWC input, HWIO filter, SAME or VALID padding and strides, without
 * groups or dilations. Everything else, and every other build (where that op is slower than our own
 * im2col), goes through {@link PatchGemm}.
 */
final class OneDnnConv {
  private OneDnnConv() {}

  static boolean applies(ConvShape shape, ConvAttrs attrs, DType type) {
    return Nd4jRuntime.oneDnn() && type == DType.FLOAT && shape.groups() == 1 && attrs.padding() != Padding.EXPLICIT
        && attrs.dilationRows() == 1 && attrs.dilationCols() == 1; // libnd4j's op fails on some dilated cases
  }

  static Tensor run(Tensor input, Tensor filter, ConvShape shape, ConvAttrs attrs, Shape out) {
    INDArray result = Nd4j.createUninitialized(DataType.FLOAT, out.dims(), 'c');
    DynamicCustomOp op = DynamicCustomOp.builder("conv2d")
        .addInputs(NdArrays.toNd4j(input), NdArrays.toNd4j(filter))
        .addOutputs(result)
        // kH kW sH sW pH pW dH dW, SAME (1) or VALID (0), NHWC (1), filter [kH, kW, iC, oC] (0)
        .addIntegerArguments(shape.filterRows(), shape.filterCols(), attrs.strideRows(), attrs.strideCols(), 0, 0,
            attrs.dilationRows(), attrs.dilationCols(), attrs.padding() == Padding.SAME ? 1 : 0, 1, 0)
        .build();
    Nd4j.exec(op);
    return NdArrays.adopt(result);
  }
}
