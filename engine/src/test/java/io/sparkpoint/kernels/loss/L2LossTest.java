package io.sparkpoint.kernels.loss;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.run;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** L2Loss: sum(t^2) / 2 as a scalar. */
class L2LossTest {
  @Test
  void halfTheSumOfSquares() {
    assertClose(run("L2Loss", Tensor.ofFloats(Shape.of(2, 2), 1, -2, 3, 0.5f)), Tensor.scalar(7.125f));
    assertClose(run("L2Loss", Tensor.ofDoubles(Shape.scalar(), 3)), Tensor.ofDoubles(Shape.scalar(), 4.5));
    assertClose(run("L2Loss", Tensor.ofDoubles(Shape.of(0, 2))), Tensor.ofDoubles(Shape.scalar(), 0));
  }

  @Test
  void overflowAndNanFollowIeee() {
    assertClose(run("L2Loss", Tensor.ofFloats(Shape.of(2), 3e38f, 1)), Tensor.scalar(Float.POSITIVE_INFINITY));
    assertClose(run("L2Loss", Tensor.ofFloats(Shape.of(2), Float.NaN, 1)), Tensor.scalar(Float.NaN));
  }

  @Test
  void integersAreRejected() {
    assertThatThrownBy(() -> run("L2Loss", Tensor.ofInts(Shape.of(1), 1)))
        .hasMessageStartingWith("Unsupported dtype int32 for op L2Loss (node l2loss)");
  }
}
