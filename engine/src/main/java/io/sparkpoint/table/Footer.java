package io.sparkpoint.table;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The fixed-size tail of a table: the metaindex and index handles, padding, and the magic number. */
record Footer(BlockHandle metaindex, BlockHandle index) {
  /** Two handles padded to 40 bytes, then the 8-byte magic. */
  static final int LENGTH = 2 * BlockHandle.MAX_ENCODED_LENGTH + 8;

  /** LevelDB's table magic, which TensorFlow kept; stored little-endian. */
  static final long MAGIC = 0xdb4775248b80fb57L;

  byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(LENGTH);
    metaindex.encodeTo(out);
    index.encodeTo(out);
    byte[] bytes = new byte[LENGTH];
    byte[] handles = out.toByteArray();
    System.arraycopy(handles, 0, bytes, 0, handles.length);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(LENGTH - 8, MAGIC);
    return bytes;
  }

  static Footer decode(byte[] bytes) throws CorruptTableException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (buffer.getLong(LENGTH - 8) != MAGIC) {
      throw new CorruptTableException("not an sstable (bad magic number)");
    }
    buffer.limit(LENGTH - 8);
    BlockHandle metaindex = BlockHandle.decode(buffer);
    BlockHandle index = BlockHandle.decode(buffer);
    return new Footer(metaindex, index);
  }
}
