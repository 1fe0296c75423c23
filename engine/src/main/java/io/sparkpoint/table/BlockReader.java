package io.sparkpoint.table;

import io.sparkpoint.bytes.Crc32c;
import io.sparkpoint.fs.RandomAccessInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.xerial.snappy.Snappy;

/** Reads one block with its trailer: bounds, checksum, then decompression. */
final class BlockReader {
  /** One type byte, then the masked CRC32C of the block bytes and the type byte. */
  static final int TRAILER_LENGTH = 5;

  static final byte NO_COMPRESSION = 0;
  static final byte SNAPPY_COMPRESSION = 1;

  /** Snappy cannot expand input by more than this factor; a larger claim is corruption. */
  private static final int MAX_SNAPPY_EXPANSION = 32;

  private BlockReader() {}

  static byte[] read(RandomAccessInput input, BlockHandle handle) throws IOException {
    long fileLength = input.length();
    if (handle.offset() > fileLength
        || handle.size() > fileLength - handle.offset() - TRAILER_LENGTH
        || handle.size() > Integer.MAX_VALUE - TRAILER_LENGTH) {
      throw new CorruptTableException(
          "truncated block read: block at offset " + handle.offset() + " of " + handle.size()
              + " bytes runs past the end of the file (" + fileLength + " bytes)");
    }
    int size = (int) handle.size();
    byte[] raw = input.readFully(handle.offset(), size + TRAILER_LENGTH);
    CRC32C crc = new CRC32C();
    crc.update(raw, 0, size + 1);
    int expected = Crc32c.unmask(ByteBuffer.wrap(raw, size + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
    int actual = (int) crc.getValue();
    if (expected != actual) {
      throw new CorruptTableException(
          String.format(
              "block checksum mismatch at offset %d: stored %08x, computed %08x",
              handle.offset(), expected, actual));
    }
    byte type = raw[size];
    if (type == NO_COMPRESSION) {
      byte[] contents = new byte[size];
      System.arraycopy(raw, 0, contents, 0, size);
      return contents;
    }
    if (type == SNAPPY_COMPRESSION) {
      return uncompressSnappy(raw, size, handle);
    }
    throw new CorruptTableException("bad block type " + type + " at offset " + handle.offset());
  }

  private static byte[] uncompressSnappy(byte[] raw, int size, BlockHandle handle) throws CorruptTableException {
    try {
      int length = Snappy.uncompressedLength(raw, 0, size);
      if (length < 0 || (long) length > (long) size * MAX_SNAPPY_EXPANSION + 64) {
        throw new CorruptTableException("corrupted compressed block contents at offset " + handle.offset());
      }
      byte[] out = new byte[length];
      int written = Snappy.uncompress(raw, 0, size, out, 0);
      if (written != length) {
        throw new CorruptTableException("corrupted compressed block contents at offset " + handle.offset());
      }
      return out;
    } catch (IOException e) {
      if (e instanceof CorruptTableException corrupt) {
        throw corrupt;
      }
      throw new CorruptTableException("corrupted compressed block contents at offset " + handle.offset(), e);
    }
  }
}
