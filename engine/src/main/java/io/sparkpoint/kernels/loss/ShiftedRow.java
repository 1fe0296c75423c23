package io.sparkpoint.kernels.loss;

import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.tensor.DType;

/**
 * One row of logits shifted by its maximum, as TF's cross-entropy kernels compute it before any
 * exponential: {@code exp(logit - max)} never overflows, and the largest term of the sum is 1.
 * A NaN or +inf logit makes the whole row NaN, as in TF.
 *
 * @param shifted logit - max for each class, rounded to the logits' dtype (TF keeps it there)
 * @param sumExp the sum of exp(shifted)
 */
record ShiftedRow(double[] shifted, double sumExp) {
  static ShiftedRow of(double[] logits, DType type) {
    double max = Double.NEGATIVE_INFINITY;
    for (double logit : logits) {
      max = Math.max(max, logit);
    }
    double[] shifted = new double[logits.length];
    double sum = 0;
    for (int j = 0; j < logits.length; j++) {
      shifted[j] = Numbers.round(type, logits[j] - max);
      sum += Math.exp(shifted[j]);
    }
    return new ShiftedRow(shifted, sum);
  }

  /** log(sum(exp(shifted))): the loss of class j is this minus shifted[j]. */
  double logSumExp() {
    return Math.log(sumExp);
  }

  /** The softmax probability of class j. */
  double probability(int j) {
    return Math.exp(shifted[j]) / sumExp;
  }
}
