package io.sparkpoint.npy;

import static io.sparkpoint.npy.NpyFiles.be;
import static io.sparkpoint.npy.NpyFiles.dict;
import static io.sparkpoint.npy.NpyFiles.doublesBe;
import static io.sparkpoint.npy.NpyFiles.floatsLe;
import static io.sparkpoint.npy.NpyFiles.le;
import static io.sparkpoint.npy.NpyFiles.npy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Npy#read} on hand-made files: every version, byte order, layout and dtype NumPy writes, and broken files. */
class NpyReadTest {
  private static final String FILE = "/mem/x.npy";
  private final InMemoryFileIO io = new InMemoryFileIO();

  private Tensor read(byte[] bytes) throws IOException {
    io.put(FILE, bytes);
    return Npy.read(io.newInputFile(FILE));
  }

  private void assertRefused(byte[] bytes, String message) {
    io.put(FILE, bytes);
    assertThatThrownBy(() -> Npy.read(io.newInputFile(FILE))).isInstanceOf(NpyFormatException.class).hasMessage(message);
  }

  @Test
  void aFloat32MatrixIsReadRowMajor() throws IOException {
    Tensor tensor = read(npy(dict("<f4", "(2, 3)"), floatsLe(1, 2, 3, 4, 5, 6.5f)));
    assertThat(tensor).isEqualTo(Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6.5f));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void versionsOneTwoAndThreeAreRead(int major) throws IOException {
    Tensor tensor = read(npy(major, dict("<i8", "(2,)"), le(8, -1, 1L << 40)));
    assertThat(tensor).isEqualTo(Tensor.ofLongs(Shape.of(2), -1, 1L << 40));
  }

  @Test
  void aHeaderIsPaddedToSixtyFourBytesAsTheFormatSays() {
    byte[] bytes = npy(dict("<f4", "(2, 3)"), new byte[0]);
    assertThat(bytes).hasSize(128);
    assertThat(bytes[8] & 0xFF).isEqualTo(118); // header length, little-endian
    assertThat(bytes[127]).isEqualTo((byte) '\n');
  }

  @Test
  void bigEndianElementsAreSwapped() throws IOException {
    assertThat(read(npy(dict(">i4", "(3,)"), be(4, 1, -2, 0x01020304))))
        .isEqualTo(Tensor.ofInts(Shape.of(3), 1, -2, 0x01020304));
    assertThat(read(npy(dict(">f8", "(2,)"), doublesBe(0.25, -1e300))))
        .isEqualTo(Tensor.ofDoubles(Shape.of(2), 0.25, -1e300));
    assertThat(read(npy(dict(">u2", "(1,)"), be(2, 0xFFFE))).longAt(0)).isEqualTo(0xFFFE);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "|i1, INT8, 1, -128", "<i2, INT16, 2, -30000", "<i4, INT32, 4, -2000000000", "<i8, INT64, 8, -9000000000000000000",
      "|u1, UINT8, 1, 255", "<u2, UINT16, 2, 65535", "<u4, UINT32, 4, 4294967295"})
  void integerTypesMapToTheirTensorFlowDtypes(String descr, DType dtype, int width, long value) throws IOException {
    Tensor tensor = read(npy(dict(descr, "(1,)"), le(width, value)));
    assertThat(tensor.dtype()).isEqualTo(dtype);
    assertThat(tensor.longAt(0)).isEqualTo(value);
  }

  @Test
  void uint64KeepsItsTopBit() throws IOException {
    Tensor tensor = read(npy(dict("<u8", "(1,)"), le(8, -1)));
    assertThat(tensor.dtype()).isEqualTo(DType.UINT64);
    assertThat(Long.toUnsignedString(tensor.longAt(0))).isEqualTo("18446744073709551615");
  }

  @Test
  void boolsAndHalfFloatsAreRead() throws IOException {
    assertThat(read(npy(dict("|b1", "(3,)"), new byte[] {1, 0, 1}))).isEqualTo(Tensor.ofBooleans(Shape.of(3), true, false, true));
    Tensor half = read(npy(dict("<f2", "(3,)"), le(2, 0x3c00, 0xc100, 0x7c00)));
    assertThat(half.dtype()).isEqualTo(DType.HALF);
    assertThat(new double[] {half.doubleAt(0), half.doubleAt(1), half.doubleAt(2)}).containsExactly(1.0, -2.5, Double.POSITIVE_INFINITY);
  }

  @Test
  void complexComponentsAreSwappedOneByOne() throws IOException {
    byte[] bigEndian = java.nio.ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-2f).array();
    Tensor tensor = read(npy(dict(">c8", "()"), bigEndian));
    assertThat(tensor.dtype()).isEqualTo(DType.COMPLEX64);
    assertThat(tensor.data().getFloat(0)).isEqualTo(1.5f);
    assertThat(tensor.data().getFloat(4)).isEqualTo(-2f);
  }

  @Test
  void aZeroDimensionalArrayIsAScalar() throws IOException {
    assertThat(read(npy(dict("<f4", "()"), floatsLe(42)))).isEqualTo(Tensor.scalar(42f));
  }

  @Test
  void emptyArraysHaveNoData() throws IOException {
    assertThat(read(npy(dict("<f4", "(0,)"), new byte[0]))).isEqualTo(Tensor.ofFloats(Shape.of(0)));
    assertThat(read(npy(dict("<i4", "(2, 0)"), new byte[0])).shape()).isEqualTo(Shape.of(2, 0));
  }

  @Test
  void fortranOrderIsTransposedIntoRowMajor() throws IOException {
    // [[1, 2, 3], [4, 5, 6]] stored column by column
    String dict = "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }";
    assertThat(read(npy(dict, le(4, 1, 4, 2, 5, 3, 6)))).isEqualTo(Tensor.ofInts(Shape.of(2, 3), 1, 2, 3, 4, 5, 6));
  }

  @Test
  void fortranOrderInThreeDimensions() throws IOException {
    // element [i][j][k] = 100i + 10j + k for shape (2, 3, 2); Fortran order runs i fastest, then j, then k
    long[] columnMajor = new long[12];
    int[] rowMajor = new int[12];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 2; k++) {
          columnMajor[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
          rowMajor[6 * i + 2 * j + k] = 100 * i + 10 * j + k;
        }
      }
    }
    String dict = "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 2), }";
    assertThat(read(npy(dict, le(4, columnMajor)))).isEqualTo(Tensor.ofInts(Shape.of(2, 3, 2), rowMajor));
  }

  @Test
  void unicodeStringsBecomeUtf8WithoutTrailingNuls() throws IOException {
    long[] codePoints = {'h', 'é', 'l', 0x1F680, 'a', 0, 0, 0};
    Tensor tensor = read(npy(dict("<U4", "(2,)"), le(4, codePoints)));
    assertThat(tensor).isEqualTo(Tensor.ofStrings(Shape.of(2), "hél\uD83D\uDE80", "a"));
    assertThat(read(npy(dict(">U2", "()"), be(4, 'o', 'k')))).isEqualTo(Tensor.ofStrings(Shape.scalar(), "ok"));
  }

  @Test
  void byteStringsKeepTheirBytesButNotTrailingNuls() throws IOException {
    byte[] data = {'a', 0, 'b', 0, (byte) 0xFF, 'x', 0, 0};
    Tensor tensor = read(npy(dict("|S4", "(2,)"), data));
    assertThat(tensor.string(0)).containsExactly('a', 0, 'b');
    assertThat(tensor.string(1)).containsExactly(0xFF, 'x');
  }

  @Test
  void python2HeadersWithLongIntegersAndDoubleQuotesAreRead() throws IOException {
    String dict = "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (1L, 2L)}";
    assertThat(read(npy(dict, floatsLe(1, 2))).shape()).isEqualTo(Shape.of(1, 2));
  }

  @Test
  void bytesAfterTheDataAreIgnoredAsNumpyDoes() throws IOException {
    byte[] data = Arrays.copyOf(floatsLe(7), 6);
    assertThat(read(npy(dict("<f4", "()"), data))).isEqualTo(Tensor.scalar(7f));
  }

  @Test
  void objectArraysAreRefusedWithAWayOut() {
    assertRefused(npy(dict("|O", "(2,)"), new byte[16]), "Cannot read /mem/x.npy: Unsupported NumPy object array (descr '|O'): "
        + "its elements are pickled Python objects, which Sparkpoint does not read; save a fixed-width array instead, e.g. "
        + "arr.astype(np.float32), or arr.astype('U') / arr.astype('S') for text");
  }

  @Test
  void structuredAndUnknownDtypesAreRefused() {
    assertRefused(npy("{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }", new byte[8]),
        "Cannot read /mem/x.npy: Unsupported structured dtype (its descr is a list of fields): Sparkpoint reads plain arrays only");
    assertRefused(npy(dict("<M8[ns]", "(1,)"), new byte[8]),
        "Cannot read /mem/x.npy: Unsupported NumPy dtype '<M8[ns]': expected a kind and an item size, like <f4");
    assertRefused(npy(dict("<f16", "(1,)"), new byte[16]),
        "Cannot read /mem/x.npy: Unsupported NumPy dtype '<f16': Sparkpoint reads f2 f4 f8, i1-i8, u1-u8, b1, c8 c16, U<n> and S<n>");
  }

  @Test
  void aFileWithoutTheMagicIsNotNpy() {
    assertRefused("PK\u0003\u0004 this is a zip".getBytes(StandardCharsets.ISO_8859_1),
        "Cannot read /mem/x.npy: not a NumPy .npy file: it does not start with \\x93NUMPY");
    assertRefused(new byte[] {(byte) 0x93, 'N'}, "Cannot read /mem/x.npy: not a NumPy .npy file: only 2 bytes");
  }

  @Test
  void anUnknownVersionIsRefused() {
    byte[] bytes = npy(dict("<f4", "()"), floatsLe(1));
    bytes[6] = 4;
    assertRefused(bytes, "Cannot read /mem/x.npy: unsupported .npy format version 4.0 (Sparkpoint reads 1.0, 2.0 and 3.0)");
  }

  @Test
  void aTruncatedHeaderNamesBothLengths() {
    byte[] bytes = Arrays.copyOf(npy(dict("<f4", "()"), floatsLe(1)), 40);
    assertRefused(bytes, "Cannot read /mem/x.npy: truncated: the header should be 118 bytes, but only 30 follow the header length");
  }

  @Test
  void truncatedDataSaysHowMuchWasExpected() {
    byte[] bytes = npy(dict("<f4", "(2, 3)"), floatsLe(1, 2, 3, 4, 5, 6));
    assertRefused(Arrays.copyOf(bytes, bytes.length - 1),
        "Cannot read /mem/x.npy: truncated: a <f4 array of shape [2,3] needs 24 bytes of data, but only 23 follow the header");
  }

  @Test
  void badHeadersSayWhatIsWrongAndWhere() {
    assertRefused(npy("{'descr': '<f4', 'shape': (1,), }", floatsLe(1)),
        "Cannot read /mem/x.npy: Invalid header: expected exactly the keys 'descr', 'fortran_order' and 'shape', got [descr, shape]");
    assertRefused(npy("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,), }", floatsLe(1)),
        "Cannot read /mem/x.npy: Invalid header: unexpected name 'Maybe' at character 34 of "
            + "\"{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,), }\"");
    assertRefused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", floatsLe(1)),
        "Cannot read /mem/x.npy: Invalid header: unexpected '-' at character 51 of "
            + "\"{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }\"");
    assertRefused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': 3, }", floatsLe(1)),
        "Cannot read /mem/x.npy: Invalid header: 'shape' must be a tuple of integers, got 3");
  }

  @Test
  void anInvalidCodePointNamesTheFile() {
    assertRefused(npy(dict("<U1", "()"), le(4, 0xD800)), "Cannot read /mem/x.npy: Invalid unicode element: code point 0xd800");
  }

  @Test
  void aMissingFileIsFileNotFound() {
    assertThatThrownBy(() -> Npy.read(io.newInputFile("/mem/none.npy"))).isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("/mem/none.npy");
  }
}
