package io.sparkpoint.spark.source;

import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.fs.FileIO;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;

/**
 * Reads one {@link TensorPartition} on an executor: opens the checkpoint's index, then builds one
 * row per tensor of the partition (or, for an index-only listing, per tensor the filter accepts).
 */
final class TensorRowReader implements PartitionReader<InternalRow> {
  private final FileIO io;
  private final TensorPartition partition;
  private final List<CheckpointColumn> columns;
  private final ScanFilter filter;
  private final Long step;
  private BundleReader bundle;
  private EntryChunks chunks;
  private TensorRows rows;
  private Iterator<String> names;
  private InternalRow current;

  TensorRowReader(FileIO io, TensorPartition partition, List<CheckpointColumn> columns, ScanFilter filter) {
    this.io = io;
    this.partition = partition;
    this.columns = columns;
    this.filter = filter;
    this.step = Checkpoints.stepOf(partition.prefix());
  }

  @Override
  public boolean next() throws IOException {
    if (bundle == null) {
      open();
    }
    while (names.hasNext()) {
      String name = names.next();
      if (partition.readsIndexOnly() && !filter.accepts(partition.prefix(), step, name)) {
        continue;
      }
      current = rows.row(name);
      return true;
    }
    return false;
  }

  private void open() throws IOException {
    bundle = BundleReader.open(io, partition.prefix());
    chunks = new EntryChunks(io, partition.prefix(), bundle.numShards());
    rows = new TensorRows(bundle, chunks, columns);
    names = (partition.readsIndexOnly() ? bundle.tensorNames() : partition.names()).iterator();
  }

  @Override
  public InternalRow get() {
    return current;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return new CustomTaskMetric[] {TensorBytesRead.of(rows == null ? 0 : rows.bytesRead())};
  }

  @Override
  public void close() throws IOException {
    try (BundleReader openBundle = bundle; EntryChunks openChunks = chunks) {
      // closes both, the first failure reported
    }
  }
}
