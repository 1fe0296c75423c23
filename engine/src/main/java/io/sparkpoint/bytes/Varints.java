package io.sparkpoint.bytes;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Unsigned LEB128 varints as used by the table format and the string tensor layout. */
public final class Varints {
  /** The longest encoding of a 64-bit value. */
  public static final int MAX_VARINT64_BYTES = 10;

  private Varints() {}

  public static void writeVarint64(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  public static int writeVarint64(byte[] dest, int offset, long value) {
    int pos = offset;
    while ((value & ~0x7FL) != 0) {
      dest[pos++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    dest[pos++] = (byte) value;
    return pos - offset;
  }

  public static int sizeOf(long value) {
    int size = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  /**
   * Reads a varint of at most 32 bits from {@code buffer}, advancing its position.
   *
   * @throws IllegalArgumentException when the buffer ends inside the varint or it is too long
   */
  public static int readVarint32(ByteBuffer buffer) {
    long value = readVarint64(buffer, 5);
    if ((value >>> 32) != 0) {
      throw new IllegalArgumentException("Invalid varint32: value " + value + " exceeds 32 bits");
    }
    return (int) value;
  }

  public static long readVarint64(ByteBuffer buffer) {
    return readVarint64(buffer, MAX_VARINT64_BYTES);
  }

  private static long readVarint64(ByteBuffer buffer, int maxBytes) {
    long result = 0;
    for (int i = 0; i < maxBytes; i++) {
      if (!buffer.hasRemaining()) {
        throw new IllegalArgumentException("Invalid varint: input ends after " + i + " bytes");
      }
      byte b = buffer.get();
      result |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("Invalid varint: longer than " + maxBytes + " bytes");
  }
}
