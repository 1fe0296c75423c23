package io.sparkpoint.npy;

import static io.sparkpoint.npy.NpyFiles.dict;
import static io.sparkpoint.npy.NpyFiles.floatsLe;
import static io.sparkpoint.npy.NpyFiles.npy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Npy#write}: the bytes NumPy's format prescribes, and round trips through {@link Npy#read}. */
class NpyWriteTest {
  private final InMemoryFileIO io = TestFixtures.memory();

  private byte[] write(Tensor tensor) throws IOException {
    long bytes = Npy.write(io.newOutputFile("/mem/out.npy"), tensor);
    byte[] written = io.contents("/mem/out.npy");
    assertThat(written).hasSize((int) bytes);
    return written;
  }

  @Test
  void aFloat32MatrixIsWrittenExactlyAsTheFormatSays() throws IOException {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0});
    expected.writeBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }".getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(" ".repeat(58).getBytes(StandardCharsets.US_ASCII));
    expected.write('\n');
    expected.writeBytes(floatsLe(1, 2, 3, 4, 5, 6));
    assertThat(write(Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6))).isEqualTo(expected.toByteArray());
  }

  @Test
  void shapesAreWrittenAsPythonTuples() throws IOException {
    assertThat(write(Tensor.scalar(1f))).isEqualTo(npy(dict("<f4", "()"), floatsLe(1)));
    assertThat(write(Tensor.ofFloats(Shape.of(1), 1))).isEqualTo(npy(dict("<f4", "(1,)"), floatsLe(1)));
    assertThat(write(Tensor.ofFloats(Shape.of(1, 0, 2)))).isEqualTo(npy(dict("<f4", "(1, 0, 2)"), new byte[0]));
  }

  @Test
  void singleByteTypesHaveNoByteOrder() throws IOException {
    assertThat(write(Tensor.ofBooleans(Shape.of(2), true, false))).isEqualTo(npy(dict("|b1", "(2,)"), new byte[] {1, 0}));
    assertThat(write(Tensor.of(DType.INT8, Shape.of(1), new byte[] {-3}))).isEqualTo(npy(dict("|i1", "(1,)"), new byte[] {-3}));
    assertThat(write(Tensor.of(DType.UINT8, Shape.of(1), new byte[] {-3}))).isEqualTo(npy(dict("|u1", "(1,)"), new byte[] {-3}));
  }

  @Test
  void stringsBecomeFixedWidthBytesPaddedWithNuls() throws IOException {
    byte[] data = "ab\0\0xyzw\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(write(Tensor.ofStrings(Shape.of(3), "ab", "xyzw", ""))).hasSize(128 + 12).isEqualTo(npy(dict("|S4", "(3,)"), data));
    assertThat(write(Tensor.ofStrings(Shape.of(0)))).isEqualTo(npy(dict("|S1", "(0,)"), new byte[0]));
  }

  @Test
  void everyDtypeNumpyKnowsRoundTrips() throws IOException {
    for (Map.Entry<String, Tensor> entry : TestFixtures.everyDtype(7).entrySet()) {
      Tensor tensor = entry.getValue();
      if (!numpyHas(tensor.dtype()) || tensor.dtype() == DType.STRING) {
        continue;
      }
      write(tensor);
      assertThat(Npy.read(io.newInputFile("/mem/out.npy"))).as(entry.getKey()).isEqualTo(tensor);
    }
  }

  @Test
  void stringsWithoutTrailingNulsRoundTrip() throws IOException {
    Random random = new Random(3);
    for (int n = 0; n < 20; n++) {
      byte[][] elements = new byte[4][];
      for (int i = 0; i < elements.length; i++) {
        elements[i] = new byte[random.nextInt(40)];
        random.nextBytes(elements[i]);
        if (elements[i].length > 0 && elements[i][elements[i].length - 1] == 0) {
          elements[i][elements[i].length - 1] = 1;
        }
      }
      Tensor tensor = Tensor.ofStrings(Shape.of(2, 2), java.util.Arrays.asList(elements));
      write(tensor);
      assertThat(Npy.read(io.newInputFile("/mem/out.npy"))).isEqualTo(tensor);
    }
  }

  @Test
  void aTensorNumpyCannotHoldIsRefusedBeforeWriting() {
    Tensor bfloat16 = Tensor.of(DType.BFLOAT16, Shape.of(1), new byte[2]);
    assertThatThrownBy(() -> Npy.write(io.newOutputFile("/mem/bf.npy"), bfloat16)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot write /mem/bf.npy: Unsupported dtype bfloat16 for .npy: NumPy has no such type; cast the tensor first "
            + "(e.g. to float32 or int32)");
    assertThat(io.allFiles()).doesNotContain("/mem/bf.npy");
  }

  @Test
  void aLargeHeaderSwitchesToVersionTwo() throws IOException {
    long[] dims = new long[25000]; // "1, " per dim: a header over 64 KiB; the leading 0 keeps the data empty
    java.util.Arrays.fill(dims, 1);
    dims[0] = 0;
    Tensor empty = Tensor.of(DType.FLOAT, Shape.of(dims), new byte[0]);
    byte[] written = write(empty);
    assertThat(written[6]).isEqualTo((byte) 2);
    assertThat(Npy.read(io.newInputFile("/mem/out.npy"))).isEqualTo(empty);
  }

  private static boolean numpyHas(DType dtype) {
    return switch (dtype) {
      case BFLOAT16, QINT8, QUINT8, QINT16, QUINT16, QINT32, FLOAT8_E5M2, FLOAT8_E4M3FN, INT4, UINT4 -> false;
      default -> true;
    };
  }
}
