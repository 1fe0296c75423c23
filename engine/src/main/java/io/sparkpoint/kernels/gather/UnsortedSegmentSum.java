package io.sparkpoint.kernels.gather;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * UnsortedSegmentSum, the reverse of a gather (TensorFlow's gradient of GatherV2):
 * output[segment_ids[i...], ...] += data[i..., ...] over num_segments rows that start at zero.
 * Negative ids drop their rows, as in TensorFlow. Each output element adds its rows in input order
 * in the dtype's own arithmetic (float32 in float32, integers wrapping), so results match
 * TensorFlow's CPU kernel bit for bit.
 */
final class UnsortedSegmentSum {
  static final Set<DType> TYPES = realTypes();
  static final Set<DType> INDEX_TYPES = Set.of(DType.INT32, DType.INT64);

  private UnsortedSegmentSum() {}

  private static Set<DType> realTypes() {
    Set<DType> types = EnumSet.copyOf(Numbers.FLOATING);
    types.addAll(Numbers.INTEGERS);
    return Set.copyOf(types);
  }

  static Kernel kernel(NodeDef node) {
    DTypeRules.checkTypeAttr(node, TYPES);
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs().subList(0, 1), TYPES, "data");
      Tensor data = context.input(0);
      Tensor ids = context.input(1);
      Tensor numSegments = context.input(2);
      DTypeRules.requireSupported(node, "Tindices", ids.dtype(), INDEX_TYPES);
      DTypeRules.requireSupported(node, "Tnumsegments", numSegments.dtype(), INDEX_TYPES);
      if (!numSegments.shape().isScalar()) {
        throw new KernelException("num_segments should be a scalar, not shape " + numSegments.shape());
      }
      if (!data.shape().startsWith(ids.shape())) {
        throw new KernelException(
            "data.shape = " + data.shape() + " does not start with segment_ids.shape = " + ids.shape());
      }
      long rows = numSegments.longAt(0);
      if (rows < 0) {
        throw new KernelException("Input num_segments == " + rows + " must not be negative.");
      }
      long[] dims = data.shape().dims();
      long[] outDims = new long[1 + dims.length - ids.shape().rank()];
      outDims[0] = rows;
      System.arraycopy(dims, ids.shape().rank(), outDims, 1, outDims.length - 1);
      Shape out = Shape.of(outDims);
      int inner = rows == 0 ? 0 : Math.toIntExact(out.numElements() / rows);
      // TF checks the ids only when there is data to add
      int[] targets = data.numElements() == 0 ? new int[0] : targets(ids, rows);
      return List.of(sum(data, type, targets, out, inner));
    };
  }

  /**
   * The output row of each input row, -1 for a row dropped by a negative id.
   *
   * @throws KernelException TF's "segment_ids[1] = 5 is out of range [0, 3)"
   */
  private static int[] targets(Tensor ids, long rows) {
    int[] targets = new int[Math.toIntExact(ids.numElements())];
    for (int i = 0; i < targets.length; i++) {
      long id = ids.longAt(i);
      if (id >= rows) {
        throw new KernelException("segment_ids" + GatherV2.position(ids.shape(), i) + " = " + id
            + " is out of range [0, " + rows + ")");
      }
      targets[i] = id < 0 ? -1 : (int) id;
    }
    return targets;
  }

  private static Tensor sum(Tensor data, DType type, int[] targets, Shape out, int inner) {
    int size = Math.toIntExact(out.numElements());
    ByteBuffer bytes = Numbers.allocate(type, size);
    switch (type) {
      case FLOAT -> {
        float[] values = new float[Math.toIntExact(data.numElements())];
        data.data().asFloatBuffer().get(values);
        float[] sums = new float[size];
        forEachRow(targets, inner, (from, to) -> {
          for (int k = 0; k < inner; k++) {
            sums[to + k] += values[from + k];
          }
        });
        bytes.asFloatBuffer().put(sums);
      }
      case DOUBLE -> {
        double[] values = new double[Math.toIntExact(data.numElements())];
        data.data().asDoubleBuffer().get(values);
        double[] sums = new double[size];
        forEachRow(targets, inner, (from, to) -> {
          for (int k = 0; k < inner; k++) {
            sums[to + k] += values[from + k];
          }
        });
        bytes.asDoubleBuffer().put(sums);
      }
      case HALF, BFLOAT16 -> {
        double[] sums = new double[size];
        forEachRow(targets, inner, (from, to) -> {
          for (int k = 0; k < inner; k++) {
            sums[to + k] = Numbers.round(type, sums[to + k] + data.doubleAt(from + k));
          }
        });
        for (double sum : sums) {
          Numbers.putDouble(bytes, type, sum);
        }
      }
      default -> {
        long[] sums = new long[size];
        forEachRow(targets, inner, (from, to) -> {
          for (int k = 0; k < inner; k++) {
            sums[to + k] += data.longAt(from + k); // wrapped to the dtype's width when written
          }
        });
        for (long sum : sums) {
          Numbers.putLong(bytes, type, sum);
        }
      }
    }
    return Numbers.tensor(type, out, bytes);
  }

  /** Adds the input row starting at element {@code from} into the output row starting at {@code to}. */
  private interface AddRow {
    void apply(int from, int to);
  }

  /** Every kept input row, in input order, with the start of its output row. */
  private static void forEachRow(int[] targets, int inner, AddRow add) {
    for (int i = 0; i < targets.length; i++) {
      if (targets[i] >= 0) {
        add.apply(i * inner, targets[i] * inner);
      }
    }
  }
}
