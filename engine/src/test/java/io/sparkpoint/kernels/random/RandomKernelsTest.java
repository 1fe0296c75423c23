package io.sparkpoint.kernels.random;

import static io.sparkpoint.kernels.KernelRunner.integer;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.type;
import static io.sparkpoint.kernels.random.RandomSessionTest.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.kernels.KernelRunner;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.HalfFloats;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The random kernels one node at a time: grouping, dtypes, unseeded statistics and errors. */
class RandomKernelsTest {
  private static NodeDef.Builder op(String op, DType dtype, long seed, long seed2) {
    return node(op).putAttr("dtype", type(dtype)).putAttr("T", type(DType.INT32))
        .putAttr("seed", integer(seed)).putAttr("seed2", integer(seed2));
  }

  private static Tensor draw(String op, DType dtype, long seed, long seed2, int... dims) {
    return KernelRunner.run(op(op, dtype, seed, seed2), Tensor.ofInts(Shape.of(dims.length), dims));
  }

  private static Tensor uniformInt(DType dtype, long lo, long hi, int... dims) {
    Tensor min = dtype == DType.INT32 ? Tensor.ofInts(Shape.scalar(), (int) lo) : Tensor.ofLongs(Shape.scalar(), lo);
    Tensor max = dtype == DType.INT32 ? Tensor.ofInts(Shape.scalar(), (int) hi) : Tensor.ofLongs(Shape.scalar(), hi);
    return KernelRunner.run(node("RandomUniformInt").putAttr("Tout", type(dtype)).putAttr("T", type(DType.INT32))
        .putAttr("seed", integer(5)), Tensor.ofInts(Shape.of(dims.length), dims), min, max);
  }

  private static double[] values(Tensor tensor) {
    double[] values = new double[(int) tensor.numElements()];
    for (int i = 0; i < values.length; i++) {
      values[i] = tensor.doubleAt(i);
    }
    return values;
  }

  @Test
  void outsideASessionEveryRunStartsTheSequenceOver() {
    assertThat(draw("RandomUniform", DType.FLOAT, 1, 2, 5)).isEqualTo(draw("RandomUniform", DType.FLOAT, 1, 2, 5));
  }

  @Test
  void aSizeThatLeavesTheLastGroupPartFullIsAPrefixOfTheFullGroups() {
    for (String op : List.of("RandomUniform", "RandomStandardNormal", "TruncatedNormal")) {
      assertThat(values(draw(op, DType.FLOAT, 3, 4, 5))).as(op).containsExactly(java.util.Arrays.copyOf(values(draw(op, DType.FLOAT, 3, 4, 8)), 5));
      assertThat(values(draw(op, DType.DOUBLE, 3, 4, 3))).as(op).containsExactly(java.util.Arrays.copyOf(values(draw(op, DType.DOUBLE, 3, 4, 4)), 3));
    }
  }

  @Test
  void theShapeOnlyArrangesTheSameRowMajorNumbers() {
    assertThat(values(draw("TruncatedNormal", DType.FLOAT, 3, 4, 2, 3, 2))).containsExactly(values(draw("TruncatedNormal", DType.FLOAT, 3, 4, 12)));
    assertThat(draw("RandomUniform", DType.DOUBLE, 3, 4).shape()).isEqualTo(Shape.scalar());
    assertThat(draw("RandomUniform", DType.DOUBLE, 3, 4, 4, 0).numElements()).isZero();
  }

  @Test
  void float16AndBfloat16UniformsAreTheLowMantissaBitsOfTheFloatOnes() {
    double[] floats = values(draw("RandomUniform", DType.FLOAT, 9, 9, 10));
    double[] halves = values(draw("RandomUniform", DType.HALF, 9, 9, 10));
    double[] bfloats = values(draw("RandomUniform", DType.BFLOAT16, 9, 9, 10));
    for (int i = 0; i < floats.length; i++) {
      double bits = floats[i] * 0x1p23;
      assertThat(halves[i]).isEqualTo((bits % 1024) / 1024);
      assertThat(bfloats[i]).isEqualTo((bits % 128) / 128);
    }
  }

  @Test
  void float16AndBfloat16NormalsAreTheFloatOnesRounded() {
    for (String op : List.of("RandomStandardNormal", "TruncatedNormal")) {
      Tensor floats = draw(op, DType.FLOAT, 9, 9, 10);
      Tensor halves = draw(op, DType.HALF, 9, 9, 10);
      Tensor bfloats = draw(op, DType.BFLOAT16, 9, 9, 10);
      for (int i = 0; i < 10; i++) {
        float f = (float) floats.doubleAt(i);
        assertThat(halves.data().getShort(2 * i)).isEqualTo(HalfFloats.floatToHalf(f));
        assertThat(bfloats.data().getShort(2 * i)).isEqualTo(HalfFloats.floatToBfloat16(f));
      }
    }
  }

  @Test
  void unseededOpsHaveTheirDistributionsAndDifferFromSessionToSession() {
    Graph graph = new Graph();
    random(graph, "RandomUniform", "u", DType.FLOAT, 0, 0, 100_000);
    random(graph, "RandomStandardNormal", "n", DType.DOUBLE, 0, 0, 100_000);
    random(graph, "TruncatedNormal", "t", DType.FLOAT, 0, 0, 100_000);
    List<Tensor> first = new Session(graph).run(Map.of(), List.of("u", "n", "t"));
    List<Tensor> second = new Session(graph).run(Map.of(), List.of("u", "n", "t"));

    assertMoments(values(first.get(0)), 0.5, Math.sqrt(1.0 / 12), 0, 1);
    assertMoments(values(first.get(1)), 0, 1, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    // the standard normal conditioned on |x| < 2 has a standard deviation of 0.8796
    assertMoments(values(first.get(2)), 0, 0.8796, -2, 2);
    assertThat(second).doesNotContainAnyElementsOf(first);
  }

  private static void assertMoments(double[] sample, double mean, double std, double lo, double hi) {
    double sum = 0;
    double squares = 0;
    for (double x : sample) {
      assertThat(x).isGreaterThanOrEqualTo(lo).isLessThan(hi);
      sum += x;
      squares += x * x;
    }
    double m = sum / sample.length;
    // five standard errors: a false alarm every few million runs
    assertThat(m).isCloseTo(mean, within(5 * std / Math.sqrt(sample.length)));
    assertThat(Math.sqrt(squares / sample.length - m * m)).isCloseTo(std, within(0.01));
  }

  @Test
  void uniformIntegersCoverTheirRangeEvenWhenItOverflowsTheType() {
    Tensor small = uniformInt(DType.INT32, -3, 3, 10_000);
    long[] counts = new long[6];
    for (int i = 0; i < 10_000; i++) {
      counts[(int) small.longAt(i) + 3]++;
    }
    for (long count : counts) {
      assertThat(count).isBetween(1500L, 1833L);
    }

    Tensor wide = uniformInt(DType.INT32, Integer.MIN_VALUE + 1, Integer.MAX_VALUE, 1000);
    Tensor widest = uniformInt(DType.INT64, Long.MIN_VALUE, Long.MAX_VALUE, 1000);
    assertThat(java.util.stream.LongStream.range(0, 1000).map(wide::longAt).filter(v -> v < 0).count()).isBetween(400L, 600L);
    assertThat(java.util.stream.LongStream.range(0, 1000).map(widest::longAt).filter(v -> v < 0).count()).isBetween(400L, 600L);
  }

  @Test
  void anEmptyIntegerDrawNeedsNoValidRange() {
    assertThat(uniformInt(DType.INT64, 5, 5, 0, 3).shape()).isEqualTo(Shape.of(0, 3));
    assertThatThrownBy(() -> uniformInt(DType.INT64, 5, 5, 2)).hasMessage("Need minval < maxval, got 5 >= 5");
    assertThatThrownBy(() -> uniformInt(DType.INT32, 7, -1, 2)).hasMessage("Need minval < maxval, got 7 >= -1");
  }

  @Test
  void integerBoundsMustBeScalarsOfTout() {
    NodeDef.Builder node = node("RandomUniformInt").putAttr("Tout", type(DType.INT32)).putAttr("T", type(DType.INT32));
    Tensor shape = Tensor.ofInts(Shape.of(1), 3);
    Tensor one = Tensor.ofInts(Shape.scalar(), 1);

    assertThatThrownBy(() -> KernelRunner.run(node, shape, Tensor.ofInts(Shape.of(2), 0, 1), one))
        .hasMessage("minval must be 0-D, got shape [2]");
    assertThatThrownBy(() -> KernelRunner.run(node, shape, Tensor.ofInts(Shape.scalar(), 0), Tensor.ofInts(Shape.of(1, 1), 5)))
        .hasMessage("maxval must be 0-D, got shape [1,1]");
    assertThatThrownBy(() -> KernelRunner.run(node, shape, Tensor.ofLongs(Shape.scalar(), 0), one))
        .hasMessage("Input 'minval' of 'RandomUniformInt' Op has type int64 that does not match attr Tout=int32");
  }

  @Test
  void theShapeMustBeAnIntegerVectorOfNonNegativeDims() {
    NodeDef.Builder uniform = op("RandomUniform", DType.FLOAT, 1, 2);

    assertThatThrownBy(() -> KernelRunner.run(uniform, Tensor.ofInts(Shape.of(1, 2), 2, 2)))
        .hasMessage("shape must be a vector of {int32,int64}, got shape [1,2]");
    assertThatThrownBy(() -> KernelRunner.run(uniform, Tensor.ofInts(Shape.of(2), 2, -1)))
        .hasMessage("Dimension -1 must be >= 0");
    assertThatThrownBy(() -> KernelRunner.run(uniform, Tensor.ofFloats(Shape.of(1), 2)))
        .hasMessage("Input 'shape' of 'RandomUniform' Op has type float32 that is not in the allowed types int32, int64");
    assertThatThrownBy(() -> KernelRunner.run(uniform, Tensor.ofLongs(Shape.of(2), 1L << 20, 1L << 20)))
        .hasMessage("Cannot make a random tensor of shape [1048576,1048576]: it would not fit in memory");
    assertThat(KernelRunner.run(uniform, Tensor.ofLongs(Shape.of(2), 2, 3)).shape()).isEqualTo(Shape.of(2, 3));
  }

  @Test
  void onlyTheFloatDtypesAndIntegerToutsHaveKernels() {
    assertThatThrownBy(() -> draw("RandomStandardNormal", DType.INT32, 1, 2, 3))
        .isInstanceOf(KernelException.class)
        .hasMessage("Unsupported dtype int32 for op RandomStandardNormal (node randomstandardnormal): no kernel registered "
            + "for dtype=DT_INT32; supported: bfloat16, float16, float32, float64");
    assertThatThrownBy(() -> uniformInt(DType.FLOAT, 0, 1, 3))
        .hasMessageContaining("no kernel registered for Tout=DT_FLOAT; supported: int32, int64");
    assertThatThrownBy(() -> KernelRunner.run(node("RandomUniform"), Tensor.ofInts(Shape.of(1), 3)))
        .hasMessage("RandomUniform node randomuniform has no dtype attr");
  }
}
