package io.sparkpoint.spark.source;

import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/**
 * The scan's "tensor bytes read" metric in the Spark UI: stored tensor bytes the tasks read from
 * data files (indexes not counted), so a query that needs only index columns shows 0. Public with a
 * no-argument constructor because Spark instantiates it by class name to sum the task values.
 */
public final class TensorBytesRead extends CustomSumMetric {
  static final String NAME = "tensorBytesRead";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "tensor bytes read";
  }

  /** One task's count so far. */
  static CustomTaskMetric of(long bytes) {
    return new CustomTaskMetric() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public long value() {
        return bytes;
      }
    };
  }
}
