package io.sparkpoint.kernels.conv;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.integers;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** MaxPool and AvgPool against hand-computed values; tolerances are in KernelRunner. */
class Pool2DTest {
  /** 1x3x3x1, all negative, so a zero from padding would win a max: -1 .. -9. */
  private static final Tensor NEG = Tensor.ofFloats(Shape.of(1, 3, 3, 1), -1, -2, -3, -4, -5, -6, -7, -8, -9);

  static NodeDef.Builder pool(String op, String padding, long k, long s) {
    return node(op).putAttr("padding", string(padding)).putAttr("ksize", integers(1, k, k, 1))
        .putAttr("strides", integers(1, s, s, 1));
  }

  @Test
  void maxPoolValidTakesEachWindowsLargest() {
    Tensor x = Tensor.ofFloats(Shape.of(1, 4, 4, 1), 1, 5, 2, 0, 3, 4, 8, 1, 0, 0, 2, 2, 9, 1, 3, 7);
    assertClose(run(pool("MaxPool", "VALID", 2, 2), x), Tensor.ofFloats(Shape.of(1, 2, 2, 1), 5, 8, 9, 7));
  }

  @Test
  void maxPoolIgnoresPadding() {
    // SAME 2x2 stride 2 on 3x3: the right and bottom windows hang over the edge
    assertClose(run(pool("MaxPool", "SAME", 2, 2), NEG), Tensor.ofFloats(Shape.of(1, 2, 2, 1), -1, -3, -7, -9));
    assertClose(run(pool("MaxPool", "SAME", 3, 1), NEG),
        Tensor.ofFloats(Shape.of(1, 3, 3, 1), -1, -1, -2, -1, -1, -2, -4, -4, -5));
  }

  @Test
  void maxPoolOfIntegersKeepsTheirLimits() {
    Tensor x = Tensor.ofInts(Shape.of(1, 2, 2, 1), Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE);
    assertClose(run(pool("MaxPool", "SAME", 2, 1), x), x);
    Tensor longs = Tensor.ofLongs(Shape.of(1, 1, 3, 1), Long.MIN_VALUE, -5, Long.MAX_VALUE);
    assertClose(run(pool("MaxPool", "VALID", 1, 1).putAttr("ksize", integers(1, 1, 2, 1)), longs),
        Tensor.ofLongs(Shape.of(1, 1, 2, 1), -5, Long.MAX_VALUE));
  }

  @Test
  void maxPoolStartsAtTheLowestFiniteValueAsTfDoes() {
    float inf = Float.POSITIVE_INFINITY;
    Tensor x = Tensor.ofFloats(Shape.of(1, 1, 4, 1), -inf, -inf, Float.NaN, 2);
    // TF: a window of -inf gives -FLT_MAX; NaN never wins
    assertClose(run(pool("MaxPool", "VALID", 1, 1).putAttr("ksize", integers(1, 1, 2, 1))
            .putAttr("strides", integers(1, 1, 2, 1)), x),
        Tensor.ofFloats(Shape.of(1, 1, 2, 1), -Float.MAX_VALUE, 2));
  }

  @Test
  void avgPoolDividesByTheElementsInsideTheInput() {
    Tensor x = Tensor.ofDoubles(Shape.of(1, 2, 2, 1), 1, 2, 3, 4);
    // padding one after: windows {1,2,3,4}, {2,4}, {3,4}, {4}
    assertClose(run(pool("AvgPool", "SAME", 2, 1), x), Tensor.ofDoubles(Shape.of(1, 2, 2, 1), 2.5, 3, 3.5, 4));
    assertClose(run(pool("AvgPool", "SAME", 3, 1), NEG),
        Tensor.ofFloats(Shape.of(1, 3, 3, 1), -3, -3.5f, -4, -4.5f, -5, -5.5f, -6, -6.5f, -7));
  }

  @Test
  void poolsWorkPerImageAndChannel() {
    Tensor x = Tensor.ofFloats(Shape.of(2, 2, 2, 2), 1, -1, 2, -2, 3, -3, 4, -4, 5, 50, 6, 60, 7, 70, 8, 80);
    assertClose(run(pool("MaxPool", "VALID", 2, 2), x), Tensor.ofFloats(Shape.of(2, 1, 1, 2), 4, -1, 8, 80));
    assertClose(run(pool("AvgPool", "VALID", 2, 2), x), Tensor.ofFloats(Shape.of(2, 1, 1, 2), 2.5f, -2.5f, 6.5f, 65));
  }

  @Test
  void emptyInputsGiveEmptyOutputs() {
    Tensor x = Tensor.ofFloats(Shape.of(2, 4, 4, 0));
    assertThat(run(pool("MaxPool", "SAME", 2, 2), x).shape()).isEqualTo(Shape.of(2, 2, 2, 0));
  }

  @Test
  void errorsUseTfWording() {
    assertThatThrownBy(() -> run(pool("MaxPool", "SAME", 2, 2).putAttr("data_format", string("NCHW")), NEG))
        .hasMessage("Default MaxPoolingOp only supports NHWC on device type CPU; got NCHW");
    assertThatThrownBy(() -> run(pool("AvgPool", "SAME", 2, 2).putAttr("ksize", integers(2, 2, 2, 1)), NEG))
        .hasMessage("Pooling is not yet supported on the batch dimension.");
    assertThatThrownBy(() -> run(pool("MaxPool", "SAME", 2, 2).putAttr("ksize", integers(1, 2, 2)), NEG))
        .hasMessage("Sliding window ksize field must specify 4 dimensions");
    assertThatThrownBy(() -> run(pool("MaxPool", "SAME", 2, 2).putAttr("ksize", integers(1, 2, 2, 2)), NEG))
        .hasMessage("MaxPooling supports exactly one of pooling across depth or pooling across width/height.");
    assertThatThrownBy(() -> run(pool("MaxPool", "SAME", 1, 1).putAttr("ksize", integers(1, 1, 1, 2)), NEG))
        .hasMessage("Unsupported pooling across depth (ksize [1, 1, 1, 2]) for MaxPool: Sparkpoint pools across height and width only");
    assertThatThrownBy(() -> run(pool("MaxPool", "EXPLICIT", 2, 2), NEG))
        .hasMessage("Unsupported padding EXPLICIT for MaxPool (node maxpool): expected one of SAME, VALID");
    assertThatThrownBy(() -> run(pool("AvgPool", "VALID", 5, 1), NEG))
        .hasMessage("Computed output size would be negative: -1 [input_size: 3, effective_filter_size: 5, stride: 1]");
    assertThatThrownBy(() -> run(pool("AvgPool", "VALID", 2, 1), Tensor.ofFloats(Shape.of(3, 3), new float[9])))
        .hasMessage("tensor_in must be 4-dimensional: [3,3]");
    assertThatThrownBy(() -> run(pool("AvgPool", "VALID", 1, 1), Tensor.ofInts(Shape.of(1, 1, 1, 1), 1)))
        .hasMessageStartingWith("Unsupported dtype int32 for op AvgPool (node avgpool)");
  }
}
