package io.sparkpoint.spark.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/** The dataset as training reads it: through Spark SQL, numbered in its stored order, decoded into cached blocks. */
final class TrainingData {
  static final List<String> FORMATS = List.of("parquet", "orc", "json", "csv", "table");

  private TrainingData() {}

  /** Reads {@code data} as {@code format} (parquet, orc, json, csv with a header, or a table name). */
  static Dataset<Row> read(SparkSession spark, String data, String format) {
    String kind = format.toLowerCase(Locale.ROOT);
    return switch (kind) {
      case "table" -> spark.table(data);
      case "csv" -> spark.read().option("header", "true").option("inferSchema", "true").csv(data);
      case "parquet", "orc", "json" -> spark.read().format(kind).load(data);
      default -> throw new IllegalArgumentException("--format must be one of " + FORMATS + ", got '" + format + "'");
    };
  }

  /**
   * The feeds' columns decoded into one cached block per partition. Each example is numbered by its
   * position in the dataset's order before it is spread over {@code partitions}, so the batches do
   * not depend on the partitioning.
   */
  static JavaRDD<ExampleBlock> blocks(Dataset<Row> data, List<FeedSpec> feeds, int partitions) {
    List<Column> columns = new ArrayList<>();
    feeds.forEach(f -> f.columns().forEach(c -> columns.add(data.col(c))));
    JavaRDD<Tuple2<Row, Long>> indexed = data.select(columns.toArray(Column[]::new)).javaRDD().zipWithIndex().map(t -> t);
    if (indexed.getNumPartitions() != partitions) {
      indexed = indexed.repartition(partitions);
    }
    return indexed.mapPartitions((Iterator<Tuple2<Row, Long>> rows) -> {
      List<Row> list = new ArrayList<>();
      List<Long> numbers = new ArrayList<>();
      rows.forEachRemaining(t -> {
        list.add(t._1());
        numbers.add(t._2());
      });
      long[] indices = numbers.stream().mapToLong(Long::longValue).toArray();
      return List.of(ExampleBlock.of(feeds, list, indices)).iterator();
    }, true).persist(StorageLevel.MEMORY_AND_DISK());
  }
}
