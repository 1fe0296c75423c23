package io.sparkpoint.spark.source;

import io.sparkpoint.fs.hadoop.HadoopFileIO;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** Shipped to the executors: makes each task's reader over the driver's Hadoop configuration. */
final class TensorReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;

  private final SerializableHadoopConf conf;
  private final List<CheckpointColumn> columns;
  private final ScanFilter filter;

  TensorReaderFactory(SerializableHadoopConf conf, List<CheckpointColumn> columns, ScanFilter filter) {
    this.conf = conf;
    this.columns = List.copyOf(columns);
    this.filter = filter;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    return new TensorRowReader(new HadoopFileIO(conf.value()), (TensorPartition) partition, columns, filter);
  }
}
