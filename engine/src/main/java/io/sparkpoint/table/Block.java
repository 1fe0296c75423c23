package io.sparkpoint.table;

import io.sparkpoint.bytes.UnsignedBytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** One decoded (uncompressed) block, checked enough that iterating it cannot run out of bounds. */
final class Block {
  private final byte[] data;
  /** Offset of the restart array; entries lie before it. */
  private final int restartsOffset;
  private final int restartCount;

  Block(byte[] data) throws CorruptTableException {
    this.data = data;
    if (data.length < 4) {
      throw new CorruptTableException("bad block contents");
    }
    ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    long count = Integer.toUnsignedLong(buffer.getInt(data.length - 4));
    long maxCount = (data.length - 4) / 4;
    if (count > maxCount) {
      throw new CorruptTableException("bad block contents");
    }
    this.restartCount = (int) count;
    this.restartsOffset = data.length - 4 - 4 * restartCount;
    for (int i = 0; i < restartCount; i++) {
      int restart = restartPoint(i);
      if (restart < 0 || restart > restartsOffset) {
        throw new CorruptTableException("bad block contents");
      }
    }
  }

  Iterator iterator() {
    return new Iterator();
  }

  private int restartPoint(int index) {
    int p = restartsOffset + 4 * index;
    return (data[p] & 0xFF) | (data[p + 1] & 0xFF) << 8 | (data[p + 2] & 0xFF) << 16 | (data[p + 3] & 0xFF) << 24;
  }

  /** Walks the entries of the block; positioned before the first entry until seeked. */
  final class Iterator {
    private int nextOffset = restartsOffset; // restartsOffset means exhausted
    private byte[] key = new byte[0];
    private int valueOffset;
    private int valueLength;
    private boolean valid;

    boolean valid() {
      return valid;
    }

    byte[] key() {
      return key;
    }

    byte[] value() {
      return Arrays.copyOfRange(data, valueOffset, valueOffset + valueLength);
    }

    void seekToFirst() throws CorruptTableException {
      if (restartCount == 0) {
        valid = false;
        return;
      }
      seekToRestart(0);
      next();
    }

    /** Positions at the first entry whose key is at least {@code target}. */
    void seek(byte[] target) throws CorruptTableException {
      if (restartCount == 0) {
        valid = false;
        return;
      }
      int left = 0;
      int right = restartCount - 1;
      while (left < right) {
        int mid = (left + right + 1) >>> 1;
        seekToRestart(mid);
        next();
        if (!valid) {
          throw new CorruptTableException("bad entry in block");
        }
        if (UnsignedBytes.compare(key, target) < 0) {
          left = mid;
        } else {
          right = mid - 1;
        }
      }
      seekToRestart(left);
      next();
      while (valid && UnsignedBytes.compare(key, target) < 0) {
        next();
      }
    }

    void next() throws CorruptTableException {
      int p = nextOffset;
      if (p >= restartsOffset) {
        valid = false;
        return;
      }
      int[] cursor = {p};
      long shared = readVarint(cursor);
      long nonShared = readVarint(cursor);
      long length = readVarint(cursor);
      p = cursor[0];
      if (shared > key.length || nonShared > restartsOffset - p || length > restartsOffset - p - nonShared) {
        throw new CorruptTableException("bad entry in block");
      }
      byte[] newKey = new byte[(int) (shared + nonShared)];
      System.arraycopy(key, 0, newKey, 0, (int) shared);
      System.arraycopy(data, p, newKey, (int) shared, (int) nonShared);
      key = newKey;
      valueOffset = p + (int) nonShared;
      valueLength = (int) length;
      nextOffset = valueOffset + valueLength;
      valid = true;
    }

    private void seekToRestart(int index) throws CorruptTableException {
      key = new byte[0];
      nextOffset = restartPoint(index);
      valid = false;
      // An entry at a restart point must not share bytes with a previous key.
      int[] cursor = {nextOffset};
      if (nextOffset < restartsOffset && readVarint(cursor) != 0) {
        throw new CorruptTableException("bad entry in block");
      }
    }

    /** Reads a varint32 that must end before the restart array. */
    private long readVarint(int[] cursor) throws CorruptTableException {
      long result = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        if (cursor[0] >= restartsOffset) {
          throw new CorruptTableException("bad entry in block");
        }
        byte b = data[cursor[0]++];
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          if (result > 0xFFFFFFFFL) {
            throw new CorruptTableException("bad entry in block");
          }
          return result;
        }
      }
      throw new CorruptTableException("bad entry in block");
    }
  }
}
