package io.sparkpoint.spark.jobs;

import org.apache.spark.sql.SparkSession;

/**
 * Where a batch job runs: in this JVM, or spread over Spark tasks. {@code --local} means this JVM,
 * {@code --master URL} means Spark. Without either, Spark is started only when the checkpoint has
 * at least {@link #AUTO_SPARK_BYTES} to read and the work makes more than one task. Measured on a
 * two-core machine: starting Spark in local mode adds about 5 s to a run (7 s instead of 1.7 s for a
 * 1 MiB checkpoint), while one JVM checks stored bytes at about 1.5 GB/s from the page cache and
 * somewhat less from disk or HDFS, so below a few GiB one JVM finishes before Spark has started.
 *
 * @param master the Spark master; null for spark-submit's, else {@code local[*]}
 */
public record Placement(Mode mode, String master) {
  /** Below this many bytes to read, a job without {@code --master} or {@code --local} runs in this JVM. */
  public static final long AUTO_SPARK_BYTES = 4L << 30;

  /** This JVM, without Spark. */
  public static final Placement LOCAL = new Placement(Mode.LOCAL, null);

  /** Spark for large checkpoints, this JVM for small ones. */
  public static final Placement AUTO = new Placement(Mode.AUTO, null);

  public enum Mode {
    LOCAL,
    SPARK,
    AUTO
  }

  /** Spark tasks on {@code master} (null: spark-submit's, else {@code local[*]}), whatever the size. */
  public static Placement spark(String master) {
    return new Placement(Mode.SPARK, master);
  }

  /** Whether work of {@code bytes} bytes in {@code tasks} tasks runs on Spark. */
  public boolean usesSpark(long bytes, int tasks) {
    return switch (mode) {
      case LOCAL -> false;
      case SPARK -> tasks > 0;
      case AUTO -> tasks > 1 && bytes >= AUTO_SPARK_BYTES;
    };
  }

  /** The session to run in: the active one, else one on this placement's master. */
  public SparkSession session(String appName) {
    return SparkSessions.getOrCreate(master, appName);
  }
}
