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
 * @param start where the first of the tensors' bytes in data file {@code shard} lies
 * @param end just past the last of them
 * @param hosts where those bytes are stored, most first (HDFS); Spark prefers to run the task there
 */
record TensorPartition(String prefix, Integer shard, List<String> names, long bytes, long start, long end, List<String> hosts)
    implements InputPartition {
  TensorPartition {
    names = names == null ? null : List.copyOf(names);
    hosts = List.copyOf(hosts);
  }

  /** A task that reads only the index of {@code prefix} and lists every tensor. */
  static TensorPartition listing(String prefix) {
    return new TensorPartition(prefix, null, null, 0, 0, 0, List.of());
  }

  boolean readsIndexOnly() {
    return names == null;
  }

  TensorPartition withHosts(List<String> preferred) {
    return new TensorPartition(prefix, shard, names, bytes, start, end, preferred);
  }

  @Override
  public String[] preferredLocations() {
    return hosts.toArray(new String[0]);
  }
}
