package io.sparkpoint.spark.jobs;

import io.sparkpoint.bundle.BundleMerger;
import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.SupportsDirectories;
import io.sparkpoint.spark.hadoop.HadoopConf;
import io.sparkpoint.spark.hadoop.HadoopPaths;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A checkpoint written by Spark tasks, one data shard each: task k writes part k into a
 * single-shard bundle of its own under {@code DST_temp_<id>/attempt-<task attempt>/}, so two
 * attempts never share files; the driver then merges the bundles into {@code DST}
 * ({@link BundleMerger}: data files renamed first, the index last) and deletes the temporary
 * directory. A task that fails (a corrupt source tensor) returns its exception instead of throwing
 * it, so the job ends only when every task has, and the driver deletes the temporary directory with
 * no task still writing there, then throws that exception (the lowest part's) as one JVM would.
 */
final class ShardCopies {
  private ShardCopies() {}

  /** What goes into one part's bundle, on an executor; the caller finishes the writer. */
  @FunctionalInterface
  interface PartWriter<T> extends Serializable {
    void write(FileIO io, T part, BundleWriter writer) throws IOException;
  }

  /** Part {@code index} of the work, shipped to its task. */
  record Part<T>(int index, T work) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** What one task did: wrote part {@code index} at {@code prefix}, or failed with {@code failure} (else null). */
  record Written(int index, String prefix, Exception failure) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Writes {@code parts} on Spark, one task each, and merges them into {@code destination} (data
   * shard k holding part k), whose directory exists.
   *
   * @param parts what each task needs to write its part; serializable
   */
  static <T extends Serializable> void run(SparkSession spark, FileIO io, String destination, List<T> parts, String description,
      PartWriter<T> writer) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String temp = destination + "_temp_" + UUID.randomUUID().toString().replace("-", "");
    if (io instanceof SupportsDirectories dirs) {
      dirs.createDirectories(temp);
    }
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      HadoopConf hadoop = new HadoopConf(conf);
      String tempDirectory = HadoopPaths.absolute(temp, conf);
      int count = parts.size();
      List<Part<T>> numbered = new ArrayList<>();
      for (int index = 0; index < count; index++) {
        numbered.add(new Part<>(index, parts.get(index)));
      }
      spark.sparkContext().setJobDescription(description);
      List<Written> written = new ArrayList<>(
          jsc.parallelize(numbered, count).map(part -> write(hadoop, writer, part, count, tempDirectory)).collect());
      written.sort(Comparator.comparingInt(Written::index));
      for (Written task : written) {
        if (task.failure() instanceof RuntimeException e) {
          throw e;
        } else if (task.failure() != null) {
          throw (IOException) task.failure(); // write() returns only these two kinds
        }
      }
      BundleMerger.merge(io, written.stream().map(Written::prefix).toList(), destination, true);
    } finally {
      if (io instanceof SupportsDirectories dirs) {
        try {
          dirs.deleteDirectory(temp);
        } catch (IOException ignored) {
          // best effort: a leftover temporary directory never looks like a checkpoint
        }
      }
    }
  }

  /** On an executor: writes one part into a bundle of this attempt's own; a failure leaves nothing behind and is returned. */
  static <T> Written write(HadoopConf hadoop, PartWriter<T> writer, Part<T> part, int count, String tempDirectory) {
    long attempt = TaskContext.get() == null ? 0 : TaskContext.get().taskAttemptId();
    String prefix = BundleNaming.shardedFilename(tempDirectory + "/attempt-" + attempt + "/part", part.index(), count);
    FileIO io = hadoop.fileIO();
    try (BundleWriter bundle = BundleWriter.create(io, prefix)) {
      writer.write(io, part.work(), bundle);
      bundle.finish();
      return new Written(part.index(), prefix, null);
    } catch (IOException | RuntimeException e) {
      return new Written(part.index(), prefix, e);
    }
  }
}
