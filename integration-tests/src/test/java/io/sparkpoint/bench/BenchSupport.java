package io.sparkpoint.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

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

  static double best(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
