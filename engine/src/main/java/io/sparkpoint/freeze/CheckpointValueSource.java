package io.sparkpoint.freeze;

import io.sparkpoint.checkpoint.CheckpointReader;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.Closeable;
import java.io.IOException;

/** Variable values from a V2 checkpoint, keyed by variable name; partitioned variables are reassembled. */
public final class CheckpointValueSource implements ValueSource, Closeable {
  private final CheckpointReader reader;

  private CheckpointValueSource(CheckpointReader reader) {
    this.reader = reader;
  }

  /**
   * Opens the checkpoint at {@code prefix} (not a directory; see {@code Checkpoints.resolvePrefix}).
   *
   * @throws java.io.FileNotFoundException when nothing exists at the prefix
   */
  public static CheckpointValueSource open(FileIO io, String prefix) throws IOException {
    return new CheckpointValueSource(CheckpointReader.open(io, prefix));
  }

  public String prefix() {
    return reader.prefix();
  }

  @Override
  public Tensor value(String variableName) throws IOException {
    return reader.getTensor(variableName);
  }

  @Override
  public long byteSizeHint(String variableName) throws IOException {
    BundleEntryProto entry = reader.bundle().entry(variableName);
    DType dtype = DType.fromNumber(entry.getDtypeValue());
    if (dtype.isFixedWidth()) {
      return Tensor.byteSize(dtype, Shape.fromProto(entry.getShape()));
    }
    return entry.getSize(); // strings: the stored bytes, close to their TensorProto size
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
