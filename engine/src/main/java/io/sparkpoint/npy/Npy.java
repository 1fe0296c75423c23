package io.sparkpoint.npy;

import io.sparkpoint.fs.InputFile;
import io.sparkpoint.fs.OutputFile;
import io.sparkpoint.fs.PositionOutputStream;
import io.sparkpoint.fs.RandomAccessInput;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * NumPy's {@code .npy} files as tensors: what {@code np.save} writes and {@code np.load} reads.
 *
 * <p>A file is the magic {@code \x93NUMPY}, a version byte pair, the header length (2 bytes
 * little-endian in version 1.0, 4 bytes in 2.0 and 3.0), the header (a Python dict literal:
 * {@code descr}, {@code fortran_order}, {@code shape}; latin-1 before 3.0, UTF-8 from it, padded
 * with spaces and a final newline so the data starts on a multiple of 64 bytes) and the elements.
 *
 * <p>Reading accepts versions 1.0, 2.0 and 3.0, either byte order, C or Fortran order (transposed
 * into row-major), 0-d arrays and the dtypes {@code f2 f4 f8}, {@code i1..i8}, {@code u1..u8},
 * {@code b1}, {@code c8 c16}, and fixed-width unicode ({@code U}) and bytes ({@code S}) strings,
 * which become string tensors (UTF-8 for {@code U}; trailing NULs dropped, as NumPy does). Object
 * arrays (pickled Python objects) and structured dtypes are refused.
 *
 * <p>Writing produces version 1.0 (2.0 when the header needs more than 64 KiB), little-endian, C
 * order; string tensors become {@code |S<longest>} byte strings, so NumPy reads them as
 * {@code bytes} like TensorFlow returns them (an element's trailing NULs do not survive, as with
 * {@code np.save} itself). NumPy has no bfloat16, quantized, float8 or int4 types: those are refused.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** The data starts at a multiple of this, as NumPy aligns it. */
  private static final int ALIGNMENT = 64;
  /** Tensors in memory are limited to 2 GiB (a Java array). */
  private static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;
  private static final int WRITE_CHUNK_BYTES = 1 << 16;

  private Npy() {}

  /**
   * Reads a whole {@code .npy} file.
   *
   * @throws NpyFormatException naming the file for a bad magic, version or header, a file shorter
   *     than its header says, or an array Sparkpoint cannot hold
   * @throws java.io.FileNotFoundException when the file does not exist
   */
  public static Tensor read(InputFile file) throws IOException {
    String location = file.location();
    try (RandomAccessInput input = file.open()) {
      long length = input.length();
      if (length < MAGIC.length + 4) {
        throw invalid(location, "not a NumPy .npy file: only " + length + " bytes");
      }
      byte[] preamble = input.readFully(0, MAGIC.length + 2);
      for (int i = 0; i < MAGIC.length; i++) {
        if (preamble[i] != MAGIC[i]) {
          throw invalid(location, "not a NumPy .npy file: it does not start with \\x93NUMPY");
        }
      }
      int major = preamble[6] & 0xFF;
      int minor = preamble[7] & 0xFF;
      if (minor != 0 || major < 1 || major > 3) {
        throw invalid(location, "unsupported .npy format version " + major + "." + minor + " (Sparkpoint reads 1.0, 2.0 and 3.0)");
      }
      int lengthBytes = major == 1 ? 2 : 4;
      if (length < preamble.length + lengthBytes) {
        throw invalid(location, "truncated: the file ends inside the header length");
      }
      ByteBuffer lengthField = ByteBuffer.wrap(input.readFully(preamble.length, lengthBytes)).order(ByteOrder.LITTLE_ENDIAN);
      long headerBytes = major == 1 ? lengthField.getShort() & 0xFFFFL : lengthField.getInt() & 0xFFFFFFFFL;
      long headerStart = preamble.length + lengthBytes;
      if (headerBytes > length - headerStart) {
        throw invalid(location, "truncated: the header should be " + headerBytes + " bytes, but only " + (length - headerStart)
            + " follow the header length");
      }
      Charset charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
      String text = new String(input.readFully(headerStart, (int) headerBytes), charset);
      NpyHeader header;
      NpyDescr descr;
      Shape shape;
      try {
        header = NpyHeader.parse(text);
        descr = NpyDescr.parse(header.descr());
        shape = Shape.of(header.shape());
      } catch (IllegalArgumentException e) {
        throw invalid(location, e.getMessage(), e);
      }
      long dataStart = headerStart + headerBytes;
      long dataBytes;
      try {
        dataBytes = Math.multiplyExact(shape.numElements(), (long) descr.itemBytes());
      } catch (ArithmeticException e) {
        throw invalid(location, "a " + header.descr() + " array of shape " + shape + " is too large", e);
      }
      if (dataBytes > length - dataStart) {
        throw invalid(location, "truncated: a " + header.descr() + " array of shape " + shape + " needs " + dataBytes
            + " bytes of data, but only " + (length - dataStart) + " follow the header");
      }
      if (dataBytes > MAX_DATA_BYTES) {
        throw invalid(location, "the array holds " + dataBytes + " bytes; a tensor in memory is limited to 2 GiB");
      }
      byte[] data = input.readFully(dataStart, (int) dataBytes);
      try {
        return NpyElements.toTensor(descr, shape, header.fortranOrder(), data);
      } catch (IllegalArgumentException e) {
        throw invalid(location, e.getMessage(), e);
      }
    }
  }

  /**
   * Writes a tensor as a {@code .npy} file, replacing an existing one.
   *
   * @return the bytes written
   * @throws IllegalArgumentException for a dtype NumPy has no type for, before anything is written
   */
  public static long write(OutputFile file, Tensor tensor) throws IOException {
    int stringWidth = tensor.dtype() == DType.STRING ? NpyElements.maxStringBytes(tensor) : 0;
    NpyDescr descr;
    try {
      descr = NpyDescr.forWriting(tensor.dtype(), stringWidth);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot write " + file.location() + ": " + e.getMessage(), e);
    }
    byte[] preamble = preamble(new NpyHeader(descr.text(), false, tensor.shape().dims()));
    try (PositionOutputStream out = file.createOrOverwrite()) {
      out.write(preamble);
      if (descr.isString()) {
        out.write(NpyElements.paddedStrings(tensor, descr.itemBytes()));
      } else {
        ByteBuffer data = tensor.data();
        byte[] chunk = new byte[(int) Math.min(WRITE_CHUNK_BYTES, Math.max(1, data.remaining()))];
        while (data.hasRemaining()) {
          int count = Math.min(chunk.length, data.remaining());
          data.get(chunk, 0, count);
          out.write(chunk, 0, count);
        }
      }
      out.flush();
      return out.position();
    }
  }

  /** Magic, version, header length and the padded header: everything before the data. */
  static byte[] preamble(NpyHeader header) {
    byte[] dict = header.render().getBytes(StandardCharsets.ISO_8859_1);
    boolean small = dict.length + ALIGNMENT <= 0xFFFF; // with the largest padding and the newline, the length fits 2 bytes
    int lengthBytes = small ? 2 : 4;
    int unpadded = MAGIC.length + 2 + lengthBytes + dict.length + 1; // + the newline
    int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
    int headerBytes = dict.length + padding + 1;
    ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 2 + lengthBytes + headerBytes).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) (small ? 1 : 2)).put((byte) 0);
    if (small) {
      out.putShort((short) headerBytes);
    } else {
      out.putInt(headerBytes);
    }
    out.put(dict);
    for (int i = 0; i < padding; i++) {
      out.put((byte) ' ');
    }
    out.put((byte) '\n');
    return out.array();
  }

  private static NpyFormatException invalid(String location, String what) {
    return new NpyFormatException("Cannot read " + location + ": " + what);
  }

  private static NpyFormatException invalid(String location, String what, Throwable cause) {
    return new NpyFormatException("Cannot read " + location + ": " + what, cause);
  }
}
