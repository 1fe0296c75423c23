package io.sparkpoint.kernels.conv;

import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * What the gradient tests check adjoints with: a gradient kernel g of a linear map f is right when
 * {@code <f(x), y> = <x, g(y)>} for random x and y.
 */
final class Adjoints {
  private Adjoints() {}

  /** float64 values uniform in [-1, 1). */
  static Tensor random(SplittableRandom random, long... dims) {
    Shape shape = Shape.of(dims);
    double[] values = new double[Math.toIntExact(shape.numElements())];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextDouble(-1, 1);
    }
    return Tensor.ofDoubles(shape, values);
  }

  /** The inner product of two tensors of the same size. */
  static double dot(Tensor a, Tensor b) {
    double sum = 0;
    for (int i = 0; i < a.numElements(); i++) {
      sum += a.doubleAt(i) * b.doubleAt(i);
    }
    return sum;
  }
}
