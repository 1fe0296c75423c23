package io.sparkpoint.spark.source;

import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Builds the row of one tensor with exactly the requested columns, reading no more than they
 * need: index columns come from the index alone; {@code values} reads the tensor (reassembling a
 * partitioned one); stats alone stream the stored bytes chunk by chunk. Not thread-safe.
 */
final class TensorRows {
  private final BundleReader bundle;
  private final EntryChunks chunks;
  private final List<CheckpointColumn> columns;
  private final boolean wantValues;
  private final boolean wantStats;
  private final UTF8String checkpoint;
  private final Long step;
  /** Stored tensor bytes read from data files so far. */
  private long bytesRead;

  TensorRows(BundleReader bundle, EntryChunks chunks, List<CheckpointColumn> columns) {
    this.bundle = bundle;
    this.chunks = chunks;
    this.columns = List.copyOf(columns);
    this.wantValues = CheckpointColumn.anyCosts(columns, CheckpointColumn.Cost.VALUES);
    this.wantStats = CheckpointColumn.anyCosts(columns, CheckpointColumn.Cost.STATS);
    this.checkpoint = UTF8String.fromString(bundle.prefix());
    this.step = Checkpoints.stepOf(bundle.prefix());
  }

  /** What was read of one tensor; each part is null when not asked for or not defined for its dtype. */
  private record Contents(double[] values, byte[][] strings, TensorStats stats) {}

  InternalRow row(String name) throws IOException {
    TensorPieces tensor = TensorPieces.of(bundle, name);
    DType dtype = DType.fromNumber(tensor.entry().getDtypeValue());
    Shape shape = Shape.fromProto(tensor.entry().getShape());
    Contents contents = read(tensor, dtype, shape);
    Object[] fields = new Object[columns.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = switch (columns.get(i)) {
        case CHECKPOINT -> checkpoint;
        case STEP -> step;
        case NAME -> UTF8String.fromString(name);
        case DTYPE -> UTF8String.fromString(dtype.pythonName());
        case SHAPE -> UnsafeArrayData.fromPrimitiveArray(shape.dims());
        case NUM_ELEMENTS -> shape.numElements();
        case SHARD -> tensor.shard();
        case SIZE_BYTES -> tensor.sizeBytes();
        case VALUES -> contents.values() == null ? null : UnsafeArrayData.fromPrimitiveArray(contents.values());
        case STRING_VALUES -> contents.strings() == null ? null : new GenericArrayData(contents.strings());
        case MIN -> contents.stats() == null ? null : contents.stats().min();
        case MAX -> contents.stats() == null ? null : contents.stats().max();
        case MEAN -> contents.stats() == null ? null : contents.stats().mean();
        case L2_NORM -> contents.stats() == null ? null : contents.stats().l2Norm();
        case NAN_COUNT -> contents.stats() == null ? null : contents.stats().nanCount();
      };
    }
    return new GenericInternalRow(fields);
  }

  private Contents read(TensorPieces tensor, DType dtype, Shape shape) throws IOException {
    double[] values = null;
    byte[][] strings = null;
    if (wantValues && dtype == DType.STRING) {
      strings = strings(bundle.lookup(tensor.name()));
      bytesRead += tensor.sizeBytes();
    } else if (wantValues && DoubleElements.hasDoubleView(dtype) && shape.numElements() <= DoubleElements.MAX_VALUES) {
      values = DoubleElements.all(bundle.lookup(tensor.name()));
      bytesRead += tensor.sizeBytes();
    }
    TensorStats stats = null;
    if (wantStats && DoubleElements.hasDoubleView(dtype)) {
      stats = new TensorStats();
      if (values != null) {
        stats.addAll(values, values.length);
      } else {
        stream(tensor, dtype, shape, stats);
        bytesRead += tensor.sizeBytes();
      }
    }
    return new Contents(values, strings, stats);
  }

  /** Stored tensor bytes read from data files so far (indexes not counted). */
  long bytesRead() {
    return bytesRead;
  }

  /** Feeds every stored element to {@code stats}, one chunk at a time, slices in any order. */
  private void stream(TensorPieces tensor, DType dtype, Shape shape, TensorStats stats) throws IOException {
    double[] decoded = new double[(int) Math.min(EntryChunks.CHUNK_BYTES / dtype.byteWidth(), shape.numElements())];
    for (TensorPieces.Piece piece : tensor.pieces()) {
      chunks.stream(piece.displayName(), piece.entry(), (ByteBuffer chunk) -> {
        int count = chunk.remaining() / dtype.byteWidth();
        DoubleElements.decode(dtype, chunk, decoded, count);
        stats.addAll(decoded, count);
      });
    }
  }

  private static byte[][] strings(Tensor tensor) {
    byte[][] strings = new byte[Math.toIntExact(tensor.numElements())][];
    for (int i = 0; i < strings.length; i++) {
      strings[i] = tensor.string(i);
    }
    return strings;
  }
}
