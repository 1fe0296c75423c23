package io.sparkpoint.kernels.training;

/**
 * The element-wise arithmetic of one optimizer, as TensorFlow's CPU functor computes it
 * (tensorflow/core/kernels/training_ops.cc): the same operations in the same order, each rounded
 * to the dtype (float32 arithmetic for float32, as Eigen does), so results match TF's bit for bit
 * except where TF's vectorized rsqrt is approximate (Adagrad, float32: a few ulps).
 *
 * <p>Each method updates elements [0, n) of a chunk in place: {@code lanes[0]} holds the variable,
 * {@code lanes[1..]} the slots in the op's input order; {@code s} holds the op's scalar inputs in
 * input order (the gradient left out), each exactly as a double. The chunks are small arrays, so
 * the JIT vectorizes the simple loops the updates are written as.
 */
interface Update {
  void float32(float[][] lanes, float[] grad, int n, double[] s);

  void float64(double[][] lanes, double[] grad, int n, double[] s);
}
