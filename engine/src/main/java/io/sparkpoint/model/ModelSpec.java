package io.sparkpoint.model;

import java.util.List;
import java.util.Locale;

/**
 * What {@code sparkpoint model} generates: the architecture, the input's shape (one example, no
 * batch dimension), the number of classes, the hidden sizes (MLP) or filter counts (CNN), the
 * optimizer and its learning rate, and the seed of the initial weights.
 */
public record ModelSpec(Kind kind, List<Long> inputShape, int classes, List<Long> hidden, Optimizer optimizer, double learningRate,
    long seed) {
  /** The architectures. */
  public enum Kind {
    /** dense + Relu for each hidden size, then a dense layer to the classes. */
    MLP,
    /** conv 5x5 + Relu + max-pool 2x2 for each filter count, then flatten and a dense layer to the classes. */
    CNN,
    /** one dense layer to the classes (multinomial logistic regression). */
    LOGREG
  }

  /** The optimizers: {@code sgd} (GradientDescent), {@code momentum} (0.9) and {@code adam}. */
  public enum Optimizer { SGD, MOMENTUM, ADAM }

  public ModelSpec {
    inputShape = List.copyOf(inputShape);
    hidden = List.copyOf(hidden);
    if (inputShape.isEmpty() || inputShape.stream().anyMatch(d -> d <= 0)) {
      throw new IllegalArgumentException("--input-shape needs positive dimensions, got " + inputShape);
    }
    if (classes < 2) {
      throw new IllegalArgumentException("--classes needs at least 2 classes, got " + classes);
    }
    if (hidden.stream().anyMatch(d -> d <= 0)) {
      throw new IllegalArgumentException("--hidden needs positive sizes, got " + hidden);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("--lr needs a positive learning rate, got " + learningRate);
    }
    if (kind == Kind.CNN && inputShape.size() != 3) {
      throw new IllegalArgumentException("A cnn needs --input-shape HEIGHT,WIDTH,CHANNELS, got " + inputShape);
    }
  }

  /** The number of features of one example. */
  public long features() {
    return inputShape.stream().reduce(1L, Math::multiplyExact);
  }

  public String describe() {
    return kind.name().toLowerCase(Locale.ROOT) + " " + inputShape + " -> " + classes + " classes, " + optimizer.name().toLowerCase(Locale.ROOT)
        + " lr " + learningRate;
  }
}
