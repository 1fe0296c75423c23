package io.sparkpoint.kernels.loss;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.runAll;
import static io.sparkpoint.kernels.loss.SoftmaxCrossEntropyTest.NAN;
import static io.sparkpoint.kernels.loss.SoftmaxCrossEntropyTest.Z;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SparseSoftmaxCrossEntropyWithLogits: loss, backprop and TF's label check. */
class SparseSoftmaxCrossEntropyTest {
  private static final Tensor LOGITS = Tensor.ofDoubles(Shape.of(2, 3), 1, 2, 3, 0, 0, 0);

  private static List<Tensor> run(Tensor logits, Tensor labels) {
    return runAll(node("SparseSoftmaxCrossEntropyWithLogits"), logits, labels);
  }

  private static Tensor labels(int... values) {
    return Tensor.ofInts(Shape.of(values.length), values);
  }

  @Test
  void lossIsMinusLogSoftmaxOfTheLabel() {
    List<Tensor> out = run(LOGITS, labels(2, 0));
    assertClose(out.get(0), Tensor.ofDoubles(Shape.of(2), Math.log(Z), Math.log(3)));
    assertClose(out.get(1), Tensor.ofDoubles(Shape.of(2, 3),
        Math.exp(-2) / Z, Math.exp(-1) / Z, 1 / Z - 1, 1.0 / 3 - 1, 1.0 / 3, 1.0 / 3));
    List<Tensor> int64 = run(LOGITS, Tensor.ofLongs(Shape.of(2), 2, 0));
    assertThat(int64).isEqualTo(out);
  }

  @Test
  void largeLogitsStayFinite() {
    List<Tensor> out = run(Tensor.ofFloats(Shape.of(1, 3), -1000, -1001, -1002), labels(2));
    assertClose(out.get(0), Tensor.ofFloats(Shape.of(1), (float) (2 + Math.log(Z))));
    assertClose(out.get(1), Tensor.ofFloats(Shape.of(1, 3), (float) (1 / Z), (float) (Math.exp(-1) / Z),
        (float) (Math.exp(-2) / Z - 1)));
  }

  @Test
  void nanAndInfinitiesFollowTf() {
    List<Tensor> nan = run(Tensor.ofDoubles(Shape.of(1, 2), NAN, 0), labels(1));
    assertClose(nan.get(0), Tensor.ofDoubles(Shape.of(1), NAN));
    assertClose(nan.get(1), Tensor.ofDoubles(Shape.of(1, 2), NAN, NAN));
    // unlike the dense op, a -inf logit off the label adds nothing to the loss
    List<Tensor> inf = run(Tensor.ofDoubles(Shape.of(2, 2), Double.NEGATIVE_INFINITY, 0, Double.NEGATIVE_INFINITY, 0),
        labels(1, 0));
    assertClose(inf.get(0), Tensor.ofDoubles(Shape.of(2), 0, Double.POSITIVE_INFINITY));
    assertClose(inf.get(1), Tensor.ofDoubles(Shape.of(2, 2), 0, 0, -1, 1));
  }

  @Test
  void emptyBatch() {
    List<Tensor> out = run(Tensor.ofFloats(Shape.of(0, 3)), labels());
    assertThat(out.get(0)).isEqualTo(Tensor.ofFloats(Shape.of(0)));
    assertThat(out.get(1)).isEqualTo(Tensor.ofFloats(Shape.of(0, 3)));
  }

  @Test
  void labelsOutsideTheClassesFailWithTfMessage() {
    assertThatThrownBy(() -> run(LOGITS, labels(2, 3))).isInstanceOf(KernelException.class)
        .hasMessage("Received a label value of 3 which is outside the valid range of [0, 3).  Label values: 2 3");
    assertThatThrownBy(() -> run(LOGITS, Tensor.ofLongs(Shape.of(2), 7, -1)))
        .hasMessage("Received a label value of -1 which is outside the valid range of [0, 3).  Label values: 7 -1");
  }

  @Test
  void shapesAndDtypesAreChecked() {
    assertThatThrownBy(() -> run(Tensor.ofDoubles(Shape.of(3), 1, 2, 3), labels(0)))
        .hasMessage("logits must be 2-D, but got shape [3]");
    assertThatThrownBy(() -> run(LOGITS, Tensor.ofInts(Shape.of(2, 1), 0, 0)))
        .hasMessage("labels must be 1-D, but got shape [2,1]");
    assertThatThrownBy(() -> run(LOGITS, labels(0, 0, 0)))
        .hasMessage("logits and labels must have the same first dimension, got logits shape [2,3] and labels shape [3]");
    assertThatThrownBy(() -> run(Tensor.ofDoubles(Shape.of(2, 0)), labels(0, 0)))
        .hasMessage("Must have at least one class, but got logits shape [2,0]");
    assertThatThrownBy(() -> run(LOGITS, Tensor.ofFloats(Shape.of(2), 0, 0)))
        .hasMessage("Unsupported dtype float32 for op SparseSoftmaxCrossEntropyWithLogits (node "
            + "sparsesoftmaxcrossentropywithlogits): no kernel registered for Tlabels=DT_FLOAT; supported: int32, int64");
  }
}
