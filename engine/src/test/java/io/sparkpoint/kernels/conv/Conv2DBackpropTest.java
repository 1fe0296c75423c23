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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.Nd4jRuntime;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Conv2DBackpropInput and Conv2DBackpropFilter against hand-computed values, and as the exact
 * adjoints of our Conv2D: for every x, w and g, {@code <conv(x, w), g> = <x, dx(g)> = <w, dw(x, g)>}.
 */
class Conv2DBackpropTest {
  /** 1x3x3x1: 1 2 3 / 4 5 6 / 7 8 9. */
  private static final Tensor NINE = Tensor.ofFloats(Shape.of(1, 3, 3, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9);
  private static final Tensor F1234 = Tensor.ofFloats(Shape.of(2, 2, 1, 1), 1, 2, 3, 4);
  private static final Tensor ONES_2X2 = Tensor.ofFloats(Shape.of(1, 2, 2, 1), 1, 1, 1, 1);

  static NodeDef.Builder grad(String op, String padding, long... strides) {
    return node(op).putAttr("padding", string(padding))
        .putAttr("strides", integers(strides.length == 0 ? new long[] {1, 1, 1, 1} : strides));
  }

  private static Tensor sizes(int... values) {
    return Tensor.ofInts(Shape.of(values.length), values);
  }

  @Test
  void inputGradientAddsTheFilterAtEveryWindow() {
    // VALID 2x2 over 3x3 with a gradient of ones: each input pixel sums the taps that read it
    assertClose(run(grad("Conv2DBackpropInput", "VALID"), sizes(1, 3, 3, 1), F1234, ONES_2X2),
        Tensor.ofFloats(Shape.of(1, 3, 3, 1), 1, 3, 2, 4, 10, 6, 3, 7, 4));
  }

  @Test
  void filterGradientSumsTheInputUnderEachTap() {
    assertClose(run(grad("Conv2DBackpropFilter", "VALID"), NINE, sizes(2, 2, 1, 1), ONES_2X2),
        Tensor.ofFloats(Shape.of(2, 2, 1, 1), 12, 16, 24, 28));
  }

  @Test
  void samePaddingSendsNothingToPaddingTaps() {
    // SAME 2x2 on 3x3: none before, one after; the last row and column of windows hang over the edge
    Tensor ones = Tensor.ofFloats(Shape.of(1, 3, 3, 1), 1, 1, 1, 1, 1, 1, 1, 1, 1);
    assertClose(run(grad("Conv2DBackpropInput", "SAME"), sizes(1, 3, 3, 1), F1234, ones),
        Tensor.ofFloats(Shape.of(1, 3, 3, 1), 1, 3, 3, 4, 10, 10, 4, 10, 10));
    assertClose(run(grad("Conv2DBackpropFilter", "SAME"), NINE, sizes(2, 2, 1, 1), ones),
        Tensor.ofFloats(Shape.of(2, 2, 1, 1), 45, 33, 39, 28));
  }

  @Test
  void twoInputSizesTakeBatchAndDepthFromTheOtherInputs() {
    assertClose(run(grad("Conv2DBackpropInput", "VALID"), sizes(3, 3), F1234, ONES_2X2),
        run(grad("Conv2DBackpropInput", "VALID"), sizes(1, 3, 3, 1), F1234, ONES_2X2));
  }

  @ParameterizedTest(name = "{0} x{1} w{2} s{3}x{4} d{5}x{6} {7}")
  @CsvSource({
      "VALID, 1x5x5x1, 3x3x1x1, 1, 1, 1, 1, ''",
      "SAME, 2x5x5x2, 3x3x2x3, 1, 1, 1, 1, ''",
      "SAME, 2x4x4x1, 2x2x1x2, 1, 1, 1, 1, ''",
      "SAME, 1x7x7x3, 3x3x3x4, 2, 2, 1, 1, ''",
      "VALID, 2x7x9x2, 3x2x2x3, 2, 3, 1, 1, ''",
      "SAME, 1x9x9x2, 2x2x2x2, 3, 3, 1, 1, ''",
      "VALID, 1x9x9x2, 3x3x2x2, 1, 1, 2, 2, ''",
      "SAME, 2x8x9x2, 3x2x2x3, 1, 1, 2, 3, ''",
      "SAME, 1x9x8x2, 3x3x2x2, 2, 1, 2, 2, ''",
      "EXPLICIT, 1x4x5x2, 3x3x2x2, 1, 1, 1, 1, 0 0 1 2 0 3 0 0",
      "EXPLICIT, 1x3x3x1, 2x2x1x2, 2, 2, 1, 1, 0 0 4 0 0 5 0 0",
      "VALID, 3x4x4x5, 1x1x5x3, 1, 1, 1, 1, ''",
      "SAME, 2x3x3x2, 7x7x2x3, 1, 1, 1, 1, ''",
      "SAME, 4x28x28x3, 5x5x3x8, 1, 1, 1, 1, ''",
      "SAME, 3x15x13x4, 5x3x4x6, 2, 2, 1, 1, ''",
  })
  void bothGradientsAreTheAdjointsOfConv2D(String padding, String x, String w, long sh, long sw, long dh, long dc,
      String explicit) {
    NodeDef.Builder attrs = node("Conv2D").putAttr("padding", string(padding))
        .putAttr("strides", integers(1, sh, sw, 1)).putAttr("dilations", integers(1, dh, dc, 1));
    if (!explicit.isEmpty()) {
      attrs.putAttr("explicit_paddings", integers(java.util.Arrays.stream(explicit.split(" ")).mapToLong(Long::parseLong).toArray()));
    }
    SplittableRandom random = new SplittableRandom(x.hashCode() * 31L + w.hashCode());
    Tensor input = random(random, dims(x));
    Tensor filter = random(random, dims(w));
    Tensor output = run(attrs.clone(), input, filter);
    Tensor g = random(random, output.shape().dims());
    Tensor dx = run(attrs.clone().setOp("Conv2DBackpropInput"), sizes(toInts(dims(x))), filter, g);
    Tensor dw = run(attrs.clone().setOp("Conv2DBackpropFilter"), input, sizes(toInts(dims(w))), g);
    assertThat(dx.shape()).isEqualTo(input.shape());
    assertThat(dw.shape()).isEqualTo(filter.shape());
    double forward = dot(output, g);
    assertThat(dot(input, dx)).as("<x, dx> vs <conv(x, w), g>").isCloseTo(forward, within(forward));
    assertThat(dot(filter, dw)).as("<w, dw> vs <conv(x, w), g>").isCloseTo(forward, within(forward));
  }

  /** float32 takes other paths than float64 (oneDNN at stride 1 where it can); both must agree. */
  @ParameterizedTest(name = "{0} s{1} w{2} {3}")
  @CsvSource({
      "SAME, 2, 3x3x8x4, ''",
      "SAME, 1, 3x3x8x4, ''",
      "SAME, 1, 5x5x8x3, ''",
      "SAME, 1, 2x2x8x3, ''",
      "SAME, 1, 3x3x2x4, ''",
      "VALID, 1, 3x3x8x4, ''",
      "VALID, 1, 1x1x8x4, ''",
      "EXPLICIT, 1, 3x3x8x4, 0 0 1 1 2 2 0 0",
      "EXPLICIT, 1, 3x3x8x4, 0 0 0 2 1 0 0 0",
  })
  void float32MatchesFloat64(String padding, long stride, String w, String explicit) {
    NodeDef.Builder attrs = node("Conv2D").putAttr("padding", string(padding))
        .putAttr("strides", integers(1, stride, stride, 1));
    if (!explicit.isEmpty()) {
      attrs.putAttr("explicit_paddings", integers(java.util.Arrays.stream(explicit.split(" ")).mapToLong(Long::parseLong).toArray()));
    }
    long[] wd = dims(w);
    int depth = Math.toIntExact(wd[2]);
    Tensor x = Tensor.ofFloats(Shape.of(2, 6, 7, depth), wave(84 * depth, 0.3));
    Tensor filter = Tensor.ofFloats(Shape.of(wd), wave(Math.toIntExact(Shape.of(wd).numElements()), 0.7));
    Shape out = run(attrs.clone(), x, filter).shape();
    Tensor g = Tensor.ofFloats(out, wave(Math.toIntExact(out.numElements()), 0.2));
    NodeDef.Builder input = attrs.clone().setOp("Conv2DBackpropInput");
    NodeDef.Builder filterGrad = attrs.clone().setOp("Conv2DBackpropFilter");
    Tensor inputSizes = sizes(2, 6, 7, depth);
    assertNear(run(input.clone(), inputSizes, filter, g), run(input.clone(), inputSizes, widen(filter), widen(g)));
    assertNear(run(filterGrad.clone(), x, sizes(toInts(wd)), g), run(filterGrad.clone(), widen(x), sizes(toInts(wd)), widen(g)));
  }

  private static void assertNear(Tensor floats, Tensor doubles) {
    assertThat(floats.shape()).isEqualTo(doubles.shape());
    for (int i = 0; i < floats.numElements(); i++) {
      assertThat(floats.doubleAt(i)).as("element %d", i).isCloseTo(doubles.doubleAt(i), org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void theBenchmarkShapesGoThroughOneDnnWhereItIsFaster() {
    assumeTrue(Nd4jRuntime.oneDnn(), "ND4J runs its oneDNN build");
    ConvAttrs same = new ConvAttrs(1, 1, 1, 1, Padding.SAME, 0, 0, 0, 0);
    ConvShape layer1 = ConvShape.of(Shape.of(64, 28, 28, 1), Shape.of(5, 5, 1, 32), same);
    ConvShape layer2 = ConvShape.of(Shape.of(64, 14, 14, 32), Shape.of(5, 5, 32, 64), same);
    assertThat(OneDnnConvGrads.appliesToFilter(layer1, same, DType.FLOAT)).isTrue();
    assertThat(OneDnnConvGrads.appliesToInput(layer1, same, DType.FLOAT)).as("one input channel: col2im").isFalse();
    assertThat(OneDnnConvGrads.appliesToFilter(layer2, same, DType.FLOAT)).isTrue();
    assertThat(OneDnnConvGrads.appliesToInput(layer2, same, DType.FLOAT)).isTrue();
    assertThat(OneDnnConvGrads.appliesToInput(layer2, same, DType.DOUBLE)).isFalse();
    ConvAttrs strided = new ConvAttrs(2, 2, 1, 1, Padding.SAME, 0, 0, 0, 0);
    ConvShape layer2Strided = ConvShape.of(Shape.of(64, 14, 14, 32), Shape.of(5, 5, 32, 64), strided);
    assertThat(OneDnnConvGrads.appliesToFilter(layer2Strided, strided, DType.FLOAT)).isFalse();
    ConvShape even = ConvShape.of(Shape.of(64, 14, 14, 32), Shape.of(4, 4, 32, 64), same);
    assertThat(OneDnnConvGrads.appliesToInput(even, same, DType.FLOAT)).as("SAME pads an even kernel unevenly").isFalse();
  }

  @Test
  void emptyShapesGiveZerosOrEmptyOutputs() {
    Tensor emptyGrad = Tensor.ofFloats(Shape.of(0, 2, 2, 1));
    assertThat(run(grad("Conv2DBackpropInput", "VALID"), sizes(0, 3, 3, 1), F1234, emptyGrad).shape())
        .isEqualTo(Shape.of(0, 3, 3, 1));
    Tensor noDepth = Tensor.ofFloats(Shape.of(1, 2, 2, 0));
    assertClose(run(grad("Conv2DBackpropInput", "VALID"), sizes(1, 3, 3, 1), Tensor.ofFloats(Shape.of(2, 2, 1, 0)), noDepth),
        Tensor.ofFloats(Shape.of(1, 3, 3, 1), new float[9]));
    assertClose(run(grad("Conv2DBackpropFilter", "VALID"), NINE, sizes(2, 2, 1, 0), noDepth),
        Tensor.ofFloats(Shape.of(2, 2, 1, 0)));
    assertClose(run(grad("Conv2DBackpropFilter", "VALID"), Tensor.ofFloats(Shape.of(0, 3, 3, 1)), sizes(2, 2, 1, 1), emptyGrad),
        Tensor.ofFloats(Shape.of(2, 2, 1, 1), 0, 0, 0, 0));
  }

  @Test
  void sizeVectorErrorsUseTfWording() {
    NodeDef.Builder input = grad("Conv2DBackpropInput", "VALID");
    assertThatThrownBy(() -> run(input.clone(), sizes(1, 3, 3), F1234, ONES_2X2))
        .isInstanceOf(KernelException.class)
        .hasMessage("Conv2DBackpropInput requires input_sizes to contain 4 values or 2 values, but got: 3");
    assertThatThrownBy(() -> run(input.clone(), sizes(1, -3, 3, 1), F1234, ONES_2X2))
        .hasMessage("Dimension -3 must be >= 0");
    assertThatThrownBy(() -> run(input.clone(), sizes(-3, 3), F1234, ONES_2X2))
        .hasMessage("Conv2DBackpropInput: elements of input_sizes must be >= 0, not -3x3");
    assertThatThrownBy(() -> run(input.clone(), Tensor.ofInts(Shape.of(2, 2), 1, 3, 3, 1), F1234, ONES_2X2))
        .hasMessage("Conv2DBackpropInput: input_sizes input must be 1-dim, not 2");
    assertThatThrownBy(() -> run(input.clone(), sizes(1, 3, 3, 1), F1234, Tensor.ofFloats(Shape.of(2, 2), 1, 1, 1, 1)))
        .hasMessage("input_sizes must be 4-dimensional, got: 2");
    assertThatThrownBy(() -> run(input.clone(), Tensor.ofLongs(Shape.of(4), 1, 3, 3, 1), F1234, ONES_2X2))
        .hasMessage("Input 'input_sizes' of 'Conv2DBackpropInput' Op has type int64 that does not match expected type of int32.");
    NodeDef.Builder filter = grad("Conv2DBackpropFilter", "VALID");
    assertThatThrownBy(() -> run(filter.clone(), NINE, sizes(2, 2, 1), ONES_2X2))
        .hasMessage("Conv2DCustomBackpropFilter: filter must be 4-dimensional");
    assertThatThrownBy(() -> run(filter.clone(), NINE, Tensor.ofInts(Shape.of(), 2), ONES_2X2))
        .hasMessage("Conv2DCustomBackpropFilter: filter_sizes input must be 1-dim, not 0");
  }

  @Test
  void shapeErrorsUseTfWording() {
    NodeDef.Builder input = grad("Conv2DBackpropInput", "VALID");
    Tensor grad3x2 = Tensor.ofFloats(Shape.of(1, 3, 2, 1), 1, 1, 1, 1, 1, 1);
    assertThatThrownBy(() -> run(input.clone(), sizes(1, 3, 3, 1), F1234, grad3x2))
        .hasMessage("Conv2DCustomBackpropInput: Size of out_backprop doesn't match computed: actual = 3, computed = 2"
            + " spatial_dim: 1 input: 3 filter: 2 output: 3 stride: 1 dilation: 1");
    assertThatThrownBy(() -> run(input.clone(), sizes(2, 3, 3, 1), F1234, ONES_2X2))
        .hasMessage("Conv2DCustomBackpropInput: input and out_backprop must have the same batch size. Input batch: 2,"
            + " outbackprop batch: 1, batch_dim: 0");
    assertThatThrownBy(() -> run(input.clone(), sizes(1, 3, 3, 1), Tensor.ofFloats(Shape.of(2, 2, 1, 2), new float[8]), ONES_2X2))
        .hasMessage("Conv2DCustomBackpropInput: filter and out_backprop must have the same out_depth");
    assertThatThrownBy(() -> run(input.clone(), sizes(1, 3, 3, 3), Tensor.ofFloats(Shape.of(2, 2, 2, 1), new float[8]), ONES_2X2))
        .hasMessage("Conv2DCustomBackpropInput: input depth must be evenly divisible by filter depth");
    assertThatThrownBy(() -> run(input.clone(), sizes(1, 2, 2, 1), Tensor.ofFloats(Shape.of(4, 4, 1, 1), new float[16]), ONES_2X2))
        .hasMessage("Computed output size would be negative: -1 [input_size: 2, effective_filter_size: 4, stride: 1]");
    assertThatThrownBy(() -> run(input.clone(), sizes(1, 3, 3, 4), Tensor.ofFloats(Shape.of(2, 2, 2, 1), new float[8]), ONES_2X2))
        .hasMessageStartingWith("Gradients for grouped convolutions are not supported on CPU.")
        .hasMessageEndingWith("Computed input depth 4 doesn't match filter input depth 2");
    NodeDef.Builder filter = grad("Conv2DBackpropFilter", "VALID");
    assertThatThrownBy(() -> run(filter.clone(), NINE, sizes(2, 2, 1, 1), grad3x2))
        .hasMessageStartingWith("Conv2DCustomBackpropFilter: Size of out_backprop doesn't match computed: actual = 3");
    assertThatThrownBy(() -> run(filter.clone(), Tensor.ofFloats(Shape.of(3, 3), new float[9]), sizes(2, 2, 1, 1), ONES_2X2))
        .hasMessage("Conv2DCustomBackpropFilter: input must be 4-dimensional");
  }

  @Test
  void attrAndDtypeErrorsUseTfWording() {
    assertThatThrownBy(() -> run(grad("Conv2DBackpropInput", "VALID").putAttr("data_format", string("NCHW")),
        sizes(1, 3, 3, 1), F1234, ONES_2X2))
        .hasMessageStartingWith("Conv2DCustomBackpropInputOp only supports NHWC.");
    assertThatThrownBy(() -> run(grad("Conv2DBackpropFilter", "VALID", 1, 1, 1, 2), NINE, sizes(2, 2, 1, 1), ONES_2X2))
        .hasMessage("Current implementation does not yet support strides in the batch and depth dimensions.");
    assertThatThrownBy(() -> run(grad("Conv2DBackpropInput", "VALID"), sizes(1, 3, 3, 1), F1234,
        Tensor.ofDoubles(Shape.of(1, 2, 2, 1), 1, 1, 1, 1)))
        .hasMessage("Input 'out_backprop' of 'Conv2DBackpropInput' Op has type float64 that does not match type float32"
            + " of argument 'filter'.");
    assertThatThrownBy(() -> run(grad("Conv2DBackpropFilter", "VALID"), Tensor.ofInts(Shape.of(1, 1, 1, 1), 1), sizes(1, 1, 1, 1),
        Tensor.ofInts(Shape.of(1, 1, 1, 1), 1)))
        .hasMessageStartingWith("Unsupported dtype int32 for op Conv2DBackpropFilter");
  }

  // ------------------------------------------------------------------ helpers

  private static org.assertj.core.data.Offset<Double> within(double scale) {
    return org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(scale)));
  }

  private static long[] dims(String text) {
    return java.util.Arrays.stream(text.split("x")).mapToLong(Long::parseLong).toArray();
  }

  private static int[] toInts(long[] values) {
    return java.util.Arrays.stream(values).mapToInt(Math::toIntExact).toArray();
  }

  private static Tensor widen(Tensor floats) {
    double[] values = new double[Math.toIntExact(floats.numElements())];
    for (int i = 0; i < values.length; i++) {
      values[i] = floats.doubleAt(i);
    }
    return Tensor.ofDoubles(floats.shape(), values);
  }

  private static float[] wave(int n, double step) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) Math.sin(i * step + 0.5);
    }
    return values;
  }
}
