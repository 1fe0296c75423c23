package io.sparkpoint.freeze;

import io.sparkpoint.checkpoint.CheckpointReader;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.SaveSliceInfoDef;
import io.sparkpoint.proto.VariableDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorSlice;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Variable values from a V2 checkpoint, keyed by variable name; partitioned variables are
 * reassembled. The parts of a TF1 partitioned variable ({@code w/part_0}) are stored as slices of
 * the full variable ({@code w}); given their SaveSliceInfoDefs, each part reads its slice.
 */
public final class CheckpointValueSource implements ValueSource, Closeable {
  private final CheckpointReader reader;
  /** Part variable name to the slice of the full variable it holds. */
  private final Map<String, SaveSliceInfoDef> parts;

  private CheckpointValueSource(CheckpointReader reader, Map<String, SaveSliceInfoDef> parts) {
    this.reader = reader;
    this.parts = parts;
  }

  /**
   * Like {@link #open}, knowing the parts of partitioned variables: the VariableDefs of a
   * MetaGraphDef's {@code variables} collection, whose save_slice_info_def names the full variable
   * and the part's offset and shape.
   */
  public static CheckpointValueSource open(FileIO io, String prefix, List<VariableDef> variables) throws IOException {
    Map<String, SaveSliceInfoDef> parts = new HashMap<>();
    for (VariableDef variable : variables) {
      if (variable.hasSaveSliceInfoDef() && !variable.getSaveSliceInfoDef().getFullName().isEmpty()) {
        String name = variable.getVariableName();
        parts.put(name.endsWith(":0") ? name.substring(0, name.length() - 2) : name, variable.getSaveSliceInfoDef());
      }
    }
    return new CheckpointValueSource(CheckpointReader.open(io, prefix), parts);
  }

  /**
   * Opens the checkpoint at {@code prefix} (not a directory; see {@code Checkpoints.resolvePrefix}).
   *
   * @throws java.io.FileNotFoundException when nothing exists at the prefix
   */
  public static CheckpointValueSource open(FileIO io, String prefix) throws IOException {
    return new CheckpointValueSource(CheckpointReader.open(io, prefix), Map.of());
  }

  public String prefix() {
    return reader.prefix();
  }

  @Override
  public Tensor value(String variableName) throws IOException {
    SaveSliceInfoDef part = parts.get(variableName);
    if (part != null) {
      return reader.bundle().lookupSlice(part.getFullName(), slice(variableName, part));
    }
    return reader.getTensor(variableName);
  }

  @Override
  public long byteSizeHint(String variableName) throws IOException {
    SaveSliceInfoDef part = parts.get(variableName);
    BundleEntryProto entry = reader.bundle().entry(part != null ? part.getFullName() : variableName);
    DType dtype = DType.fromNumber(entry.getDtypeValue());
    Shape shape = part != null ? Shape.of(part.getVarShapeList().stream().mapToLong(Long::longValue).toArray()) : Shape.fromProto(entry.getShape());
    if (dtype.isFixedWidth()) {
      return Tensor.byteSize(dtype, shape);
    }
    return entry.getSize(); // strings: the stored bytes, close to their TensorProto size
  }

  private static TensorSlice slice(String variableName, SaveSliceInfoDef part) {
    if (part.getVarOffsetCount() != part.getVarShapeCount()) {
      throw new IllegalArgumentException("Invalid save_slice_info of " + variableName + ": var_offset and var_shape differ in rank");
    }
    long[] starts = part.getVarOffsetList().stream().mapToLong(Long::longValue).toArray();
    long[] lengths = part.getVarShapeList().stream().mapToLong(Long::longValue).toArray();
    return TensorSlice.of(starts, lengths);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
