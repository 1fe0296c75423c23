package io.sparkpoint.restore;

import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** A tensor's dtype and shape, as a checkpoint's index records them. */
public record TensorSpec(DType dtype, Shape shape) {
  /** Every tensor of a checkpoint, by name, in name order. */
  public static SortedMap<String, TensorSpec> of(BundleReader reader) {
    SortedMap<String, TensorSpec> specs = new TreeMap<>();
    SortedMap<String, Shape> shapes = reader.shapeMap();
    for (Map.Entry<String, DType> entry : reader.dtypeMap().entrySet()) {
      specs.put(entry.getKey(), new TensorSpec(entry.getValue(), shapes.get(entry.getKey())));
    }
    return specs;
  }

  /** {@code float32 [3,4]}. */
  @Override
  public String toString() {
    return dtype.pythonName() + " " + shape;
  }
}
