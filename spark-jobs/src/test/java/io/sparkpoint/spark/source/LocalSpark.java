package io.sparkpoint.spark.source;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The local Spark session of the data source's tests (one per test class) and row helpers. */
final class LocalSpark {
  private LocalSpark() {}

  static SparkSession start() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("tfcheckpoint-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  /** An array column as a Java list; null stays null. */
  static <T> List<T> list(Row row, String column) {
    int index = row.fieldIndex(column);
    return row.isNullAt(index) ? null : new ArrayList<>(row.getList(index));
  }
}
