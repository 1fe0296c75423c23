package io.sparkpoint.kernels.conv;

import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two gradients of an ungrouped convolution as matrix products over the patch matrix P
 * ({@link Patches}: one row per output pixel, one column per tap) and the output gradient G (the
 * NHWC {@code out_backprop} as a [pixels, o] matrix): the filter's is P<sup>T</sup>·G, the input's is
 * col2im(G·W<sup>T</sup>) with W the filter as a [h*w*i, o] matrix. Both go chunk by chunk of output
 * pixels, so the patch rows stay small, with float32 and float64 products in ND4J's BLAS gemm on
 * {@link GemmScratch} buffers. Any strides, dilations and padding.
 */
final class BackpropGemm {
  /** Bytes of patch rows per chunk: big enough for an efficient gemm, small enough to stay in cache. */
  private static final int CHUNK_BYTES = 16 << 20;

  private final ConvShape shape;
  private final DType type;
  private final DataType nd4jType;
  private final int width;

  BackpropGemm(ConvShape shape, DType type) {
    this.shape = shape;
    this.type = type;
    this.nd4jType = NdArrays.nd4jType(type);
    this.width = type.byteWidth();
  }

  /** The filter's gradient [h, w, i, o] from the input (NHWC bytes) and {@code out_backprop}. */
  Tensor filter(byte[] input, Tensor outBackprop, Shape filterShape) {
    int taps = shape.patchSize();
    int depth = shape.outDepth();
    INDArray gradient = Nd4j.create(nd4jType, filterShape.dims());
    INDArray matrix = GemmScratch.view(gradient.data(), taps, depth, 0);
    Patches patches = new Patches(shape, input, width);
    ByteBuffer grad = outBackprop.data();
    int chunk = chunkRows(taps);
    for (long first = 0; first < shape.patchRows(); first += chunk) {
      int rows = (int) Math.min(chunk, shape.patchRows() - first);
      INDArray block = GemmScratch.matrix(nd4jType, 0, rows, taps);
      patches.fillInParallel(block.data().asNio(), first, rows, 0);
      INDArray gradRows = GemmScratch.matrix(nd4jType, 1, rows, depth);
      gradRows.data().asNio().put(0, grad, Math.toIntExact(first * depth * width), rows * depth * width);
      Nd4j.gemm(block, gradRows, matrix, true, false, 1.0, first == 0 ? 0.0 : 1.0);
    }
    return NdArrays.adopt(gradient);
  }

  /** The input's gradient [n, h, w, i] from {@code out_backprop} and the filter. */
  Tensor input(Tensor outBackprop, Tensor filter, Shape inputShape) {
    int taps = shape.patchSize();
    int depth = shape.outDepth();
    INDArray filterArray = NdArrays.toNd4j(filter);
    INDArray weights = GemmScratch.view(filterArray.data(), taps, depth, filterArray.offset());
    Col2Im col2im = new Col2Im(shape);
    ByteBuffer grad = outBackprop.data();
    int size = Math.toIntExact(inputShape.numElements());
    float[] floats = type == DType.FLOAT ? new float[size] : null;
    double[] doubles = type == DType.FLOAT ? null : new double[size];
    int chunk = chunkRows(taps);
    for (long first = 0; first < shape.patchRows(); first += chunk) {
      int rows = (int) Math.min(chunk, shape.patchRows() - first);
      INDArray gradRows = GemmScratch.matrix(nd4jType, 1, rows, depth);
      gradRows.data().asNio().put(0, grad, Math.toIntExact(first * depth * width), rows * depth * width);
      INDArray block = GemmScratch.matrix(nd4jType, 0, rows, taps);
      Nd4j.gemm(gradRows, weights, block, false, true, 1.0, 0.0);
      ByteBuffer products = block.data().asNio().order(ByteOrder.LITTLE_ENDIAN);
      if (floats != null) {
        col2im.add(products.asFloatBuffer(), first, rows, floats);
      } else {
        col2im.add(products.asDoubleBuffer(), first, rows, doubles);
      }
    }
    ByteBuffer out = ByteBuffer.allocate(size * width).order(ByteOrder.LITTLE_ENDIAN);
    if (floats != null) {
      out.asFloatBuffer().put(floats);
    } else {
      out.asDoubleBuffer().put(doubles);
    }
    return Tensor.wrap(type, inputShape, out);
  }

  /** Output pixels per chunk: whole images when several fit, so col2im can add them in parallel. */
  private int chunkRows(int taps) {
    long rowBytes = (long) Math.max(taps, shape.outDepth()) * width;
    long rows = Math.max(1, Math.min(shape.patchRows(), CHUNK_BYTES / rowBytes));
    long perImage = shape.rows().output() * shape.cols().output();
    if (rows > perImage && perImage > 0) {
      rows -= rows % perImage;
    }
    return (int) rows;
  }
}
