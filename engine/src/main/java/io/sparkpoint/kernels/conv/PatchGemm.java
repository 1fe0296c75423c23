package io.sparkpoint.kernels.conv;

import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convolution as im2col + matrix product, chunk by chunk of output pixels so the patch matrix
 * stays small: per chunk and channel group, {@link Patches} fills the patch rows (on all cores)
 * and one product with the group's [h*w*i, o/groups] filter matrix gives those pixels' outputs.
 * float32 and float64 multiply through ND4J's BLAS gemm, in {@link GemmScratch} buffers; int32 multiplies here, wrapping like TF's
 * Eigen kernel (modular sums do not depend on their order, so results are exact).
 */
final class PatchGemm {
  /** Bytes of patch matrix (or product) per chunk: big enough for an efficient gemm. */
  private static final int CHUNK_BYTES = 8 << 20;

  private final ConvShape shape;
  private final DType type;
  private final int width;
  private final int patchBytes;

  PatchGemm(ConvShape shape, DType type) {
    this.shape = shape;
    this.type = type;
    this.width = type.byteWidth();
    this.patchBytes = Math.multiplyExact(shape.patchSize(), width);
  }

  /** The NHWC output of the convolution of {@code input} (NHWC bytes) with {@code filter} (HWIO). */
  Tensor run(byte[] input, Tensor filter) {
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(Math.multiplyExact(shape.output().numElements(), width)))
        .order(ByteOrder.LITTLE_ENDIAN);
    Patches patches = new Patches(shape, input, width);
    long rowBytes = Math.max(patchBytes, (long) shape.groupDepth() * width);
    int chunkRows = (int) Math.max(1, Math.min(shape.patchRows(), CHUNK_BYTES / rowBytes));
    for (int group = 0; group < shape.groups(); group++) {
      ByteBuffer groupFilter = filterMatrix(filter, group);
      Multiplier multiplier = type == DType.INT32 ? new IntMultiplier(groupFilter) : new BlasMultiplier(groupFilter);
      try {
        for (long first = 0; first < shape.patchRows(); first += chunkRows) {
          int rows = (int) Math.min(chunkRows, shape.patchRows() - first);
          ByteBuffer block = multiplier.patchBuffer(rows);
          patches.fillInParallel(block, first, rows, group);
          scatter(multiplier.multiply(rows), first, rows, group, out);
        }
      } finally {
        multiplier.close();
      }
    }
    out.clear();
    return Tensor.wrap(type, shape.output(), out);
  }

  /** Copies a chunk's [rows, o/groups] product into the output's rows at the group's channels. */
  private void scatter(ByteBuffer product, long first, int rows, int group, ByteBuffer out) {
    int groupBytes = shape.groupDepth() * width;
    if (shape.groups() == 1) {
      out.put(Math.toIntExact(first * groupBytes), product, 0, rows * groupBytes);
      return;
    }
    int pixelBytes = shape.outDepth() * width;
    for (int r = 0; r < rows; r++) {
      out.put(Math.toIntExact((first + r) * pixelBytes + (long) group * groupBytes), product, r * groupBytes, groupBytes);
    }
  }

  /** The filter's columns of one group as a row-major [h*w*i, o/groups] matrix (the filter itself when ungrouped). */
  private ByteBuffer filterMatrix(Tensor filter, int group) {
    ByteBuffer all = filter.data();
    if (shape.groups() == 1) {
      return all;
    }
    int taps = shape.patchSize();
    int groupBytes = shape.groupDepth() * width;
    ByteBuffer matrix = ByteBuffer.allocate(taps * groupBytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < taps; k++) {
      matrix.put(k * groupBytes, all, (k * shape.outDepth() + group * shape.groupDepth()) * width, groupBytes);
    }
    return matrix;
  }

  /** Multiplies chunks of patches by one group's filter matrix. */
  private interface Multiplier extends AutoCloseable {
    /** A buffer for {@code rows} patch rows, to fill from index 0. */
    ByteBuffer patchBuffer(int rows);

    /** The product of the last filled patch rows with the filter, [rows, o/groups] row-major. */
    ByteBuffer multiply(int rows);

    @Override
    void close();
  }

  /** float32 and float64 through ND4J's gemm, in this thread's scratch buffers. */
  private final class BlasMultiplier implements Multiplier {
    private final INDArray filter;
    private INDArray patches;
    private INDArray product;

    BlasMultiplier(ByteBuffer filterMatrix) {
      filter = Nd4j.createUninitialized(NdArrays.nd4jType(type), new long[] {shape.patchSize(), shape.groupDepth()}, 'c');
      filter.data().asNio().put(filterMatrix.duplicate().clear());
    }

    @Override
    public ByteBuffer patchBuffer(int rows) {
      if (patches == null || patches.rows() != rows) {
        patches = GemmScratch.matrix(filter.dataType(), 0, rows, shape.patchSize());
        product = GemmScratch.matrix(filter.dataType(), 1, rows, shape.groupDepth());
      }
      return patches.data().asNio();
    }

    @Override
    public ByteBuffer multiply(int rows) {
      Nd4j.gemm(patches, filter, product, false, false, 1.0, 0.0);
      return product.data().asNio();
    }

    @Override
    public void close() {
      filter.close();
    }
  }

  /** int32 on the JVM: products and sums wrap at 32 bits. */
  private final class IntMultiplier implements Multiplier {
    private final int[] filter;
    private ByteBuffer patches;

    IntMultiplier(ByteBuffer filterMatrix) {
      filter = ints(filterMatrix, shape.patchSize() * shape.groupDepth());
    }

    @Override
    public ByteBuffer patchBuffer(int rows) {
      patches = ByteBuffer.allocate(rows * patchBytes).order(ByteOrder.LITTLE_ENDIAN);
      return patches;
    }

    @Override
    public ByteBuffer multiply(int rows) {
      int taps = shape.patchSize();
      int outs = shape.groupDepth();
      int[] a = ints(patches, rows * taps);
      int[] c = new int[rows * outs];
      for (int r = 0; r < rows; r++) {
        for (int k = 0; k < taps; k++) {
          int x = a[r * taps + k];
          if (x != 0) {
            for (int j = 0; j < outs; j++) {
              c[r * outs + j] += x * filter[k * outs + j];
            }
          }
        }
      }
      ByteBuffer product = ByteBuffer.allocate(c.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      product.asIntBuffer().put(c);
      return product;
    }

    @Override
    public void close() {}

    private static int[] ints(ByteBuffer bytes, int count) {
      int[] values = new int[count];
      IntBuffer view = bytes.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
      view.get(values);
      return values;
    }
  }
}
