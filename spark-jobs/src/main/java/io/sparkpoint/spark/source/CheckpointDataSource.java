package io.sparkpoint.spark.source;

import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.spark.hadoop.HadoopConf;
import io.sparkpoint.spark.hadoop.HadoopPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code tfcheckpoint} data source: TensorFlow V2 checkpoints as a table with one row per
 * variable, from PySpark, Scala, Java and SQL alike.
 *
 * <pre>{@code
 * spark.read.format("tfcheckpoint").load("hdfs://nn/models/run1/model.ckpt-100")
 * spark.read.format("tfcheckpoint").option("checkpoints", "all").option("stats", "true").load("hdfs://nn/models/run1")
 * }</pre>
 *
 * <p><b>Paths.</b> A checkpoint prefix ({@code .../model.ckpt-100}, whose {@code .index} must
 * exist) or a directory: by default its latest checkpoint, through its {@code checkpoint} state
 * file; with {@code checkpoints=all}, every checkpoint the state file lists, oldest first (listed
 * checkpoints whose files retention has deleted since are skipped with a warning). A prefix always
 * means exactly that checkpoint. {@code load(p1, p2, ...)} reads several paths into one table, each
 * checkpoint once, so runs can be compared. Any Hadoop URI works; the session's Hadoop configuration
 * goes to the executors, with options starting {@code fs.}, {@code dfs.} or {@code hadoop.} set on
 * top. A relative path is made absolute on the driver (a local one becomes {@code file:/...}), so
 * executors with another working directory find it. Paths are resolved when the DataFrame is
 * created, as Spark's file sources list their files: reload to see checkpoints saved since. A path
 * that is no checkpoint fails at once, naming the path and what was expected; a V1 checkpoint fails
 * saying so.
 *
 * <p><b>Columns.</b> {@code checkpoint} (the prefix), {@code step} (the {@code -N} suffix of the
 * prefix; null without one), {@code name}, {@code dtype} (TensorFlow's Python names:
 * {@code float32}, {@code int64}, {@code string}), {@code shape} (array of long; empty for a
 * scalar), {@code num_elements}, {@code shard} (the data file index; null for a partitioned
 * tensor, whose slices may lie in several files) and {@code size_bytes} (bytes stored in the data
 * files, all slices together). TensorFlow's header entry (the empty key) and the slice entries
 * are not rows: a partitioned variable is one row with its full name and full shape.
 * <ul>
 *   <li>{@code values=true} adds {@code values} (array of double, row-major; for every real
 *   numeric dtype and bool: bool as 0 and 1, float16/bfloat16/float8 widened exactly, quantized
 *   types as their raw integers, 64-bit integers rounded to the nearest double) and
 *   {@code string_values} (array of binary, for string tensors: TensorFlow strings are bytes;
 *   {@code cast(... as string)} decodes UTF-8). The column that does not apply is null; both are
 *   null for complex tensors, and {@code values} for tensors over 250,000,000
 *   elements (more than a Spark row holds). Partitioned tensors are reassembled.</li>
 *   <li>{@code stats=true} adds {@code min}, {@code max}, {@code mean}, {@code l2_norm} and
 *   {@code nan_count} for the same dtypes (null otherwise). NaNs are counted and left out of the
 *   others, like numpy's {@code nanmin}/{@code nanmean}; min, max and mean are null when no element
 *   is a number. They are computed on the executors, for partitioned tensors over every slice:
 *   from the values when those are read too, otherwise from the stored bytes streamed in 1 MiB
 *   chunks, never a whole tensor in memory.</li>
 * </ul>
 *
 * <p><b>Planning.</b> A query that needs only index columns ({@code select("name", "shape")},
 * {@code count()}) runs one task per checkpoint that reads the index and no data file. A query
 * needing values or stats plans on the driver from the index: one task per (checkpoint, data
 * file), cut into tasks of at most {@code split-bytes} (default 64 MiB; accepts {@code 64m},
 * {@code 1g}) stored bytes, each preferring the hosts that store its bytes (HDFS block
 * locations). A tensor larger than that is a task of its own: a row describes one tensor whole,
 * so a tensor is never split between tasks; its stats stream in constant memory. Each task reads
 * its checkpoint's index once. The scan reads only the columns the query needs, and filters on
 * {@code checkpoint}, {@code step} and {@code name} (=, IN, &lt;, &gt;, startsWith, AND, OR, NOT,
 * null tests) skip checkpoints and tensors before they are read; Spark applies every filter again.
 * Rows come in no particular order. The scan's {@code tensor bytes read} metric
 * ({@link TensorBytesRead}) shows what the tasks read.
 *
 * <p><b>Errors.</b> Damaged files fail the task with the bundle reader's messages, naming the file
 * and the tensor (a checksum mismatch, an entry outside its data file, a missing data file); a bad
 * option fails naming the option and the values it accepts.
 */
public final class CheckpointDataSource implements TableProvider, DataSourceRegister {
  public static final String SHORT_NAME = "tfcheckpoint";

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return CheckpointColumn.schema(SourceOptions.parse(options.asCaseSensitiveMap()));
  }

  /**
   * Resolves the paths to checkpoint prefixes.
   *
   * @throws UncheckedIOException when a path is no checkpoint, with the message naming it
   * @throws IllegalArgumentException for a bad option
   */
  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    SourceOptions options = SourceOptions.parse(properties);
    Configuration conf = new Configuration(SparkSession.active().sparkContext().hadoopConfiguration());
    options.hadoopSettings().forEach(conf::set);
    List<String> prefixes;
    try {
      List<String> paths = new ArrayList<>();
      for (String path : options.paths()) {
        paths.add(HadoopPaths.absolute(path, conf));
      }
      prefixes = CheckpointPrefixes.resolve(new HadoopFileIO(conf), paths, options.allCheckpoints());
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    return new CheckpointTable(options, prefixes, new HadoopConf(conf));
  }
}
