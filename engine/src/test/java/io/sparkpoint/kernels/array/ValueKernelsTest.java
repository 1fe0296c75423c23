package io.sparkpoint.kernels.array;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.bool;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.type;
import static io.sparkpoint.kernels.array.ShapeKernelsTest.scalar;
import static io.sparkpoint.kernels.array.ShapeKernelsTest.vec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Cast and Range against hand-computed values. */
class ValueKernelsTest {
  private static Tensor cast(DType dst, Tensor x) {
    return run(node("Cast").putAttr("DstT", type(dst)), x);
  }

  @Test
  void castBetweenFloatIntAndBool() {
    Tensor f = Tensor.ofFloats(Shape.of(4), 1.7f, -1.7f, 0, 2.5f);
    assertClose(cast(DType.INT32, f), Tensor.ofInts(Shape.of(4), 1, -1, 0, 2));
    assertClose(cast(DType.BOOL, f), Tensor.ofBooleans(Shape.of(4), true, true, false, true));
    assertClose(cast(DType.FLOAT, Tensor.ofBooleans(Shape.of(2), true, false)), Tensor.ofFloats(Shape.of(2), 1, 0));
    assertClose(cast(DType.INT32, Tensor.ofLongs(Shape.of(1), 4294967297L)), Tensor.ofInts(Shape.of(1), 1));
    assertClose(cast(DType.DOUBLE, Tensor.ofFloats(Shape.of(1), 0.1f)), Tensor.ofDoubles(Shape.of(1), 0.1f));
    assertClose(cast(DType.FLOAT, vec(3, -4)), Tensor.ofFloats(Shape.of(2), 3, -4));
    assertClose(cast(DType.INT32, Tensor.of(DType.UINT8, Shape.of(1), new byte[] {(byte) 255})), vec(255));
    assertThat(cast(DType.UINT8, vec(-1, 256))).isEqualTo(Tensor.of(DType.UINT8, Shape.of(2), new byte[] {(byte) 255, 0}));
    assertThat(cast(DType.HALF, Tensor.ofFloats(Shape.of(1), 2))).isEqualTo(Tensor.of(DType.HALF, Shape.of(1), new byte[] {0, 0x40}));
    assertClose(cast(DType.FLOAT, Tensor.of(DType.UINT64, Shape.of(1), new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) 0x80})),
        Tensor.ofFloats(Shape.of(1), 0x1p63f));
  }

  /** Regression (conformance): TF on x86-64 gives the lowest integer where Java saturates or gives 0. */
  @Test
  void castOfNaNInfinityOrOutOfRangeFloatToIntegerGivesTheLowestValue() {
    Tensor f = Tensor.ofFloats(Shape.of(6), Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3e9f, -3e9f, -2.9f);
    int low = Integer.MIN_VALUE;
    assertClose(cast(DType.INT32, f), Tensor.ofInts(Shape.of(6), low, low, low, low, low, -2));
    Tensor d = Tensor.ofDoubles(Shape.of(5), Double.NaN, Double.POSITIVE_INFINITY, 1e19, -1e19, 3e9);
    assertClose(cast(DType.INT64, d), Tensor.ofLongs(Shape.of(5), Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE, 3_000_000_000L));
  }

  /** Regression (conformance): Truncate=true zeroes the mantissa bits float32 lacks instead of rounding. */
  @Test
  void castWithTruncateRoundsFloat64ToFloat32TowardZero() {
    // 1 + 0.75 ulp(1f) rounds up to 1 + ulp(1f); just above FLT_MAX rounds to infinity
    Tensor d = Tensor.ofDoubles(Shape.of(3), 1.0000000894069672, 3.4028235677973366e38, Double.NaN);
    NodeDef.Builder truncating = node("Cast").putAttr("DstT", type(DType.FLOAT)).putAttr("Truncate", bool(true));
    assertClose(run(truncating, d), Tensor.ofFloats(Shape.of(3), 1, Float.MAX_VALUE, Float.NaN));
    assertClose(cast(DType.FLOAT, d), Tensor.ofFloats(Shape.of(3), 1.0000001f, Float.POSITIVE_INFINITY, Float.NaN));
  }

  /** Regression (conformance): TF computes element i as start + i * delta, not as a running sum. */
  @Test
  void floatRangeComputesStartPlusIndexTimesDelta() {
    Tensor r = run("Range", Tensor.ofDoubles(Shape.scalar(), 0.1), Tensor.ofDoubles(Shape.scalar(), 1),
        Tensor.ofDoubles(Shape.scalar(), 0.1));
    assertThat(r.numElements()).isEqualTo(9);
    assertThat(r.doubleAt(6)).isEqualTo(0.7000000000000001); // a running sum gives 0.7
    assertThat(r.doubleAt(7)).isEqualTo(0.8); // a running sum gives 0.7999999999999999
    Tensor f = run("Range", Tensor.scalar(0.1f), Tensor.scalar(1f), Tensor.scalar(0.1f));
    assertThat(f.doubleAt(7)).isEqualTo(0.8f);
  }

  @Test
  void castRefusesStringsAndChecksSrcT() {
    assertThatThrownBy(() -> cast(DType.FLOAT, Tensor.ofStrings(Shape.of(1), "1")))
        .hasMessage("Unsupported Cast from string to float32 (node cast): only float, integer and bool types are supported");
    assertThatThrownBy(() -> run(node("Cast").putAttr("DstT", type(DType.INT32)).putAttr("SrcT", type(DType.DOUBLE)),
        Tensor.scalar(1f))).hasMessage("Input 'x' of 'Cast' Op has type float32 that does not match attr SrcT=float64");
    assertThatThrownBy(() -> run("Cast", Tensor.scalar(1f))).hasMessage("Cast node cast has no DstT attr");
  }

  @Test
  void rangeOfIntegersAndFloats() {
    assertClose(run("Range", scalar(0), scalar(10), scalar(3)), vec(0, 3, 6, 9));
    assertClose(run("Range", scalar(5), scalar(1), scalar(-2)), vec(5, 3));
    assertClose(run("Range", scalar(2), scalar(2), scalar(1)), vec());
    assertClose(run("Range", Tensor.scalar(0L), Tensor.scalar(3L), Tensor.scalar(1L)), Tensor.ofLongs(Shape.of(3), 0, 1, 2));
    assertClose(run("Range", Tensor.scalar(0f), Tensor.scalar(1f), Tensor.scalar(0.25f)),
        Tensor.ofFloats(Shape.of(4), 0, 0.25f, 0.5f, 0.75f));
    assertClose(run("Range", Tensor.scalar(1f), Tensor.scalar(2f), Tensor.scalar(0.3f)),
        Tensor.ofFloats(Shape.of(4), 1, 1.3f, 1.6f, 1.9f));
    Tensor d = Tensor.ofDoubles(Shape.scalar(), 3);
    assertClose(run("Range", d, Tensor.ofDoubles(Shape.scalar(), 0), Tensor.ofDoubles(Shape.scalar(), -1.5)),
        Tensor.ofDoubles(Shape.of(2), 3, 1.5));
  }

  @Test
  void rangeErrorsUseTfWording() {
    assertThatThrownBy(() -> run("Range", scalar(0), scalar(5), scalar(0))).hasMessage("Requires delta != 0: 0");
    assertThatThrownBy(() -> run("Range", scalar(5), scalar(1), scalar(1)))
        .hasMessage("Requires start <= limit when delta > 0: 5/1");
    assertThatThrownBy(() -> run("Range", Tensor.scalar(1f), Tensor.scalar(5f), Tensor.scalar(-0.5f)))
        .hasMessage("Requires start >= limit when delta < 0: 1/5");
    assertThatThrownBy(() -> run("Range", vec(0, 1), scalar(5), scalar(1))).hasMessage("start must be a scalar, not shape [2]");
    assertThatThrownBy(() -> run("Range", scalar(0), Tensor.scalar(5L), scalar(1)))
        .hasMessage("Input 'limit' of 'Range' Op has type int64 that does not match type int32 of argument 'start'.");
  }
}
