package io.sparkpoint.spark.source;

import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;

/**
 * Takes the columns a query needs (so {@code select("name")} reads no tensor bytes) and the filters
 * on {@code checkpoint}, {@code step} and {@code name} (so unwanted checkpoints and tensors are
 * never read). Every filter is still applied by Spark after the scan.
 */
final class CheckpointScanBuilder implements SupportsPushDownRequiredColumns, SupportsPushDownFilters {
  private final CheckpointTable table;
  private StructType required;
  private ScanFilter filter = ScanFilter.none();

  CheckpointScanBuilder(CheckpointTable table) {
    this.table = table;
    this.required = table.schema();
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    required = requiredSchema;
  }

  @Override
  public Filter[] pushFilters(Filter[] filters) {
    filter = ScanFilter.of(filters);
    return filters;
  }

  @Override
  public Filter[] pushedFilters() {
    return filter.filters();
  }

  @Override
  public Scan build() {
    return new CheckpointScan(table, required, filter);
  }
}
