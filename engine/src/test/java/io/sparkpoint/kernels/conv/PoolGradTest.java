package io.sparkpoint.kernels.conv;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.conv.Adjoints.dot;
import static io.sparkpoint.kernels.conv.Adjoints.random;
import static io.sparkpoint.kernels.KernelRunner.integers;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MaxPoolGrad and AvgPoolGrad against hand-computed values, TF's tie rule and TF's messages. */
class PoolGradTest {
  static NodeDef.Builder pool(String op, String padding, long k, long s) {
    return node(op).putAttr("padding", string(padding)).putAttr("ksize", integers(1, k, k, 1))
        .putAttr("strides", integers(1, s, s, 1));
  }

  private static Tensor maxPoolGrad(NodeDef.Builder node, Tensor input, Tensor grad) {
    Tensor output = run(node.clone().setOp("MaxPool"), input);
    return run(node.clone().setOp("MaxPoolGrad"), input, output, grad);
  }

  @Test
  void maxPoolGradSendsEachWindowsGradientToItsFirstLargestElement() {
    // windows of 2x2 stride 1: {5,5,5,5}, {5,1,5,1}, {5,5,2,2}, {5,1,2,2}: ties keep the first in row-major order
    Tensor x = Tensor.ofFloats(Shape.of(1, 3, 3, 1), 5, 5, 1, 5, 5, 1, 2, 2, 2);
    Tensor grad = Tensor.ofFloats(Shape.of(1, 2, 2, 1), 1, 10, 100, 1000);
    assertClose(maxPoolGrad(pool("MaxPool", "VALID", 2, 1), x, grad),
        Tensor.ofFloats(Shape.of(1, 3, 3, 1), 1, 10, 0, 100, 1000, 0, 0, 0, 0));
  }

  @Test
  void maxPoolGradAddsTheGradientsOfOverlappingWindows() {
    // SAME 3x3 stride 1 on 3x3: the centre is the largest element of all nine windows
    Tensor x = Tensor.ofDoubles(Shape.of(1, 3, 3, 1), 0, 0, 0, 0, 9, 0, 0, 0, 0);
    Tensor grad = Tensor.ofDoubles(Shape.of(1, 3, 3, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertClose(maxPoolGrad(pool("MaxPool", "SAME", 3, 1), x, grad),
        Tensor.ofDoubles(Shape.of(1, 3, 3, 1), 0, 0, 0, 0, 45, 0, 0, 0, 0));
  }

  @Test
  void maxPoolGradNeverSendsAnythingToThePadding() {
    Tensor x = Tensor.ofFloats(Shape.of(1, 3, 3, 1), -1, -2, -3, -4, -5, -6, -7, -8, -9);
    Tensor grad = Tensor.ofFloats(Shape.of(1, 2, 2, 1), 1, 2, 3, 4);
    // SAME 2x2 stride 2: windows {-1,-2,-4,-5}, {-3,-6}, {-7,-8}, {-9}
    assertClose(maxPoolGrad(pool("MaxPool", "SAME", 2, 2), x, grad),
        Tensor.ofFloats(Shape.of(1, 3, 3, 1), 1, 0, 2, 0, 0, 0, 3, 0, 4));
  }

  @Test
  void maxPoolGradKeepsTheGradientOnALeadingNaNButNaNNeverTakesOver() {
    float nan = Float.NaN;
    Tensor x = Tensor.ofFloats(Shape.of(1, 1, 4, 1), nan, 3, 1, nan);
    Tensor grad = Tensor.ofFloats(Shape.of(1, 1, 2, 1), 1, 2);
    NodeDef.Builder node = pool("MaxPoolGrad", "VALID", 1, 1).putAttr("ksize", integers(1, 1, 2, 1))
        .putAttr("strides", integers(1, 1, 2, 1));
    assertClose(run(node, x, Tensor.ofFloats(Shape.of(1, 1, 2, 1), 0, 0), grad),
        Tensor.ofFloats(Shape.of(1, 1, 4, 1), 1, 0, 2, 0));
  }

  @Test
  void maxPoolGradTakesExplicitPadding() {
    Tensor x = Tensor.ofFloats(Shape.of(1, 2, 2, 1), 1, 4, 3, 2);
    NodeDef.Builder node = pool("MaxPoolGrad", "EXPLICIT", 2, 2)
        .putAttr("explicit_paddings", integers(0, 0, 1, 1, 0, 0, 0, 0));
    // windows over rows {-1, 0} and {1, 2}, cols {0, 1}: {1, 4} and {3, 2}
    Tensor grad = Tensor.ofFloats(Shape.of(1, 2, 1, 1), 5, 7);
    assertClose(run(node, x, Tensor.ofFloats(Shape.of(1, 2, 1, 1), 0, 0), grad),
        Tensor.ofFloats(Shape.of(1, 2, 2, 1), 0, 5, 7, 0));
  }

  @Test
  void maxPoolGradMatchesADirectArgMaxOnTiedInputs() {
    SplittableRandom random = new SplittableRandom(7);
    double[] values = new double[3 * 9 * 11 * 4];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextInt(4); // many ties
    }
    Tensor x = Tensor.ofDoubles(Shape.of(3, 9, 11, 4), values);
    NodeDef.Builder node = pool("MaxPool", "SAME", 3, 2);
    Shape out = run(node.clone(), x).shape();
    double[] g = new double[Math.toIntExact(out.numElements())];
    for (int i = 0; i < g.length; i++) {
      g[i] = random.nextDouble();
    }
    Tensor got = maxPoolGrad(node, x, Tensor.ofDoubles(out, g));
    double[] want = new double[values.length];
    // SAME 3x3 stride 2 on 9x11: outputs 5x6, padding 1 before (rows and cols)
    for (int n = 0; n < 3; n++) {
      for (int oh = 0; oh < 5; oh++) {
        for (int ow = 0; ow < 6; ow++) {
          for (int c = 0; c < 4; c++) {
            int best = -1;
            for (int ih = oh * 2 - 1; ih < oh * 2 + 2; ih++) {
              for (int iw = ow * 2 - 1; iw < ow * 2 + 2; iw++) {
                int at = ((n * 9 + ih) * 11 + iw) * 4 + c;
                if (ih >= 0 && ih < 9 && iw >= 0 && iw < 11 && (best < 0 || values[best] < values[at])) {
                  best = at;
                }
              }
            }
            want[best] += g[((n * 5 + oh) * 6 + ow) * 4 + c];
          }
        }
      }
    }
    assertClose(got, Tensor.ofDoubles(x.shape(), want));
  }

  @Test
  void maxPoolGradErrorsUseTfWording() {
    Tensor x = Tensor.ofFloats(Shape.of(1, 2, 2, 1), 1, 2, 3, 4);
    Tensor one = Tensor.ofFloats(Shape.of(1, 1, 1, 1), 1);
    Tensor two = Tensor.ofFloats(Shape.of(1, 1, 2, 1), 1, 2);
    NodeDef.Builder node = pool("MaxPoolGrad", "VALID", 2, 2);
    assertThatThrownBy(() -> run(node.clone(), x, two, one))
        .isInstanceOf(KernelException.class)
        .hasMessage("Expected orig_output shape to be [1,1,1,1], but got [1,1,2,1]");
    assertThatThrownBy(() -> run(node.clone(), x, one, two))
        .hasMessage("Expected grad shape to be [1,1,1,1], but got [1,1,2,1]");
    assertThatThrownBy(() -> run(node.clone(), Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4), one, one))
        .hasMessage("tensor_in must be 4-dimensional");
    assertThatThrownBy(() -> run(node.clone().putAttr("ksize", integers(1, 1, 1, 2)), x, x, x))
        .hasMessage("MaxPoolingGrad is not yet supported on the depth dimension.");
    assertThatThrownBy(() -> run(node.clone().putAttr("strides", integers(2, 1, 1, 1)), x, x, x))
        .hasMessage("Pooling is not yet supported on the batch dimension.");
    assertThatThrownBy(() -> run(node.clone().putAttr("data_format", string("NCHW")), x, x, x))
        .hasMessage("Default MaxPoolingGradOp only supports NHWC on device type CPU");
    assertThatThrownBy(() -> run(pool("MaxPoolGrad", "EXPLICIT", 2, 1)
        .putAttr("explicit_paddings", integers(0, 0, 2, 0, 0, 0, 0, 0)), x, x, x))
        .hasMessage("Top padding 2 needs to be smaller than the window size 2");
    assertThatThrownBy(() -> run(pool("MaxPoolGrad", "VALID", 4, 1), x, one, one))
        .hasMessage("Computed output size would be negative: -1 [input_size: 2, effective_filter_size: 4, stride: 1]");
    assertThatThrownBy(() -> run(node.clone(), Tensor.ofInts(Shape.of(1, 2, 2, 1), 1, 2, 3, 4),
        Tensor.ofInts(Shape.of(1, 1, 1, 1), 4), Tensor.ofInts(Shape.of(1, 1, 1, 1), 1)))
        .hasMessageStartingWith("Unsupported dtype int32 for op MaxPoolGrad");
  }

  @Test
  void avgPoolGradSpreadsEachGradientOverItsWindow() {
    Tensor grad = Tensor.ofFloats(Shape.of(1, 1, 1, 2), 4, 8);
    assertClose(run(pool("AvgPoolGrad", "VALID", 2, 2), shape(1, 2, 2, 2), grad),
        Tensor.ofFloats(Shape.of(1, 2, 2, 2), 1, 2, 1, 2, 1, 2, 1, 2));
  }

  @Test
  void avgPoolGradDividesByTheElementsInsideTheInput() {
    // SAME 2x2 stride 1 on 2x2: windows of 4, 2, 2 and 1 elements
    Tensor grad = Tensor.ofDoubles(Shape.of(1, 2, 2, 1), 1, 1, 1, 1);
    assertClose(run(pool("AvgPoolGrad", "SAME", 2, 1), shape(1, 2, 2, 1), grad),
        Tensor.ofDoubles(Shape.of(1, 2, 2, 1), 0.25, 0.75, 0.75, 2.25));
  }

  @Test
  void avgPoolGradKeepsTfsRangeForWindowsOverBothEnds() {
    // SAME, kernel 5 over 4 columns (2 padding before): TF spreads the first window over 4 columns, not 3
    Tensor grad = Tensor.ofFloats(Shape.of(1, 1, 4, 1), 1, 1, 1, 1);
    NodeDef.Builder node = pool("AvgPoolGrad", "SAME", 1, 1).putAttr("ksize", integers(1, 1, 5, 1));
    assertClose(run(node, shape(1, 1, 4, 1), grad),
        Tensor.ofFloats(Shape.of(1, 1, 4, 1), 0.75f, 0.75f + 1 / 3f, 0.75f + 1 / 3f, 0.75f + 1 / 3f));
  }

  @ParameterizedTest(name = "{0} x{1} k{2} s{3}")
  @CsvSource({
      "VALID, 2x6x6x3, 2, 2",
      "SAME, 1x5x5x2, 2, 2",
      "SAME, 2x7x6x2, 3, 2",
      "SAME, 1x4x4x2, 3, 1",
      "VALID, 1x9x9x1, 2, 3",
      "SAME, 1x9x9x1, 2, 3",
  })
  void avgPoolGradIsTheAdjointOfAvgPool(String padding, String x, long k, long s) {
    long[] dims = java.util.Arrays.stream(x.split("x")).mapToLong(Long::parseLong).toArray();
    SplittableRandom random = new SplittableRandom(dims.length * 17L + k);
    Tensor input = random(random, dims);
    Tensor output = run(pool("AvgPool", padding, k, s), input);
    Tensor g = random(random, output.shape().dims());
    Tensor dx = run(pool("AvgPoolGrad", padding, k, s), shape(Math.toIntExact(dims[0]), Math.toIntExact(dims[1]),
        Math.toIntExact(dims[2]), Math.toIntExact(dims[3])), g);
    assertThat(dot(input, dx)).isCloseTo(dot(output, g), org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void avgPoolGradErrorsUseTfWording() {
    Tensor one = Tensor.ofFloats(Shape.of(1, 1, 1, 1), 1);
    NodeDef.Builder node = pool("AvgPoolGrad", "VALID", 2, 2);
    assertThatThrownBy(() -> run(node.clone(), Tensor.ofInts(Shape.of(3), 1, 2, 2), one))
        .isInstanceOf(KernelException.class)
        .hasMessage("out_backprop must be 1-dimensional and 4 elements");
    assertThatThrownBy(() -> run(node.clone(), shape(1, 2, 2, 1), Tensor.ofFloats(Shape.of(1, 1), 1)))
        .hasMessage("out_backprop must be 4-dimensional");
    assertThatThrownBy(() -> run(node.clone(), shape(1, 4, 4, 1), one))
        .hasMessage("Expected grad shape to be [1,2,2,1], but got [1,1,1,1]");
    assertThatThrownBy(() -> run(node.clone(), shape(1, -2, 2, 1), one))
        .hasMessage("Dimension -2 must be >= 0");
    assertThatThrownBy(() -> run(node.clone().putAttr("ksize", integers(1, 2, 2, 2)), shape(1, 2, 2, 2), one))
        .hasMessage("Non-spatial pooling is not yet supported. Volunteers? :)");
    assertThatThrownBy(() -> run(pool("AvgPoolGrad", "EXPLICIT", 2, 2), shape(1, 2, 2, 1), one))
        .hasMessage("Unsupported padding EXPLICIT for AvgPoolGrad (node avgpoolgrad): expected one of SAME, VALID");
    assertThat(run(node.clone(), shape(0, 2, 2, 1), Tensor.ofFloats(Shape.of(0, 1, 1, 1))).shape())
        .isEqualTo(Shape.of(0, 2, 2, 1));
  }

  private static Tensor shape(int... dims) {
    return Tensor.ofInts(Shape.of(4), dims);
  }
}
