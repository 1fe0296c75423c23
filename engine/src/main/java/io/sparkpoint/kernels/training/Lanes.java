package io.sparkpoint.kernels.training;

import java.nio.ByteBuffer;

/**
 * The memory one optimizer step works on, element-aligned little-endian buffers of one dtype: the
 * variable and its slots as stored ({@code current}), the buffers their new values go to
 * ({@code next}, same order: the variable first), the gradient, and the op's scalar inputs in input
 * order (the gradient left out), each held exactly as a double.
 *
 * <p>{@code next[0]} may be the gradient's own memory (when the kernel may overwrite the gradient):
 * an update reads element i of the gradient before it writes element i of {@code next[0]}, and
 * never reads it again.
 */
final class Lanes {
  final ByteBuffer[] current;
  final ByteBuffer[] next;
  final ByteBuffer grad;
  private final double[] scalars;

  Lanes(ByteBuffer[] current, ByteBuffer[] next, ByteBuffer grad, double[] scalars) {
    this.current = current;
    this.next = next;
    this.grad = grad;
    this.scalars = scalars;
  }

  /** Scalar input {@code index} of a float32 op (exact: it was a float). */
  float f(int index) {
    return (float) scalars[index];
  }

  /** Scalar input {@code index} of a float64 op. */
  double d(int index) {
    return scalars[index];
  }
}
