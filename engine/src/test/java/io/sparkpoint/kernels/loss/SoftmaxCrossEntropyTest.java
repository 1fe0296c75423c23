package io.sparkpoint.kernels.loss;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.runAll;
import static io.sparkpoint.kernels.KernelRunner.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SoftmaxCrossEntropyWithLogits: loss and backprop against hand-computed values. */
class SoftmaxCrossEntropyTest {
  static final String OP = "SoftmaxCrossEntropyWithLogits";
  /** softmax([1,2,3]) = e^(i-3) / Z */
  static final double Z = Math.exp(-2) + Math.exp(-1) + 1;
  static final double NAN = Double.NaN;

  static List<Tensor> run(Tensor logits, Tensor labels) {
    return runAll(node(OP), logits, labels);
  }

  @Test
  void lossIsCrossEntropyAndBackpropIsSoftmaxMinusLabels() {
    Tensor logits = Tensor.ofDoubles(Shape.of(2, 3), 1, 2, 3, 0, 0, 0);
    Tensor labels = Tensor.ofDoubles(Shape.of(2, 3), 0, 0, 1, 0.5, 0.5, 0);
    List<Tensor> out = run(logits, labels);
    assertClose(out.get(0), Tensor.ofDoubles(Shape.of(2), Math.log(Z), Math.log(3)));
    assertClose(out.get(1), Tensor.ofDoubles(Shape.of(2, 3),
        Math.exp(-2) / Z, Math.exp(-1) / Z, 1 / Z - 1, 1.0 / 3 - 0.5, 1.0 / 3 - 0.5, 1.0 / 3));
  }

  @Test
  void labelsBroadcastAgainstLogits() {
    Tensor logits = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 0, 0, 0);
    List<Tensor> out = run(logits, Tensor.ofFloats(Shape.of(3), 0, 0, 1));
    assertClose(out.get(0), Tensor.ofFloats(Shape.of(2), (float) Math.log(Z), (float) Math.log(3)));
    assertClose(out.get(1), Tensor.ofFloats(Shape.of(2, 3), (float) (Math.exp(-2) / Z), (float) (Math.exp(-1) / Z),
        (float) (1 / Z - 1), 1f / 3, 1f / 3, -2f / 3));
    List<Tensor> column = run(Tensor.ofFloats(Shape.of(1, 2), 0, 0), Tensor.ofFloats(Shape.of(2, 1), 1, 0));
    assertClose(column.get(0), Tensor.ofFloats(Shape.of(2), (float) (2 * Math.log(2)), 0));
    assertClose(column.get(1), Tensor.ofFloats(Shape.of(2, 2), -0.5f, -0.5f, 0.5f, 0.5f));
  }

  @Test
  void largeLogitsStayFinite() {
    List<Tensor> out = run(Tensor.ofFloats(Shape.of(1, 3), 1000, 1001, 1002), Tensor.ofFloats(Shape.of(1, 3), 1, 0, 0));
    assertClose(out.get(0), Tensor.ofFloats(Shape.of(1), (float) (2 + Math.log(Z))));
    assertClose(out.get(1), Tensor.ofFloats(Shape.of(1, 3), (float) (Math.exp(-2) / Z - 1), (float) (Math.exp(-1) / Z),
        (float) (1 / Z)));
  }

  @Test
  void nanAndInfinitiesFollowTf() {
    List<Tensor> nan = run(Tensor.ofDoubles(Shape.of(1, 2), NAN, 0), Tensor.ofDoubles(Shape.of(1, 2), 0, 1));
    assertClose(nan.get(0), Tensor.ofDoubles(Shape.of(1), NAN));
    assertClose(nan.get(1), Tensor.ofDoubles(Shape.of(1, 2), NAN, NAN));
    // a -inf logit with label 0 contributes 0 * inf = NaN to the loss; its backprop is 0 - 0
    List<Tensor> inf = run(Tensor.ofDoubles(Shape.of(1, 2), Double.NEGATIVE_INFINITY, 0), Tensor.ofDoubles(Shape.of(1, 2), 0, 1));
    assertClose(inf.get(0), Tensor.ofDoubles(Shape.of(1), NAN));
    assertClose(inf.get(1), Tensor.ofDoubles(Shape.of(1, 2), 0, 0));
  }

  @Test
  void emptyBatchesAndClasses() {
    List<Tensor> noRows = run(Tensor.ofFloats(Shape.of(0, 3)), Tensor.ofFloats(Shape.of(0, 3)));
    assertThat(noRows.get(0)).isEqualTo(Tensor.ofFloats(Shape.of(0)));
    assertThat(noRows.get(1)).isEqualTo(Tensor.ofFloats(Shape.of(0, 3)));
    List<Tensor> noClasses = run(Tensor.ofFloats(Shape.of(2, 0)), Tensor.ofFloats(Shape.of(2, 0)));
    assertThat(noClasses.get(0)).isEqualTo(Tensor.ofFloats(Shape.of(2), 0, 0));
    assertThat(noClasses.get(1)).isEqualTo(Tensor.ofFloats(Shape.of(2, 0)));
  }

  @Test
  void shapesAndDtypesAreChecked() {
    Tensor logits = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
    assertThatThrownBy(() -> run(logits, Tensor.ofFloats(Shape.of(2, 2), 1, 0, 0, 1))).isInstanceOf(KernelException.class)
        .hasMessage("logits and labels must be broadcastable: logits_size=[2,3] labels_size=[2,2]");
    assertThatThrownBy(() -> run(Tensor.ofFloats(Shape.of(3), 1, 2, 3), Tensor.ofFloats(Shape.of(3), 0, 0, 1)))
        .hasMessage("logits and labels must be either 2-dimensional, or broadcasted to be 2-dimensional");
    assertThatThrownBy(() -> run(logits, Tensor.ofFloats(Shape.of(1, 1, 3), 0, 0, 1)))
        .hasMessage("logits and labels must be either 2-dimensional, or broadcasted to be 2-dimensional");
    assertThatThrownBy(() -> run(logits, Tensor.ofDoubles(Shape.of(3), 0, 0, 1)))
        .hasMessage("Input 'labels' of 'SoftmaxCrossEntropyWithLogits' Op has type float64 that does not match "
            + "type float32 of argument 'features'.");
    assertThatThrownBy(() -> run(Tensor.ofInts(Shape.of(1, 1), 1), Tensor.ofInts(Shape.of(1, 1), 1)))
        .hasMessageStartingWith("Unsupported dtype int32 for op SoftmaxCrossEntropyWithLogits");
  }
}
