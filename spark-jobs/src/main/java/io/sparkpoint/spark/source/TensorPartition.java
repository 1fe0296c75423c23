package io.sparkpoint.spark.source;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One task's share of a read: some tensors of one checkpoint.
 *
 * @param prefix the checkpoint
 * @param shard the data file the tensors lie in (a partitioned tensor: its first slice's); null for an index-only listing
 * @param names the tensors to read, in name order; null for every tensor the filter accepts (index-only listings)
 * @param bytes the tensors' stored bytes, what the task reads from the data files
 */
record TensorPartition(String prefix, Integer shard, List<String> names, long bytes) implements InputPartition {
  TensorPartition {
    names = names == null ? null : List.copyOf(names);
  }

  /** A task that reads only the index of {@code prefix} and lists every tensor. */
  static TensorPartition listing(String prefix) {
    return new TensorPartition(prefix, null, null, 0);
  }

  boolean readsIndexOnly() {
    return names == null;
  }
}
