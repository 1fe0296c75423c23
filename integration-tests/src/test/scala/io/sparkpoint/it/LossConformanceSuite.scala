package io.sparkpoint.it

import io.sparkpoint.tensor.DType

/**
 * The loss kernels (io.sparkpoint.kernels.loss) against TensorFlow 2.18, on [[ConformanceSuite]]:
 * SoftmaxCrossEntropyWithLogits and SparseSoftmaxCrossEntropyWithLogits (both outputs fetched: loss [batch] and
 * backprop [batch, classes]) and L2Loss, on float32 and float64.
 *
 * Tolerance: family Accumulating (see [[KernelConformanceSuite]]) for every output: |ours - tf| <= max(1e-6·M, 1e-6)
 * for float32 and max(1e-12·M, 1e-12) for float64, M = max(|tf|, the largest finite |value| of the output). The losses
 * are sums over classes (or elements) of exp/log terms whose order and rounding differ from Eigen's (we sum in float64
 * and round once); backprop values are probabilities minus labels, so the absolute floor covers their cancellation.
 *
 * Labels of the sparse op come from `ints` or fixed-dtype `In`s; cases with `error` must fail in both with that gist.
 */
class LossConformanceSuite extends ConformanceSuite(LossConformanceSuite.cases)

object LossConformanceSuite {
  import KernelConformance._

  private val Xent = "SoftmaxCrossEntropyWithLogits"
  private val Sparse = "SparseSoftmaxCrossEntropyWithLogits"
  /** Label probabilities in [0, 1). */
  private def p(shape: Long*) = In(shape, 0, 1)
  private def logits(shape: Long*) = In(shape, -5, 5)
  /** Errors do not depend on the dtype: cases that must fail run on float32 only (each costs an oracle launch). */
  private def dtypes(error: String) = if (error.isEmpty) F else Seq(DType.FLOAT)
  private def xent(x: In, y: In, label: String = "", error: String = "") =
    KCase(Xent, Seq(x, y), dtypes(error), Accumulating, outputs = 2, label = label, error = error)
  private def sparse(x: In, labels: In, label: String = "", error: String = "") =
    KCase(Sparse, Seq(x, labels), dtypes(error), Accumulating, Seq("T" -> Dt, "Tlabels" -> labels.dtype.get), outputs = 2,
      label = label, error = error)
  private def classes(values: Long*) = ints(values: _*)
  private def classes64(values: Long*) =
    In(Seq(values.size.toLong), edges = values.map(_.toDouble), const = true, dtype = Some(DType.INT64))

  val cases: Seq[KCase] = Seq(
    xent(logits(4, 5), p(4, 5)),
    xent(logits(3, 6), In(Seq(3, 6), edges = Seq(0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0.25, 0.25, 0.25, 0.25, 0, 0)),
      "one-hot and uniform labels"),
    xent(logits(32, 10), p(32, 10), "32x10"),
    xent(logits(3, 5), p(5), "broadcast labels row"),
    xent(logits(3, 5), p(3, 1), "broadcast labels column"),
    xent(logits(1, 5), p(3, 5), "broadcast logits"),
    xent(logits(3), p(2, 3), "broadcast rank-1 logits"),
    xent(In(Seq(2, 3), edges = Seq(1000, -1000, 0, 50, 51, 52)), p(2, 3), "large logits"),
    xent(In(Seq(2, 3), edges = Seq(-1e4, -1e4 + 1, -1e4 + 2, 88, 89, 90)), p(2, 3), "very negative logits"),
    xent(In(Seq(4, 2), edges = Seq(NaN, 1, Inf, 0, -Inf, 0, -Inf, -Inf)), p(4, 2), "NaN inf logits"),
    xent(logits(3, 2), In(Seq(3, 2), edges = Seq(NaN, 1, Inf, 0, -1, 2)), "NaN inf labels"),
    xent(logits(0, 4), p(0, 4), "empty batch"),
    xent(logits(3, 0), p(3, 0), "no classes"),
    xent(logits(2, 3).copy(unknownShape = true), p(2, 2).copy(unknownShape = true), "not broadcastable",
      "logits and labels must be broadcastable: logits_size=[2,3] labels_size=[2,2]"),
    xent(logits(3).copy(unknownShape = true), p(3).copy(unknownShape = true), "rank 1",
      "logits and labels must be either 2-dimensional, or broadcasted to be 2-dimensional"),
    // sparse
    sparse(logits(4, 5), classes(0, 4, 2, 1)),
    sparse(logits(3, 7), classes64(6, 0, 3), "int64 labels"),
    sparse(logits(32, 10), In(Seq(32), 0, 9.4, whole = true, dtype = Some(DType.INT32)), "32x10, fed labels"),
    sparse(logits(4, 1), classes(0, 0, 0, 0), "one class"),
    sparse(In(Seq(2, 3), edges = Seq(1000, -1000, 0, -50, -51, -52)), classes(1, 2), "large logits"),
    sparse(In(Seq(4, 2), edges = Seq(NaN, 1, Inf, 0, -Inf, 0, -Inf, 0)), classes(1, 0, 1, 0), "NaN inf logits"),
    sparse(logits(0, 3), classes(), "empty batch"),
    sparse(logits(3, 5), classes(0, 5, 1), "label too large",
      "Received a label value of 5 which is outside the valid range of [0, 5).  Label values: 0 5 1"),
    sparse(logits(2, 4), classes64(7, -1), "negative label",
      "Received a label value of -1 which is outside the valid range of [0, 4).  Label values: 7 -1"),
    sparse(logits(2, 0).copy(unknownShape = true), classes(0, 0), "no classes",
      "Must have at least one class, but got logits shape [2,0]"),
    sparse(logits(3, 4).copy(unknownShape = true), classes(0, 1), "batch mismatch",
      "logits and labels must have the same first dimension, got logits shape [3,4] and labels shape [2]"),
    // L2Loss
    u("L2Loss", m(3, 4), F, Accumulating),
    u("L2Loss", m(), F, Accumulating, "scalar"),
    u("L2Loss", In(Seq(1000), -3, 3), F, Accumulating, "1000 elements"),
    u("L2Loss", In(Seq(0, 3)), F, Accumulating, "empty"),
    u("L2Loss", In(Seq(3), edges = Seq(1e20, 1e20, 1)), F, Accumulating, "overflows float32"),
    u("L2Loss", specials, F, Accumulating, "NaN inf"),
  )
}
