package io.sparkpoint.spark.source;

import io.sparkpoint.checkpoint.Checkpoints;
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
    Long step = Checkpoints.stepOf(prefix);
    Map<Integer, List<TensorPieces>> byShard = new TreeMap<>();
    for (String name : reader.tensorNames()) {
      if (filter.accepts(prefix, step, name)) {
        TensorPieces tensor = TensorPieces.of(reader, name);
        byShard.computeIfAbsent(tensor.firstShard(), shard -> new ArrayList<>()).add(tensor);
      }
    }
    List<TensorPartition> partitions = new ArrayList<>();
    for (Map.Entry<Integer, List<TensorPieces>> shard : byShard.entrySet()) {
      Run run = new Run(prefix, shard.getKey());
      for (TensorPieces tensor : shard.getValue()) {
        if (!run.names.isEmpty() && run.bytes + tensor.sizeBytes() > splitBytes) {
          partitions.add(run.partition());
          run = new Run(prefix, shard.getKey());
        }
        run.add(tensor);
      }
      partitions.add(run.partition());
    }
    return partitions;
  }

  /** The tensors of one task, as they are gathered. */
  private static final class Run {
    private final String prefix;
    private final int shard;
    private final List<String> names = new ArrayList<>();
    private long bytes;
    /** The byte range the run covers in its data file. */
    private long start = Long.MAX_VALUE;
    private long end;

    Run(String prefix, int shard) {
      this.prefix = prefix;
      this.shard = shard;
    }

    void add(TensorPieces tensor) {
      names.add(tensor.name());
      bytes += tensor.sizeBytes();
      for (TensorPieces.Piece piece : tensor.pieces()) {
        if (piece.entry().getShardId() == shard) {
          start = Math.min(start, piece.entry().getOffset());
          end = Math.max(end, piece.entry().getOffset() + piece.entry().getSize());
        }
      }
    }

    TensorPartition partition() {
      return new TensorPartition(prefix, shard, names, bytes, Math.min(start, end), end, List.of());
    }
  }
}
