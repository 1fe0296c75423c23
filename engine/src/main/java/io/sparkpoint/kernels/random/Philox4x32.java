package io.sparkpoint.kernels.random;

/**
 * The Philox4x32-10 counter-based generator (Salmon, Moraes, Dror and Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3", SC 2011) as TensorFlow seeds and steps it: a 128-bit counter and a
 * 64-bit key; each block of four 32-bit words is the counter run through ten rounds under the key,
 * after which the counter advances by one. Skipping ahead is adding to the counter, so any block
 * of the stream costs the same.
 *
 * <p>Words are {@code int}s holding unsigned 32-bit values. Not thread-safe: a generator is a small
 * value that callers {@link #copy} (see {@link GuardedPhilox} for the shared one).
 */
final class Philox4x32 {
  /** Words per block. */
  static final int BLOCK_WORDS = 4;

  // the round constants of the paper: Weyl increments of the key and the two multipliers
  private static final int KEY_STEP_0 = 0x9E3779B9;
  private static final int KEY_STEP_1 = 0xBB67AE85;
  private static final long MULTIPLIER_0 = 0xD2511F53L;
  private static final long MULTIPLIER_1 = 0xCD9E8D57L;

  /** The counter, least significant word first. */
  private int c0;
  private int c1;
  private int c2;
  private int c3;
  private final int k0;
  private final int k1;

  private Philox4x32(int c0, int c1, int c2, int c3, int k0, int k1) {
    this.c0 = c0;
    this.c1 = c1;
    this.c2 = c2;
    this.c3 = c3;
    this.k0 = k0;
    this.k1 = k1;
  }

  /**
   * TensorFlow's seeding of a random op: the key is {@code seed} (low word first), the counter's
   * upper 64 bits are {@code seed2} and its lower 64 bits start at 0.
   */
  static Philox4x32 seeded(long seed, long seed2) {
    return new Philox4x32(0, 0, (int) seed2, (int) (seed2 >>> 32), (int) seed, (int) (seed >>> 32));
  }

  /** A generator at {@code counter} (four words, least significant first) under {@code key} (two words). */
  static Philox4x32 of(int[] counter, int[] key) {
    return new Philox4x32(counter[0], counter[1], counter[2], counter[3], key[0], key[1]);
  }

  Philox4x32 copy() {
    return new Philox4x32(c0, c1, c2, c3, k0, k1);
  }

  /** The counter of the next block, least significant word first. */
  int[] counter() {
    return new int[] {c0, c1, c2, c3};
  }

  /**
   * Moves the counter {@code blocks} blocks ahead ({@code blocks} is unsigned). The carry follows
   * TensorFlow's: out of word 0 into word 1, and out of word 1 into words 2 and 3.
   */
  void skip(long blocks) {
    int low = (int) blocks;
    int high = (int) (blocks >>> 32);
    c0 += low;
    if (Integer.compareUnsigned(c0, low) < 0) {
      high++;
    }
    c1 += high;
    if (Integer.compareUnsigned(c1, high) < 0) {
      c2++;
      if (c2 == 0) {
        c3++;
      }
    }
  }

  /** Writes the next block's four words to {@code out[0..3]} and advances the counter by one. */
  void next(int[] out) {
    int x0 = c0;
    int x1 = c1;
    int x2 = c2;
    int x3 = c3;
    int key0 = k0;
    int key1 = k1;
    for (int round = 0; round < 10; round++) {
      if (round > 0) {
        key0 += KEY_STEP_0;
        key1 += KEY_STEP_1;
      }
      long product0 = MULTIPLIER_0 * (x0 & 0xFFFFFFFFL);
      long product1 = MULTIPLIER_1 * (x2 & 0xFFFFFFFFL);
      int y0 = (int) (product1 >>> 32) ^ x1 ^ key0;
      int y1 = (int) product1;
      int y2 = (int) (product0 >>> 32) ^ x3 ^ key1;
      int y3 = (int) product0;
      x0 = y0;
      x1 = y1;
      x2 = y2;
      x3 = y3;
    }
    out[0] = x0;
    out[1] = x1;
    out[2] = x2;
    out[3] = x3;
    if (++c0 == 0 && ++c1 == 0 && ++c2 == 0) {
      c3++;
    }
  }
}
