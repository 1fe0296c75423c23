package io.sparkpoint.kernels.conv;

import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convolution as im2col + matrix product, chunk by chunk of output pixels so the patch matrix
 * stays small: per chunk and channel group, {@link Patches} fills the patch rows (on all cores)
 * and one product with the group's [h*w*i, o/groups] filter matrix gives those pixels' outputs.
 * float32 and float64 multiply through ND4J's BLAS gemm, in native buffers each thread keeps
 * (fresh ones would cost page faults on every call); int32 multiplies here, wrapping like TF's
 * Eigen kernel (modular sums do not depend on their order, so results are exact).
 */
final class PatchGemm {
  /** Bytes of patch matrix (or product) per chunk: big enough for an efficient gemm. */
  private static final int CHUNK_BYTES = 8 << 20;
  /** Patch rows below which one thread fills a chunk. */
  private static final int ROWS_PER_TASK = 256;
  /** Copies from the input below this size go to a heap stage first, then on to native memory in blocks. */
  private static final int SMALL_COPY_BYTES = 256;
  /** Bytes staged on the heap before a copy to the patch buffer: fits a core's cache. */
  private static final int STAGE_BYTES = 256 << 10;
  /** Per thread, per dtype: a patch buffer and a product buffer, grown as needed, never shrunk. */
  private static final ThreadLocal<Map<DataType, DataBuffer[]>> SCRATCH = ThreadLocal.withInitial(HashMap::new);

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
          fillInParallel(patches, block, first, rows, group);
          scatter(multiplier.multiply(rows), first, rows, group, out);
        }
      } finally {
        multiplier.close();
      }
    }
    out.clear();
    return Tensor.wrap(type, shape.output(), out);
  }

  private void fillInParallel(Patches patches, ByteBuffer block, long first, int rows, int group) {
    int tasks = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), rows / ROWS_PER_TASK));
    boolean staged = block.isDirect() && patches.copyBytes() < SMALL_COPY_BYTES;
    int stageRows = Math.max(1, STAGE_BYTES / patchBytes);
    IntStream.range(0, tasks).parallel().forEach(task -> {
      int from = (int) ((long) rows * task / tasks);
      int to = (int) ((long) rows * (task + 1) / tasks);
      if (!staged) {
        patches.fill(block.duplicate().position(from * patchBytes).slice(), first + from, to - from, group);
        return;
      }
      ByteBuffer stage = ByteBuffer.allocate(Math.min(stageRows, to - from) * patchBytes);
      for (int at = from; at < to; at += stageRows) {
        int count = Math.min(stageRows, to - at);
        patches.fill(stage, first + at, count, group);
        block.put(at * patchBytes, stage, 0, count * patchBytes);
      }
    });
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
        patches = scratch(0, rows, shape.patchSize());
        product = scratch(1, rows, shape.groupDepth());
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

    /** A [rows, cols] row-major view of scratch buffer {@code slot} of this thread. */
    private INDArray scratch(int slot, long rows, long cols) {
      DataType nd4jType = filter.dataType();
      DataBuffer[] buffers = SCRATCH.get().computeIfAbsent(nd4jType, t -> new DataBuffer[2]);
      if (buffers[slot] == null || buffers[slot].length() < rows * cols) {
        buffers[slot] = Nd4j.createBuffer(nd4jType, rows * cols, false);
      }
      return Nd4j.create(buffers[slot], new long[] {rows, cols}, new long[] {cols, 1}, 0, 'c');
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
