package io.sparkpoint.spark.jobs;

import io.sparkpoint.checkpoint.CheckpointReader;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Lists a checkpoint's tensors and, on request, reads some of them. */
public final class InspectJob {
  private InspectJob() {}

  /** One tensor: its name, dtype and shape, and its value when it was read. */
  public record TensorInfo(String name, DType dtype, Shape shape, Tensor value) {}

  public record Result(String prefix, List<TensorInfo> tensors) {}

  /**
   * @param path a checkpoint prefix or a directory with a state file
   * @param tensorName the tensor whose value to read, or null
   * @param readAll read the value of every tensor
   */
  public static Result run(FileIO io, String path, String tensorName, boolean readAll) throws IOException {
    String prefix = Checkpoints.resolvePrefix(io, path);
    try (CheckpointReader reader = CheckpointReader.open(io, prefix)) {
      List<TensorInfo> tensors = new ArrayList<>();
      if (tensorName != null) {
        Tensor value = reader.getTensor(tensorName);
        tensors.add(new TensorInfo(tensorName, value.dtype(), value.shape(), value));
        return new Result(prefix, tensors);
      }
      Map<String, DType> dtypes = reader.variableToDtypeMap();
      for (Map.Entry<String, Shape> entry : reader.variableToShapeMap().entrySet()) {
        String name = entry.getKey();
        tensors.add(new TensorInfo(name, dtypes.get(name), entry.getValue(), readAll ? reader.getTensor(name) : null));
      }
      return new Result(prefix, tensors);
    }
  }
}
