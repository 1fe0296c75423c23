package io.sparkpoint.spark.cli;

import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Commands run on Spark: one local session per test class, which counts the tasks it runs, and checkpoints to run them on. */
abstract class LocalSparkCommandTest {
  static SparkSession spark;
  private static final AtomicInteger TASKS = new AtomicInteger();

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder().master("local[2]").appName("batch-jobs-test").config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        TASKS.incrementAndGet();
      }
    });
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** One CLI run and the Spark tasks it ran. */
  record SparkRun(CliRun cli, int tasks) {}

  /** Runs the CLI in-process and counts the Spark tasks it ran. */
  static SparkRun onSpark(String... args) {
    int before = tasksSoFar();
    CliRun cli = CliRun.of(args);
    return new SparkRun(cli, tasksSoFar() - before);
  }

  /** Writes a single-shard checkpoint of {@code tensors}, in map order, on the local filesystem; returns the prefix. */
  static String writeCheckpoint(String prefix, Map<String, Tensor> tensors) throws IOException {
    try (BundleWriter writer = BundleWriter.create(new LocalFileIO(), prefix)) {
      for (Map.Entry<String, Tensor> tensor : tensors.entrySet()) {
        writer.add(tensor.getKey(), tensor.getValue());
      }
      writer.finish();
    }
    return prefix;
  }

  private static int tasksSoFar() {
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(10_000);
    } catch (TimeoutException e) {
      throw new AssertionError("Spark's listener bus did not drain in 10 s", e);
    }
    return TASKS.get();
  }
}
