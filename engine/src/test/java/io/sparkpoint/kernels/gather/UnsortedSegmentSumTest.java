package io.sparkpoint.kernels.gather;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static io.sparkpoint.kernels.KernelRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.HalfFloats;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** UnsortedSegmentSum: rows added into their segment, negative ids dropped, TF's errors. */
class UnsortedSegmentSumTest {
  private static Tensor ids(int... values) {
    return Tensor.ofInts(Shape.of(values.length), values);
  }

  private static Tensor num(int n) {
    return Tensor.ofInts(Shape.scalar(), n);
  }

  @Test
  void addsRowsIntoTheirSegmentsAndDropsNegativeIds() {
    Tensor data = Tensor.ofFloats(Shape.of(4, 2), 1, 2, 3, 4, 5, 6, 7, 8);
    assertClose(run("UnsortedSegmentSum", data, ids(0, 2, 0, -1), num(3)),
        Tensor.ofFloats(Shape.of(3, 2), 6, 8, 0, 0, 3, 4));
    Tensor longs = Tensor.ofLongs(Shape.of(3), 5, 6, 7);
    assertClose(run("UnsortedSegmentSum", longs, Tensor.ofLongs(Shape.of(3), 1, 1, 0), Tensor.scalar(2L)),
        Tensor.ofLongs(Shape.of(2), 7, 11));
  }

  @Test
  void idsOfHigherRankSumWholeSlices() {
    Tensor data = Tensor.ofDoubles(Shape.of(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8);
    Tensor segments = Tensor.ofInts(Shape.of(2, 2), 1, 0, 1, 1);
    assertClose(run("UnsortedSegmentSum", data, segments, num(2)), Tensor.ofDoubles(Shape.of(2, 2), 3, 4, 13, 16));
    assertClose(run("UnsortedSegmentSum", Tensor.ofInts(Shape.scalar(), 9), Tensor.ofInts(Shape.scalar(), 1), num(2)),
        Tensor.ofInts(Shape.of(2), 0, 9));
  }

  @Test
  void sumsInTheDtypesOwnArithmeticAndInputOrder() {
    // float32: 1e8 + 1 is 1e8, so the 1 is lost before -1e8 comes
    assertClose(run("UnsortedSegmentSum", Tensor.ofFloats(Shape.of(3), 1e8f, 1, -1e8f), ids(0, 0, 0), num(1)),
        Tensor.ofFloats(Shape.of(1), 0));
    assertClose(run("UnsortedSegmentSum", Tensor.ofInts(Shape.of(2), Integer.MAX_VALUE, 1), ids(0, 0), num(1)),
        Tensor.ofInts(Shape.of(1), Integer.MIN_VALUE));
    Tensor halves = half(2048, 1, 1);
    assertThat(run("UnsortedSegmentSum", halves, ids(0, 0, 0), num(1))).isEqualTo(half(2048));
  }

  @Test
  void emptyDataIsNeverChecked() {
    Tensor data = Tensor.ofFloats(Shape.of(2, 0));
    assertThat(run("UnsortedSegmentSum", data, ids(0, 9), num(1)).shape()).isEqualTo(Shape.of(1, 0));
    assertThat(run("UnsortedSegmentSum", Tensor.ofFloats(Shape.of(2), 1, 2), ids(-1, -2), num(0)).shape())
        .isEqualTo(Shape.of(0));
    assertThatThrownBy(() -> run("UnsortedSegmentSum", Tensor.ofFloats(Shape.of(2), 1, 2), ids(0, 1), num(0)))
        .hasMessage("segment_ids[0] = 0 is out of range [0, 0)");
  }

  @Test
  void errorsAreTfs() {
    Tensor data = Tensor.ofFloats(Shape.of(3, 2), new float[6]);
    assertThatThrownBy(() -> run("UnsortedSegmentSum", data, ids(0, 1, 3), num(3)))
        .hasMessage("segment_ids[2] = 3 is out of range [0, 3)");
    assertThatThrownBy(() -> run("UnsortedSegmentSum", data, Tensor.ofInts(Shape.of(3, 1), 0, 5, 1), num(3)))
        .hasMessageStartingWith("data.shape = [3,2] does not start with segment_ids.shape = [3,1]");
    assertThatThrownBy(() -> run("UnsortedSegmentSum", data, Tensor.ofInts(Shape.of(3, 2), 0, 0, 0, 7, 0, 0), num(3)))
        .hasMessage("segment_ids[1,1] = 7 is out of range [0, 3)");
    assertThatThrownBy(() -> run("UnsortedSegmentSum", data, ids(0, 1), num(3)))
        .hasMessage("data.shape = [3,2] does not start with segment_ids.shape = [2]");
    assertThatThrownBy(() -> run("UnsortedSegmentSum", data, ids(0, 1, 2), Tensor.ofInts(Shape.of(1), 3)))
        .hasMessage("num_segments should be a scalar, not shape [1]");
    assertThatThrownBy(() -> run("UnsortedSegmentSum", data, ids(0, 1, 2), num(-1)))
        .hasMessage("Input num_segments == -1 must not be negative.");
    Tensor shortIds = Tensor.of(DType.INT16, Shape.of(3), new byte[6]);
    assertThatThrownBy(() -> run("UnsortedSegmentSum", data, shortIds, num(3)))
        .hasMessageStartingWith("Unsupported dtype int16 for op UnsortedSegmentSum");
    assertThatThrownBy(() -> run("UnsortedSegmentSum", Tensor.ofBooleans(Shape.of(1), true), ids(0), num(1)))
        .hasMessageStartingWith("Unsupported dtype bool for op UnsortedSegmentSum");
  }

  private static Tensor half(float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putShort(HalfFloats.floatToHalf(v));
    }
    return Tensor.of(DType.HALF, Shape.of(values.length), b.array());
  }
}
