package io.sparkpoint.spark.source;

import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.spark.hadoop.BlockHosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.StructType;

/**
 * Plans the tasks of one read on the driver. When the query needs only index columns, each
 * checkpoint is one task that reads its index and nothing else. When it needs values or stats, the
 * driver reads each index and splits the tensors by data file and size (see {@link PartitionPlanner}),
 * so a large checkpoint reads in parallel, each task preferring the hosts that store its bytes.
 */
final class CheckpointScan implements Scan, Batch {
  private final CheckpointTable table;
  private final StructType readSchema;
  private final List<CheckpointColumn> columns;
  private final ScanFilter filter;
  private InputPartition[] partitions;

  CheckpointScan(CheckpointTable table, StructType readSchema, ScanFilter filter) {
    this.table = table;
    this.readSchema = readSchema;
    this.columns = CheckpointColumn.of(readSchema);
    this.filter = filter;
  }

  @Override
  public StructType readSchema() {
    return readSchema;
  }

  @Override
  public String description() {
    return CheckpointDataSource.SHORT_NAME + " " + table.prefixes() + " columns " + columns.stream().map(CheckpointColumn::columnName).toList()
        + (readsData() ? "" : " (index only)") + " pushed filters " + Arrays.toString(filter.filters());
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public synchronized InputPartition[] planInputPartitions() {
    if (partitions == null) {
      try {
        partitions = plan().toArray(new InputPartition[0]);
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
    }
    return partitions.clone();
  }

  private List<TensorPartition> plan() throws IOException {
    FileIO io = new HadoopFileIO(table.conf().value());
    BlockHosts blockHosts = new BlockHosts(table.conf().value());
    List<TensorPartition> planned = new ArrayList<>();
    for (String prefix : table.prefixes()) {
      if (!filter.acceptsCheckpoint(prefix, Checkpoints.stepOf(prefix))) {
        continue;
      }
      if (!readsData()) {
        planned.add(TensorPartition.listing(prefix));
        continue;
      }
      try (BundleReader reader = BundleReader.open(io, prefix)) {
        for (TensorPartition partition : PartitionPlanner.plan(reader, filter, table.options().splitBytes())) {
          String dataFile = BundleNaming.dataFile(prefix, partition.shard(), reader.numShards());
          planned.add(partition.withHosts(blockHosts.hosts(dataFile, partition.start(), partition.end())));
        }
      }
    }
    return planned;
  }

  private boolean readsData() {
    return CheckpointColumn.anyCosts(columns, CheckpointColumn.Cost.VALUES) || CheckpointColumn.anyCosts(columns, CheckpointColumn.Cost.STATS);
  }

  @Override
  public CustomMetric[] supportedCustomMetrics() {
    return new CustomMetric[] {new TensorBytesRead()};
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new TensorReaderFactory(table.conf(), columns, filter);
  }
}
