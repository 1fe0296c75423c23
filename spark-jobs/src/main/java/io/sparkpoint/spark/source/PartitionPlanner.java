package io.sparkpoint.spark.source;

import io.sparkpoint.bundle.BundleReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits the tensors of one checkpoint into tasks: one group per data file, cut into runs of at
 * most {@code splitBytes} stored bytes in name order. A tensor larger than that is a task of its
 * own; a tensor is never split between tasks, since one row describes it whole (its statistics
 * stream in constant memory instead). A partitioned tensor goes with its first slice's data file.
 */
final class PartitionPlanner {
  private PartitionPlanner() {}

  static List<TensorPartition> plan(BundleReader reader, ScanFilter filter, long splitBytes) throws IOException {
    String prefix = reader.prefix();
    Long step = CheckpointPrefixes.step(prefix);
    Map<Integer, List<TensorPieces>> byShard = new TreeMap<>();
    for (String name : reader.tensorNames()) {
      if (filter.accepts(prefix, step, name)) {
        TensorPieces tensor = TensorPieces.of(reader, name);
        byShard.computeIfAbsent(tensor.firstShard(), shard -> new ArrayList<>()).add(tensor);
      }
    }
    List<TensorPartition> partitions = new ArrayList<>();
    for (Map.Entry<Integer, List<TensorPieces>> shard : byShard.entrySet()) {
      List<String> names = new ArrayList<>();
      long bytes = 0;
      for (TensorPieces tensor : shard.getValue()) {
        if (!names.isEmpty() && bytes + tensor.sizeBytes() > splitBytes) {
          partitions.add(new TensorPartition(prefix, shard.getKey(), names, bytes));
          names = new ArrayList<>();
          bytes = 0;
        }
        names.add(tensor.name());
        bytes += tensor.sizeBytes();
      }
      partitions.add(new TensorPartition(prefix, shard.getKey(), names, bytes));
    }
    return partitions;
  }
}
