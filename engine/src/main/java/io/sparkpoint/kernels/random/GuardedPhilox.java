package io.sparkpoint.kernels.random;

import java.security.SecureRandom;

/**
 * A random node's generator for the life of a session, as TensorFlow's GuardedPhiloxRandom: each
 * run reserves a stretch of the stream and gets a private generator at its start, so the node's
 * runs continue one sequence (a second run differs from the first) and concurrent runs never share
 * blocks. Thread-safe.
 */
final class GuardedPhilox {
  /** Blocks a run reserves per output element: TF's conservative 256, also the skip between truncated-normal groups. */
  static final int RESERVED_BLOCKS_PER_OUTPUT = 256;

  private static final SecureRandom FRESH_SEEDS = new SecureRandom();

  /** The start of the next run's stretch; guarded by this. */
  private final Philox4x32 generator;

  private GuardedPhilox(Philox4x32 generator) {
    this.generator = generator;
  }

  /**
   * A generator seeded by a node's {@code seed} and {@code seed2} attrs; when both are 0, by two fresh
   * random 64-bit seeds instead (TF's "unseeded" ops, different in every session).
   */
  static GuardedPhilox seeded(long seed, long seed2) {
    if (seed == 0 && seed2 == 0) {
      return new GuardedPhilox(Philox4x32.seeded(FRESH_SEEDS.nextLong(), FRESH_SEEDS.nextLong()));
    }
    return new GuardedPhilox(Philox4x32.seeded(seed, seed2));
  }

  /** A private generator for a run that makes {@code outputs} elements; the shared one moves past them. */
  synchronized Philox4x32 reserveForOutputs(long outputs) {
    Philox4x32 start = generator.copy();
    generator.skip(outputs * RESERVED_BLOCKS_PER_OUTPUT);
    return start;
  }
}
