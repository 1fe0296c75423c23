package io.sparkpoint.kernels.nn;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.HalfTensors;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** ReluGrad, Relu6Grad, EluGrad, SigmoidGrad and TanhGrad against hand-computed values. */
class ActivationGradTest {
  private static final float NAN = Float.NaN;
  private static final float INF = Float.POSITIVE_INFINITY;

  private static Tensor floats(float... values) {
    return Tensor.ofFloats(Shape.of(values.length), values);
  }

  private static Tensor doubles(double... values) {
    return Tensor.ofDoubles(Shape.of(values.length), values);
  }

  @Test
  void reluGradPassesTheGradientWhereTheFeatureIsPositive() {
    assertClose(run("ReluGrad", floats(1, -2, 3, 4), floats(0.5f, 7, -1, 0)), floats(1, -2, 0, 0));
    assertClose(run("ReluGrad", doubles(1, -2, 3), doubles(1e-300, -1e-300, 0)), doubles(1, 0, 0));
  }

  @Test
  void reluGradMultipliesByItsGateSoNanAndInfGradientsGiveNanWhereItIsClosed() {
    Tensor out = run("ReluGrad", floats(NAN, INF, NAN, INF, 5, -2), floats(-1, 0, 1, 1, NAN, -1));
    assertClose(out, floats(NAN, NAN, NAN, INF, 0, 0));
    assertThat(Float.floatToRawIntBits(out.data().getFloat(20))).as("-2 * 0 is -0").isEqualTo(0x80000000);
  }

  @Test
  void float32GatesGiveTheBitsOfTheMultiplicationForEveryPairOfSpecialValues() {
    float[] values = {NAN, INF, -INF, 0, -0f, 1, -1, 6, 5.9999995f, 6.0000005f, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MAX_VALUE, Float.intBitsToFloat(0xffc00001)};
    int n = values.length * values.length;
    float[] gradients = new float[n];
    float[] features = new float[n];
    for (int i = 0; i < n; i++) {
      gradients[i] = values[i / values.length];
      features[i] = values[i % values.length];
    }
    Tensor relu = run("ReluGrad", floats(gradients), floats(features));
    Tensor relu6 = run("Relu6Grad", floats(gradients), floats(features));
    for (int i = 0; i < n; i++) {
      float g = gradients[i];
      float f = features[i];
      assertThat(bits(relu.data().getFloat(i * 4))).as("ReluGrad(%s, %s)", g, f).isEqualTo(bits(g * (f > 0 ? 1f : 0f)));
      assertThat(bits(relu6.data().getFloat(i * 4))).as("Relu6Grad(%s, %s)", g, f)
          .isEqualTo(bits(g * (f > 0 && f < 6 ? 1f : 0f)));
    }
  }

  /** The raw bits, any NaN as the canonical one. */
  private static int bits(float value) {
    return Float.floatToIntBits(value);
  }

  @Test
  void relu6GradClosesItsGateAtZeroAtSixAndAtNan() {
    assertClose(run("Relu6Grad", floats(1, 2, 3, 4, 5, 6), floats(0, 0.1f, 5.9f, 6, 7, NAN)), floats(0, 2, 3, 0, 0, 0));
    assertClose(run("Relu6Grad", doubles(INF, 1), doubles(-1, 3)), doubles(Double.NaN, 1));
  }

  @Test
  void reluGradsOnIntegersKeepOrZeroTheGradient() {
    Shape s3 = Shape.of(3);
    assertClose(run("ReluGrad", Tensor.ofInts(s3, 5, -3, 7), Tensor.ofInts(s3, 1, 0, -2)), Tensor.ofInts(s3, 5, 0, 0));
    assertClose(run("Relu6Grad", Tensor.ofLongs(s3, 5, -3, 7), Tensor.ofLongs(s3, 5, 6, 1)), Tensor.ofLongs(s3, 5, 0, 7));
    Tensor uint8 = Tensor.of(DType.UINT8, s3, new byte[] {9, 8, 7});
    assertThat(run("ReluGrad", uint8, Tensor.of(DType.UINT8, s3, new byte[] {(byte) 255, 0, 1})).bytes())
        .containsExactly(new byte[] {9, 0, 7});
    assertThat(run("Relu6Grad", uint8, Tensor.of(DType.UINT8, s3, new byte[] {(byte) 255, 5, 6})).bytes())
        .containsExactly(new byte[] {0, 8, 0});
    Tensor uint64 = Tensor.of(DType.UINT64, Shape.of(2), longBytes(3, 4));
    Tensor huge = Tensor.of(DType.UINT64, Shape.of(2), longBytes(-1, 5)); // 2^64-1 is positive, and not below 6
    assertThat(run("ReluGrad", uint64, huge).longAt(0)).isEqualTo(3);
    assertThat(run("Relu6Grad", uint64, huge).longAt(0)).isEqualTo(0);
  }

  @Test
  void eluGradScalesByOutputPlusOneWhereTheOutputIsNegative() {
    assertClose(run("EluGrad", floats(2, 3, 4, 5, 6), floats(-0.5f, 0, 2, -1, NAN)), floats(1, 3, 4, 0, 6));
    assertClose(run("EluGrad", doubles(2, INF), doubles(-0.75, -1)), doubles(0.5, Double.NaN));
  }

  @Test
  void sigmoidGradIsDyTimesYTimesOneMinusY() {
    assertClose(run("SigmoidGrad", floats(0.5f, 0.25f, 0, 1, NAN), floats(2, 4, 1, 1, 1)), floats(0.5f, 0.75f, 0, 0, NAN));
    assertClose(run("SigmoidGrad", doubles(0.1, 0.9), doubles(3, -1)), doubles(3 * (0.1 * 0.9), -(0.9 * (1 - 0.9))));
  }

  @Test
  void tanhGradIsDyTimesOneMinusYSquared() {
    assertClose(run("TanhGrad", floats(0.5f, -1, 0, INF), floats(2, 3, 4, 1)), floats(1.5f, 0, 4, -INF));
    assertClose(run("TanhGrad", doubles(0.3), doubles(-2)), doubles(-2 * (1 - 0.3 * 0.3)));
  }

  @Test
  void halfAndBfloat16AreComputedInFloatAndRoundedOnce() {
    Tensor y = HalfTensors.of(DType.HALF, 0.5f, 0.25f, -1);
    Tensor dy = HalfTensors.of(DType.HALF, 2, 4, 3);
    assertThat(run("SigmoidGrad", y, dy)).isEqualTo(HalfTensors.of(DType.HALF, 0.5f, 0.75f, -6));
    assertThat(run("TanhGrad", HalfTensors.of(DType.BFLOAT16, 0.5f), HalfTensors.of(DType.BFLOAT16, 2)))
        .isEqualTo(HalfTensors.of(DType.BFLOAT16, 1.5f));
    assertThat(run("ReluGrad", dy, HalfTensors.of(DType.HALF, 1, 0, -1))).isEqualTo(HalfTensors.of(DType.HALF, 2, 0, 0));
  }

  @Test
  void theCwiseGradsNeedEqualCountsAndKeepTheFirstShape() {
    Tensor y = Tensor.ofFloats(Shape.of(2, 2), 0.5f, 0.5f, 0.5f, 0.5f);
    assertThat(run("SigmoidGrad", y, floats(4, 4, 4, 4)).shape()).isEqualTo(Shape.of(2, 2));
    assertThatThrownBy(() -> run("TanhGrad", floats(1, 2), floats(1, 2, 3)))
        .isInstanceOf(KernelException.class)
        .hasMessage("The two arguments to a cwise op must have same number of elements, got 2 and 3");
  }

  @Test
  void theReluFamilyNeedsEqualShapes() {
    Tensor matrix = Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4);
    assertThatThrownBy(() -> run("ReluGrad", matrix, floats(1, 2, 3, 4)))
        .isInstanceOf(KernelException.class)
        .hasMessage("Inputs to operation relugrad of type ReluGrad must have the same size and shape.  "
            + "Input 0: [2,2] != input 1: [4]");
    Tensor rank9 = Tensor.ofFloats(Shape.of(1, 1, 1, 1, 1, 1, 1, 1, 1), 1);
    assertThatThrownBy(() -> run("EluGrad", rank9, rank9))
        .hasMessage("We only handle up to Tensor::dims() up to 8, not 9");
  }

  @Test
  void emptyInputsGiveAnEmptyResultOfTheFirstShape() {
    Tensor empty = Tensor.ofFloats(Shape.of(0, 3));
    assertThat(run("ReluGrad", empty, empty)).isEqualTo(empty);
    assertThat(run("SigmoidGrad", empty, Tensor.ofFloats(Shape.of(0)))).isEqualTo(empty);
  }

  @Test
  void dtypesFollowTheOpDefs() {
    assertThatThrownBy(() -> run("ReluGrad", floats(1), doubles(1)))
        .hasMessage("Input 'features' of 'ReluGrad' Op has type float64 that does not match type float32 of argument 'gradients'.");
    assertThatThrownBy(() -> run("SigmoidGrad", Tensor.ofInts(Shape.of(1), 1), Tensor.ofInts(Shape.of(1), 1)))
        .hasMessageStartingWith("Unsupported dtype int32 for op SigmoidGrad (node sigmoidgrad)");
    assertThatThrownBy(() -> run(node("EluGrad").putAttr("T", type(DType.INT64))))
        .hasMessageStartingWith("Unsupported dtype int64 for op EluGrad (node elugrad)");
  }

  private static byte[] longBytes(long... values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long value : values) {
      bytes.putLong(value);
    }
    return bytes.array();
  }
}
