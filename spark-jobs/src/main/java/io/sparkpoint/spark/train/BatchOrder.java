package io.sparkpoint.spark.train;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The order examples are visited in: each epoch is a permutation of the dataset drawn from the seed
 * and the epoch number alone, and step s takes positions [offset, offset + batch) of its epoch's
 * permutation. So a step's global batch depends only on the seed, the dataset and the step, not on
 * partitions, executors or restarts; a resumed run continues where the killed one stopped. The last
 * incomplete batch of an epoch is dropped.
 */
final class BatchOrder {
  private static final ConcurrentHashMap<String, int[]> INVERSES = new ConcurrentHashMap<>();

  private BatchOrder() {}

  static long stepsPerEpoch(long examples, int batchSize) {
    return examples / batchSize;
  }

  /** Position of each example in the epoch's permutation (a Fisher-Yates shuffle seeded by seed and epoch). */
  static int[] positions(long seed, long epoch, int examples) {
    int[] permutation = new int[examples];
    for (int i = 0; i < examples; i++) {
      permutation[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
    for (int i = examples - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = permutation[i];
      permutation[i] = permutation[j];
      permutation[j] = swap;
    }
    int[] inverse = new int[examples];
    for (int p = 0; p < examples; p++) {
      inverse[permutation[p]] = p;
    }
    return inverse;
  }

  /** {@link #positions}, computed once per executor JVM for a run and an epoch (only the last epoch asked is kept). */
  static int[] cachedPositions(String run, long seed, long epoch, int examples) {
    String key = run + "/" + epoch;
    int[] cached = INVERSES.get(key);
    if (cached == null) {
      synchronized (INVERSES) {
        cached = INVERSES.get(key);
        if (cached == null) {
          INVERSES.clear(); // one epoch of one run at a time

          cached = positions(seed, epoch, examples);
          INVERSES.put(key, cached);
        }
      }
    }
    return cached;
  }

  /** The local examples of {@code block} in step {@code step}'s global batch, in batch order. */
  static int[] slice(TrainContext context, ExampleBlock block, long step) {
    long perEpoch = stepsPerEpoch(context.examples(), context.batchSize());
    long epoch = step / perEpoch;
    long from = (step % perEpoch) * context.batchSize();
    int[] inverse = cachedPositions(context.runId(), context.seed(), epoch, Math.toIntExact(context.examples()));
    return block.slice(epoch, inverse, from, from + context.batchSize());
  }
}
