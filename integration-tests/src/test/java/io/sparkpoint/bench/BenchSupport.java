package io.sparkpoint.bench;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/** What every benchmark here shares: clean starting points, test data, and summary statistics. */
final class BenchSupport {
  private BenchSupport() {}

  /**
   * Collects the garbage of the previous measurement and flushes dirty pages (sync), so neither a
   * GC cycle nor writeback from one measurement lands in the next.
   */
  static void settle() throws IOException {
    System.gc();
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while running sync", e);
    }
  }

  /** Deterministic pseudo-random bytes (xorshift), cheap to make. */
  static ByteBuffer pattern(int bytes, int seed) {
    ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long x = 0x9E3779B97F4A7C15L ^ seed;
    while (buffer.remaining() >= 8) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      buffer.putLong(x);
    }
    buffer.flip();
    return buffer;
  }

  /** Runs {@code run(i)} for i in [0, warmup + iters); returns the median milliseconds of the last {@code iters} runs. */
  static double medianMillis(int warmup, int iters, IntConsumer run) {
    double[] times = new double[iters];
    for (int i = 0; i < warmup + iters; i++) {
      long start = System.nanoTime();
      run.accept(i);
      if (i >= warmup) {
        times[i - warmup] = (System.nanoTime() - start) / 1e6;
      }
    }
    return median(times);
  }

  static double best(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Runs the tf-oracle (TensorFlow 2.18 in its own JVM) with these arguments; returns its output. */
  static String oracle(String... args) throws Exception {
    Path integrationTests = Paths.get(System.getProperty("sparkpoint.oracle.classes", "tf-oracle/target/classes")).getParent().getParent();
    String classpath = integrationTests.resolve("target/classes") + File.pathSeparator
        + Files.readString(integrationTests.resolve("target/oracle.classpath")).trim();
    List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx2g", "-cp", classpath, "io.sparkpoint.oracle.Oracle"));
    command.addAll(Arrays.asList(args));
    return run(command);
  }

  /** Runs a command to completion (30 minutes at most); returns its output, or fails with it. */
  static String run(List<String> command) throws Exception {
    Path out = Files.createTempFile("bench", ".out");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
    Process process = builder.start();
    if (!process.waitFor(30, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException("Timed out: " + String.join(" ", command));
    }
    String output = Files.readString(out);
    Files.delete(out);
    if (process.exitValue() != 0) {
      throw new IllegalStateException("Failed (exit " + process.exitValue() + "): " + output);
    }
    return output;
  }

  static String javaBin() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }
}
