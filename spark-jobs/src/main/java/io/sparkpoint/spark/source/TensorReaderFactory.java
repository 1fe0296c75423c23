package io.sparkpoint.spark.source;

import io.sparkpoint.spark.hadoop.HadoopConf;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** Shipped to the executors: makes each task's reader over the driver's Hadoop configuration. */
final class TensorReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final HadoopConf conf;
  private final List<CheckpointColumn> columns;
  private final ScanFilter filter;

  TensorReaderFactory(HadoopConf conf, List<CheckpointColumn> columns, ScanFilter filter) {
    this.conf = conf;
    this.columns = List.copyOf(columns);
    this.filter = filter;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    return new TensorRowReader(conf.fileIO(), (TensorPartition) partition, columns, filter);
  }
}
