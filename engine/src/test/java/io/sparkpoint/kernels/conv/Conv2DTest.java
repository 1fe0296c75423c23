package io.sparkpoint.kernels.conv;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.integers;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Conv2D against hand-computed values (NHWC input, HWIO filter); tolerances are in KernelRunner. */
class Conv2DTest {
  /** 1x3x3x1: 1 2 3 / 4 5 6 / 7 8 9. */
  private static final Tensor NINE = Tensor.ofFloats(Shape.of(1, 3, 3, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9);
  private static final Tensor F1234 = Tensor.ofFloats(Shape.of(2, 2, 1, 1), 1, 2, 3, 4);

  static NodeDef.Builder conv(String padding, long... strides) {
    return node("Conv2D").putAttr("padding", string(padding))
        .putAttr("strides", integers(strides.length == 0 ? new long[] {1, 1, 1, 1} : strides));
  }

  @Test
  void validSlidesTheWholeFilterInsideTheInput() {
    // [1,2,4,5].[1,2,3,4] = 37, then 47, 67, 77
    assertClose(run(conv("VALID"), NINE, F1234), Tensor.ofFloats(Shape.of(1, 2, 2, 1), 37, 47, 67, 77));
  }

  @Test
  void samePutsTheOddPaddingElementAtTheBottomAndRight() {
    // total padding 1 per dimension: none before, one after, so out(0,0) sums x[0..1][0..1]
    Tensor ones = Tensor.ofFloats(Shape.of(2, 2, 1, 1), 1, 1, 1, 1);
    assertClose(run(conv("SAME"), NINE, ones),
        Tensor.ofFloats(Shape.of(1, 3, 3, 1), 12, 16, 9, 24, 28, 15, 15, 17, 9));
  }

  @Test
  void stridesLargerThanTheKernelSkipInput() {
    Tensor x = Tensor.ofFloats(Shape.of(1, 5, 5, 1), range(25));
    Tensor two = Tensor.ofFloats(Shape.of(1, 1, 1, 1), 2);
    // (5 - 1 + 3) / 3 = 2 outputs per dimension, at 0 and 3
    assertClose(run(conv("VALID", 1, 3, 3, 1), x, two), Tensor.ofFloats(Shape.of(1, 2, 2, 1), 0, 6, 30, 36));
    // SAME: ceil(5 / 3) = 2, padding (2 - 1) * 3 + 1 - 5 < 0, so none
    assertClose(run(conv("SAME", 1, 3, 3, 1), x, two), Tensor.ofFloats(Shape.of(1, 2, 2, 1), 0, 6, 30, 36));
  }

  @Test
  void dilationSpreadsTheTaps() {
    // effective filter 3x3: taps x[0,0], x[0,2], x[2,0], x[2,2] = 1, 3, 7, 9
    NodeDef.Builder dilated = conv("VALID").putAttr("dilations", integers(1, 2, 2, 1));
    assertClose(run(dilated, NINE, F1234), Tensor.ofFloats(Shape.of(1, 1, 1, 1), 1 + 6 + 21 + 36));
  }

  @Test
  void explicitPaddingMayDifferOnEachSide() {
    Tensor x = Tensor.ofFloats(Shape.of(1, 2, 2, 1), 1, 2, 3, 4);
    NodeDef.Builder padded = conv("EXPLICIT").putAttr("explicit_paddings", integers(0, 0, 1, 0, 0, 2, 0, 0));
    assertClose(run(padded, x, Tensor.ofFloats(Shape.of(1, 1, 1, 1), 1)),
        Tensor.ofFloats(Shape.of(1, 3, 4, 1), 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0));
  }

  @Test
  void aOneByOneKernelIsAMatrixProductPerPixelForEveryImage() {
    Tensor x = Tensor.ofDoubles(Shape.of(2, 1, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8);
    Tensor w = Tensor.ofDoubles(Shape.of(1, 1, 2, 3), 1, 0, 1, 0, 1, 1);
    assertClose(run(conv("SAME"), x, w),
        Tensor.ofDoubles(Shape.of(2, 1, 2, 3), 1, 2, 3, 3, 4, 7, 5, 6, 11, 7, 8, 15));
  }

  @Test
  void groupedConvolutionsSplitTheChannels() {
    // 4 input channels, filter depth 2: two groups of one output channel each
    Tensor x = Tensor.ofFloats(Shape.of(1, 1, 1, 4), 1, 2, 3, 4);
    Tensor w = Tensor.ofFloats(Shape.of(1, 1, 2, 2), 1, 10, 100, 1000);
    assertClose(run(conv("VALID"), x, w), Tensor.ofFloats(Shape.of(1, 1, 1, 2), 1 + 200, 30 + 4000));
  }

  @Test
  void int32SumsWrapLikeTf() {
    Tensor x = Tensor.ofInts(Shape.of(1, 1, 2, 1), 1 << 30, 3);
    Tensor w = Tensor.ofInts(Shape.of(1, 1, 1, 2), 4, -5);
    assertClose(run(conv("VALID"), x, w), Tensor.ofInts(Shape.of(1, 1, 2, 2), 0, -5 << 30, 12, -15));
  }

  @Test
  void largerInputsMatchADirectSum() {
    // several chunks and both threads: 3 images of 40x40x3, 5x5x3x4 filter, stride 2, SAME
    Shape xs = Shape.of(3, 40, 40, 3);
    Shape ws = Shape.of(5, 5, 3, 4);
    float[] x = wave(xs.numElements(), 0.37);
    float[] w = wave(ws.numElements(), 0.11);
    Tensor got = run(conv("SAME", 1, 2, 2, 1), Tensor.ofFloats(xs, x), Tensor.ofFloats(ws, w));
    assertThat(got.shape()).isEqualTo(Shape.of(3, 20, 20, 4));
    // padding needed (20 - 1) * 2 + 5 - 40 = 3: one before, two after
    for (int n = 0; n < 3; n++) {
      for (int oh = 0; oh < 20; oh += 7) {
        for (int ow = 0; ow < 20; ow += 3) {
          for (int o = 0; o < 4; o++) {
            double sum = 0;
            for (int kh = 0; kh < 5; kh++) {
              for (int kw = 0; kw < 5; kw++) {
                int ih = oh * 2 - 1 + kh;
                int iw = ow * 2 - 1 + kw;
                if (ih >= 0 && ih < 40 && iw >= 0 && iw < 40) {
                  for (int c = 0; c < 3; c++) {
                    sum += x[((n * 40 + ih) * 40 + iw) * 3 + c] * w[((kh * 5 + kw) * 3 + c) * 4 + o];
                  }
                }
              }
            }
            int at = ((n * 20 + oh) * 20 + ow) * 4 + o;
            assertThat(got.doubleAt(at)).as("output %d", at).isCloseTo(sum, org.assertj.core.data.Offset.offset(1e-4));
          }
        }
      }
    }
  }

  @Test
  void emptyBatchesGiveEmptyOutputs() {
    Tensor x = Tensor.ofFloats(Shape.of(0, 3, 3, 1));
    assertThat(run(conv("SAME"), x, F1234).shape()).isEqualTo(Shape.of(0, 3, 3, 1));
  }

  @Test
  void depthsMustDivide() {
    Tensor x = Tensor.ofFloats(Shape.of(1, 3, 3, 3), new float[27]);
    assertThatThrownBy(() -> run(conv("SAME"), x, Tensor.ofFloats(Shape.of(2, 2, 2, 1), new float[8])))
        .isInstanceOf(KernelException.class)
        .hasMessage("input depth must be evenly divisible by filter depth: 3 vs 2");
    Tensor four = Tensor.ofFloats(Shape.of(1, 1, 1, 4), 1, 2, 3, 4);
    assertThatThrownBy(() -> run(conv("SAME"), four, Tensor.ofFloats(Shape.of(1, 1, 2, 3), new float[6])))
        .hasMessage("output depth must be evenly divisible by number of groups: 3 vs 2");
  }

  @Test
  void shapeErrorsUseTfWording() {
    Tensor small = Tensor.ofFloats(Shape.of(1, 2, 2, 1), 1, 2, 3, 4);
    assertThatThrownBy(() -> run(conv("VALID"), small, Tensor.ofFloats(Shape.of(4, 1, 1, 1), new float[4])))
        .hasMessage("Computed output size would be negative: -1 [input_size: 2, effective_filter_size: 4, stride: 1]");
    // (2 - 3 + 1) / 1 = 0: an empty output, not an error, as in TF
    assertThat(run(conv("VALID"), small, Tensor.ofFloats(Shape.of(3, 1, 1, 1), new float[3])).shape())
        .isEqualTo(Shape.of(1, 0, 2, 1));
    assertThatThrownBy(() -> run(conv("VALID"), Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4), F1234))
        .hasMessage("convolution input must be 4-dimensional: [2,2]");
    assertThatThrownBy(() -> run(conv("VALID"), NINE, Tensor.ofFloats(Shape.of(4), 1, 2, 3, 4)))
        .hasMessage("convolution filter must be 4-dimensional: [4]");
  }

  @Test
  void attrErrorsUseTfWording() {
    assertThatThrownBy(() -> run(conv("SAME").putAttr("data_format", string("NCHW")), NINE, F1234))
        .hasMessage("The Conv2D op currently only supports the NHWC tensor format on the CPU. The op was given the format: NCHW");
    assertThatThrownBy(() -> run(conv("SAME", 1, 1, 1), NINE, F1234))
        .hasMessage("Sliding window strides field must specify 4 dimensions");
    assertThatThrownBy(() -> run(conv("SAME", 2, 1, 1, 1), NINE, F1234))
        .hasMessage("Current implementation does not yet support strides in the batch and depth dimensions.");
    assertThatThrownBy(() -> run(conv("SAME", 1, 0, 1, 1), NINE, F1234))
        .hasMessage("Row and column strides should be larger than 0.");
    assertThatThrownBy(() -> run(conv("SAME").putAttr("dilations", integers(1, 0, 1, 1)), NINE, F1234))
        .hasMessage("Dilated rates should be larger than 0.");
    assertThatThrownBy(() -> run(conv("EXPLICIT").putAttr("explicit_paddings", integers(0, 0, 1, 1)), NINE, F1234))
        .hasMessage("explicit_paddings attribute must contain 8 values, but got: 4");
    assertThatThrownBy(() -> run(conv("EXPLICIT").putAttr("explicit_paddings", integers(1, 0, 0, 0, 0, 0, 0, 0)), NINE, F1234))
        .hasMessage("Nonzero explicit padding in the batch or depth dimensions is not supported");
    assertThatThrownBy(() -> run(conv("SAME").putAttr("explicit_paddings", integers(0, 0, 1, 1, 1, 1, 0, 0)), NINE, F1234))
        .hasMessage("explicit_paddings attribute must be empty if the padding attribute is not EXPLICIT");
    assertThatThrownBy(() -> run(conv("FULL"), NINE, F1234))
        .hasMessage("Unsupported padding FULL for Conv2D (node conv2d): expected one of SAME, VALID, EXPLICIT");
  }

  @Test
  void halfAndMixedDtypesAreRefused() {
    Tensor half = Tensor.wrap(DType.HALF, Shape.of(1, 1, 1, 1), ByteBuffer.allocate(2));
    assertThatThrownBy(() -> run(conv("SAME"), half, half))
        .hasMessageStartingWith("Unsupported dtype float16 for op Conv2D (node conv2d)");
    assertThatThrownBy(() -> run(conv("SAME"), NINE, Tensor.ofDoubles(Shape.of(1, 1, 1, 1), 1)))
        .hasMessage("Input 'filter' of 'Conv2D' Op has type float64 that does not match type float32 of argument 'input'.");
  }

  private static float[] range(int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    return values;
  }

  private static float[] wave(long n, double step) {
    float[] values = new float[(int) n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) Math.sin(i * step);
    }
    return values;
  }
}
