package io.sparkpoint.kernels.training;

/**
 * The element-wise arithmetic of one optimizer, as TensorFlow's CPU functor computes it
 * (tensorflow/core/kernels/training_ops.cc): the same operations in the same order, each rounded
 * to the dtype (float32 arithmetic for float32, as Eigen does), so results match TF's bit for bit
 * except where TF's vectorized rsqrt is approximate (Adagrad, float32: a few ulps).
 *
 * <p>Each method updates elements [from, to) of the {@link Lanes}; calls on disjoint ranges may
 * run concurrently.
 */
interface Update {
  void float32(Lanes lanes, int from, int to);

  void float64(Lanes lanes, int from, int to);
}
