package io.sparkpoint.exec.plumbing;

import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.string;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** PreventGradient is the identity when run; its message is for the gradient builder. */
class PreventGradientTest {
  @Test
  void passesItsInputThroughWhateverTheMessage() {
    Tensor x = Tensor.ofStrings(Shape.of(2), "a", "b");
    assertThat(run("PreventGradient", x)).isSameAs(x);
    Tensor y = Tensor.ofFloats(Shape.of(1), 3);
    assertThat(run(node("PreventGradient").putAttr("message", string("no second derivative")), y)).isSameAs(y);
  }
}
