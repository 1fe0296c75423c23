package io.sparkpoint.kernels.nn;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.run;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Softmax and LogSoftmax over the last axis; tolerances are in KernelRunner. */
class SoftmaxTest {
  // softmax([1,2,3]) = e^(i-3) / (e^-2 + e^-1 + 1)
  private static final double Z = Math.exp(-2) + Math.exp(-1) + 1;

  @Test
  void softmaxNormalisesEachRow() {
    Tensor logits = Tensor.ofDoubles(Shape.of(2, 3), 1, 2, 3, 0, 0, 0);
    assertClose(run("Softmax", logits), Tensor.ofDoubles(Shape.of(2, 3),
        Math.exp(-2) / Z, Math.exp(-1) / Z, 1 / Z, 1.0 / 3, 1.0 / 3, 1.0 / 3));
  }

  @Test
  void logSoftmaxIsLogitsMinusLogSumExp() {
    Tensor logits = Tensor.ofFloats(Shape.of(3), 1, 2, 3);
    double lse = 3 + Math.log(Z);
    assertClose(run("LogSoftmax", logits), Tensor.ofFloats(Shape.of(3), (float) (1 - lse), (float) (2 - lse), (float) (3 - lse)));
  }

  @Test
  void largeLogitsStayFinite() {
    Tensor logits = Tensor.ofFloats(Shape.of(1, 3), 1000, 1001, 1002);
    assertClose(run("Softmax", logits), Tensor.ofFloats(Shape.of(1, 3),
        (float) (Math.exp(-2) / Z), (float) (Math.exp(-1) / Z), (float) (1 / Z)));
    double lse = Math.log(Z);
    assertClose(run("LogSoftmax", logits), Tensor.ofFloats(Shape.of(1, 3), (float) (-2 - lse), (float) (-1 - lse), (float) -lse));
    Tensor negative = Tensor.ofDoubles(Shape.of(2), -1e4, -1e4);
    assertClose(run("Softmax", negative), Tensor.ofDoubles(Shape.of(2), 0.5, 0.5));
  }

  @Test
  void softmaxOfHigherRankUsesTheLastAxis() {
    Tensor logits = Tensor.ofFloats(Shape.of(2, 1, 2), 0, 0, 5, 5);
    assertClose(run("Softmax", logits), Tensor.ofFloats(Shape.of(2, 1, 2), 0.5f, 0.5f, 0.5f, 0.5f));
  }

  @Test
  void scalarLogitsAreRejected() {
    assertThatThrownBy(() -> run("Softmax", Tensor.scalar(1f))).hasMessage("logits must have >= 1 dimension, got []");
  }
}
