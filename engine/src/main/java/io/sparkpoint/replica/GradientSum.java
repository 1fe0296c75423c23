package io.sparkpoint.replica;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Replicas' gradients summed for an average over a global batch: each replica adds its slice's
 * gradients weighted by the slice's example count, so that {@link #mean()} is the gradient of the
 * batch's mean loss, as one process would compute it. The values replicas' state updates wrote
 * (batch-norm moving averages) are summed the same way, so {@link #stateMean()} is their
 * example-weighted mean. Sums are kept in float64 whatever the tensors' dtype. Merging is
 * elementwise; merge in a fixed order for bit-reproducible results.
 */
public final class GradientSum implements Serializable {
  private static final long serialVersionUID = 2L;

  private long examples;
  private double lossSum;
  /** How many of the tensors are gradients; the state values follow them. */
  private final int gradients;
  private final double[][] sums;
  private final long[][] shapes;
  private final DType[] dtypes;

  private GradientSum(int gradients, int state) {
    this.gradients = gradients;
    sums = new double[gradients + state][];
    shapes = new long[gradients + state][];
    dtypes = new DType[gradients + state];
  }

  /** A sum of nothing, for {@code gradients} gradient tensors. */
  public static GradientSum empty(int gradients) {
    return new GradientSum(gradients, 0);
  }

  /** A sum of nothing, for {@code gradients} gradient tensors and {@code state} state values. */
  public static GradientSum empty(int gradients, int state) {
    return new GradientSum(gradients, state);
  }

  /**
   * Adds a slice of {@code count} examples whose mean-loss gradients, state values and loss are
   * {@code result}.
   *
   * @throws IllegalArgumentException for a tensor that is not float32 or float64, or whose shape
   *     differs from what was added before, or a result with another number of state values
   */
  public GradientSum add(long count, Replica.Result result) {
    if (result.state().size() != sums.length - gradients) {
      throw new IllegalArgumentException("Cannot add " + result.state().size() + " state values to a sum of " + (sums.length - gradients));
    }
    for (int i = 0; i < sums.length; i++) {
      Tensor gradient = i < gradients ? result.gradients().get(i) : result.state().get(i - gradients);
      if (gradient.dtype() != DType.FLOAT && gradient.dtype() != DType.DOUBLE) {
        throw new IllegalArgumentException("Cannot average " + label(i) + ": its dtype is " + gradient.dtype().pythonName()
            + ", expected float32 or float64");
      }
      double[] sum = slot(i, gradient.dtype(), gradient.shape().dims());
      ByteBuffer data = gradient.data().order(ByteOrder.LITTLE_ENDIAN);
      if (gradient.dtype() == DType.FLOAT) {
        for (int e = 0; e < sum.length; e++) {
          sum[e] += count * (double) data.getFloat(e * 4);
        }
      } else {
        for (int e = 0; e < sum.length; e++) {
          sum[e] += count * data.getDouble(e * 8);
        }
      }
    }
    examples += count;
    lossSum += count * result.loss().doubleAt(0);
    return this;
  }

  /** Adds another sum into this one; returns this. */
  public GradientSum merge(GradientSum other) {
    if (other.gradients != gradients || other.sums.length != sums.length) {
      throw new IllegalArgumentException("Cannot merge sums of " + other.gradients + " and " + gradients + " gradients, "
          + (other.sums.length - other.gradients) + " and " + (sums.length - gradients) + " state values");
    }
    for (int i = 0; i < sums.length; i++) {
      if (other.sums[i] == null) {
        continue;
      }
      double[] sum = slot(i, other.dtypes[i], other.shapes[i]);
      for (int e = 0; e < sum.length; e++) {
        sum[e] += other.sums[i][e];
      }
    }
    examples += other.examples;
    lossSum += other.lossSum;
    return this;
  }

  private double[] slot(int i, DType dtype, long[] shape) {
    if (sums[i] == null) {
      dtypes[i] = dtype;
      shapes[i] = shape.clone();
      sums[i] = new double[Math.toIntExact(Shape.of(shape).numElements())];
    } else if (!Arrays.equals(shapes[i], shape) || dtypes[i] != dtype) {
      throw new IllegalArgumentException("Cannot add " + label(i) + " of " + dtype.pythonName() + " " + Arrays.toString(shape)
          + " to a sum of " + dtypes[i].pythonName() + " " + Arrays.toString(shapes[i]));
    }
    return sums[i];
  }

  private String label(int i) {
    return i < gradients ? "gradient " + i : "state value " + (i - gradients);
  }

  public long examples() {
    return examples;
  }

  /** The mean loss over every example added. */
  public double meanLoss() {
    return lossSum / examples;
  }

  /**
   * The mean gradients, in their dtypes.
   *
   * @throws IllegalStateException when nothing was added
   */
  public List<Tensor> mean() {
    return means(0, gradients);
  }

  /**
   * The state values' example-weighted means, in their dtypes.
   *
   * @throws IllegalStateException when nothing was added
   */
  public List<Tensor> stateMean() {
    return means(gradients, sums.length);
  }

  private List<Tensor> means(int from, int to) {
    if (examples == 0) {
      throw new IllegalStateException("No examples were added: the batch is empty");
    }
    List<Tensor> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      double[] sum = sums[i];
      if (dtypes[i] == DType.FLOAT) {
        float[] mean = new float[sum.length];
        for (int e = 0; e < sum.length; e++) {
          mean[e] = (float) (sum[e] / examples);
        }
        out.add(Tensor.ofFloats(Shape.of(shapes[i]), mean));
      } else {
        double[] mean = new double[sum.length];
        for (int e = 0; e < sum.length; e++) {
          mean[e] = sum[e] / examples;
        }
        out.add(Tensor.ofDoubles(Shape.of(shapes[i]), mean));
      }
    }
    return out;
  }
}
