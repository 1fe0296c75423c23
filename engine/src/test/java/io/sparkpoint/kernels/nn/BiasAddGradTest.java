package io.sparkpoint.kernels.nn;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.HalfTensors;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** BiasAddGrad: out_backprop summed over every dimension but the last. */
class BiasAddGradTest {
  @Test
  void sumsEachColumnOfAMatrix() {
    Tensor backprop = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 10, 20, 30);
    assertClose(run("BiasAddGrad", backprop), Tensor.ofFloats(Shape.of(3), 11, 22, 33));
  }

  @Test
  void sumsOverBatchHeightAndWidthInNhwc() {
    Tensor backprop = Tensor.ofDoubles(Shape.of(2, 2, 1, 2), 1, 2, 3, 4, 5, 6, 7, 8);
    assertClose(run("BiasAddGrad", backprop), Tensor.ofDoubles(Shape.of(2), 16, 20));
  }

  @Test
  void aLargeGradientMatchesAColumnSumInDoubleRoundedOnce() {
    int rows = 256;
    int channels = 512;
    float[] values = new float[rows * channels];
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    float[] expected = new float[channels];
    for (int j = 0; j < channels; j++) {
      double sum = 0;
      for (int row = 0; row < rows; row++) {
        sum += values[row * channels + j];
      }
      expected[j] = (float) sum;
    }
    assertThat(run("BiasAddGrad", Tensor.ofFloats(Shape.of(rows, channels), values)))
        .isEqualTo(Tensor.ofFloats(Shape.of(channels), expected));
  }

  @Test
  void nanAndInfinityPropagate() {
    float inf = Float.POSITIVE_INFINITY;
    Tensor backprop = Tensor.ofFloats(Shape.of(2, 3), Float.NaN, inf, inf, 1, 2, -inf);
    assertClose(run("BiasAddGrad", backprop), Tensor.ofFloats(Shape.of(3), Float.NaN, inf, Float.NaN));
  }

  @Test
  void integersWrapAtTheirWidth() {
    Tensor ints = Tensor.ofInts(Shape.of(2, 2), 2_000_000_000, 1, 2_000_000_000, 2);
    assertClose(run("BiasAddGrad", ints), Tensor.ofInts(Shape.of(2), (int) 4_000_000_000L, 3));
    Tensor uint8 = Tensor.of(DType.UINT8, Shape.of(2, 1), new byte[] {(byte) 200, (byte) 100});
    assertThat(run("BiasAddGrad", uint8).bytes()).containsExactly(new byte[] {44});
  }

  @Test
  void halfSumsAreRoundedOnce() {
    Tensor backprop = HalfTensors.of(DType.HALF, Shape.of(4, 1), 1, 2048, 1, 1);
    assertThat(run("BiasAddGrad", backprop)).isEqualTo(HalfTensors.of(DType.HALF, 2052));
  }

  @Test
  void noRowsGiveZerosAndNoChannelsAnEmptyVector() {
    assertThat(run("BiasAddGrad", Tensor.ofFloats(Shape.of(0, 3)))).isEqualTo(Tensor.ofFloats(Shape.of(3), 0, 0, 0));
    assertThat(run("BiasAddGrad", Tensor.ofInts(Shape.of(2, 0)))).isEqualTo(Tensor.ofInts(Shape.of(0)));
  }

  @Test
  void theInputMustBeAtLeastAMatrix() {
    assertThatThrownBy(() -> run("BiasAddGrad", Tensor.ofFloats(Shape.of(3), 1, 2, 3)))
        .isInstanceOf(KernelException.class)
        .hasMessage("Input tensor must be at least 2D: [3]");
  }

  @Test
  void onlyNhwcIsSupported() {
    assertThatThrownBy(() -> run(node("BiasAddGrad").putAttr("data_format", string("NCHW"))))
        .isInstanceOf(KernelException.class)
        .hasMessage("Unsupported data_format NCHW for BiasAddGrad (node biasaddgrad): only NHWC is supported");
  }
}
