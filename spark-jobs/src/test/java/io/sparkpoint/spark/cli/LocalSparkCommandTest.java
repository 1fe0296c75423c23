package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
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

  /** A checkpoint's files by their name after the prefix, with their bytes (compared by content). */
  static Map<String, ByteBuffer> files(String prefix) throws IOException {
    Map<String, ByteBuffer> files = new TreeMap<>();
    Path parent = Path.of(prefix).getParent();
    String base = Path.of(prefix).getFileName().toString();
    try (Stream<Path> listing = Files.list(parent)) {
      for (Path file : listing.filter(p -> p.getFileName().toString().startsWith(base + ".")).toList()) {
        files.put(file.getFileName().toString().substring(base.length()), ByteBuffer.wrap(Files.readAllBytes(file)));
      }
    }
    return files;
  }

  /**
   * Flips the bits {@code mask} of byte {@code at} of a tensor's stored bytes, counted from their
   * start, or from their end when negative (-1: the last byte); returns the tensor's data file.
   */
  static String corruptTensor(String prefix, String tensor, long at, int mask) throws IOException {
    Path file;
    long offset;
    try (BundleReader reader = BundleReader.open(new LocalFileIO(), prefix)) {
      BundleEntryProto entry = reader.entry(tensor);
      file = Path.of(BundleNaming.dataFile(prefix, entry.getShardId(), reader.numShards()));
      offset = entry.getOffset() + (at >= 0 ? at : entry.getSize() + at);
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[Math.toIntExact(offset)] ^= (byte) mask;
    Files.write(file, bytes);
    return file.toString();
  }

  /** Nothing under {@code dir} is left from a job's temporary directories, attempts or staged files. */
  static void assertNoTemporaryFiles(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      assertThat(all.map(Path::toString)).noneMatch(p -> p.contains("_temp_") || p.contains("tempstate") || p.contains("attempt-"));
    }
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
