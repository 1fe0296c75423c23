package io.sparkpoint.spark.train;

/** The batch order training uses, for tests that replay it in one process. */
public final class BatchOrderAccess {
  private BatchOrderAccess() {}

  public static int[] positions(long seed, long epoch, int examples) {
    return BatchOrder.positions(seed, epoch, examples);
  }
}
