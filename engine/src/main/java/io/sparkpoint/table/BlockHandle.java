package io.sparkpoint.table;

import io.sparkpoint.bytes.Varints;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Where a block lies in the file: its offset and its size without the 5-byte trailer. */
public record BlockHandle(long offset, long size) {
  /** Two varint64s. */
  static final int MAX_ENCODED_LENGTH = 2 * Varints.MAX_VARINT64_BYTES;

  void encodeTo(ByteArrayOutputStream out) {
    Varints.writeVarint64(out, offset);
    Varints.writeVarint64(out, size);
  }

  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_ENCODED_LENGTH);
    encodeTo(out);
    return out.toByteArray();
  }

  /** Decodes a handle, advancing the buffer; trailing bytes are left alone. */
  static BlockHandle decode(ByteBuffer buffer) throws CorruptTableException {
    try {
      long offset = Varints.readVarint64(buffer);
      long size = Varints.readVarint64(buffer);
      if (offset < 0 || size < 0) {
        throw new CorruptTableException("bad block handle");
      }
      return new BlockHandle(offset, size);
    } catch (IllegalArgumentException e) {
      throw new CorruptTableException("bad block handle", e);
    }
  }
}
