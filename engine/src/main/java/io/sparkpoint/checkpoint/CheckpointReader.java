package io.sparkpoint.checkpoint;

import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.UnsupportedBundleException;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Map;
import java.util.SortedMap;

/**
 * TensorFlow's NewCheckpointReader for Java: maps of every variable's shape and dtype, and its
 * value. Partitioned variables appear under their full name with their full shape.
 */
public final class CheckpointReader implements Closeable {
  private final BundleReader bundle;

  private CheckpointReader(BundleReader bundle) {
    this.bundle = bundle;
  }

  /**
   * @throws FileNotFoundException when nothing exists at the prefix
   * @throws UnsupportedBundleException for V1 checkpoints
   */
  public static CheckpointReader open(FileIO io, String prefix) throws IOException {
    if (!io.newInputFile(BundleNaming.indexFile(prefix)).exists()) {
      if (io.newInputFile(prefix).exists()) {
        throw new UnsupportedBundleException(
            "V1 format not supported: " + prefix + " is a V1 checkpoint (no " + BundleNaming.indexFile(prefix)
                + "); re-save it with TensorFlow's V2 Saver");
      }
      throw new FileNotFoundException(
          "Unsuccessful TensorSliceReader constructor: Failed to find any matching files for " + prefix);
    }
    return new CheckpointReader(BundleReader.open(io, prefix));
  }

  public String prefix() {
    return bundle.prefix();
  }

  public SortedMap<String, Shape> variableToShapeMap() {
    return bundle.shapeMap();
  }

  public SortedMap<String, DType> variableToDtypeMap() {
    return bundle.dtypeMap();
  }

  public boolean hasTensor(String name) {
    return bundle.contains(name);
  }

  /**
   * @throws io.sparkpoint.bundle.KeyNotFoundException when there is no such tensor
   */
  public Tensor getTensor(String name) throws IOException {
    return bundle.lookup(name);
  }

  /** One line per variable, {@code name (DT_FLOAT) [2,3]}, in name order. */
  public String debugString() {
    StringBuilder text = new StringBuilder();
    SortedMap<String, DType> dtypes = variableToDtypeMap();
    for (Map.Entry<String, Shape> entry : variableToShapeMap().entrySet()) {
      text.append(entry.getKey()).append(" (").append(dtypes.get(entry.getKey()).tfName()).append(") ")
          .append(entry.getValue()).append('\n');
    }
    return text.toString();
  }

  /** The underlying bundle, for streamed reads. */
  public BundleReader bundle() {
    return bundle;
  }

  @Override
  public void close() throws IOException {
    bundle.close();
  }
}
