package io.sparkpoint.oracle;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Deterministic xorshift64* generator; fixed algorithm so data never depends on the JDK. */
final class Rng {
  private static final VarHandle LONGS_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private long state;

  Rng(long seed) {
    // splitmix64 scramble of the seed; state must be non-zero
    long z = seed + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    state = z == 0 ? 0x2545F4914F6CDD1DL : z;
  }

  long nextLong() {
    long x = state;
    x ^= x >>> 12;
    x ^= x << 25;
    x ^= x >>> 27;
    state = x;
    return x * 0x2545F4914F6CDD1DL;
  }

  /** Uniform in [0, bound). */
  int nextInt(int bound) {
    return (int) Long.remainderUnsigned(nextLong(), bound);
  }

  /**
   * Fills b[off, off+len) with the next random bytes, 8 at a time (little-endian longs); a tail
   * shorter than 8 consumes one more long. Sequential calls with lengths that are multiples of 8
   * give the same stream as one big call.
   */
  void fill(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    for (; i + 8 <= end; i += 8) {
      LONGS_LE.set(b, i, nextLong());
    }
    if (i < end) {
      long v = nextLong();
      for (; i < end; i++, v >>>= 8) {
        b[i] = (byte) v;
      }
    }
  }

  byte[] bytes(int len) {
    byte[] b = new byte[len];
    fill(b, 0, len);
    return b;
  }
}
