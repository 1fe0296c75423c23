package io.sparkpoint.spark.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The data source's Spark tests: one local session per test class, and helpers to read rows. */
abstract class LocalSparkTest {
  static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder()
        .master("local[2]")
        .appName("tfcheckpoint-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** {@code spark.read.format("tfcheckpoint")} with options given as key, value, key, value... */
  static DataFrameReader tfcheckpoint(String... options) {
    DataFrameReader reader = spark.read().format("tfcheckpoint");
    for (int i = 0; i < options.length; i += 2) {
      reader = reader.option(options[i], options[i + 1]);
    }
    return reader;
  }

  /** The rows by their {@code name} column. */
  static Map<String, Row> byName(Dataset<Row> table) {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (Row row : table.collectAsList()) {
      rows.put(row.getAs("name"), row);
    }
    return rows;
  }

  /** An array column as a Java list; null stays null. */
  static <T> List<T> list(Row row, String column) {
    int index = row.fieldIndex(column);
    return row.isNullAt(index) ? null : new ArrayList<>(row.getList(index));
  }

  /** Runs {@code query} and returns its scan's "tensor bytes read" metric. */
  static long tensorBytesRead(Dataset<Row> query) {
    query.collectAsList();
    SparkPlan scan = query.queryExecution().executedPlan().collectLeaves().head();
    return scan.metrics().apply(TensorBytesRead.NAME).value();
  }

  static boolean isNull(Row row, String column) {
    return row.isNullAt(row.fieldIndex(column));
  }
}
