package io.sparkpoint.spark.source;

import io.sparkpoint.spark.hadoop.HadoopConf;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The checkpoints one {@code load} named, resolved to prefixes when the DataFrame was created (as
 * Spark's file sources list their files then): reload to see checkpoints saved since.
 */
final class CheckpointTable implements SupportsRead {
  private final SourceOptions options;
  private final List<String> prefixes;
  private final HadoopConf conf;

  CheckpointTable(SourceOptions options, List<String> prefixes, HadoopConf conf) {
    this.options = options;
    this.prefixes = List.copyOf(prefixes);
    this.conf = conf;
  }

  SourceOptions options() {
    return options;
  }

  /** The checkpoints read, in order. */
  List<String> prefixes() {
    return prefixes;
  }

  HadoopConf conf() {
    return conf;
  }

  @Override
  public String name() {
    return CheckpointDataSource.SHORT_NAME + " " + String.join(", ", options.paths());
  }

  @Override
  public StructType schema() {
    return CheckpointColumn.schema(options);
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
    return new CheckpointScanBuilder(this);
  }
}
