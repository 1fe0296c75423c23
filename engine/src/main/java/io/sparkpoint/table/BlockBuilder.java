package io.sparkpoint.table;

import io.sparkpoint.bytes.UnsignedBytes;
import io.sparkpoint.bytes.Varints;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Builds one block: prefix-compressed entries, then the restart array and its count. Keys must be
 * added in strictly increasing unsigned order.
 */
final class BlockBuilder {
  private final int restartInterval;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private int[] restarts = new int[16];
  private int restartCount;
  /** Entries since the last restart point. */
  private int counter;
  private byte[] lastKey = new byte[0];
  private boolean empty = true;

  BlockBuilder(int restartInterval) {
    this.restartInterval = restartInterval;
    reset();
  }

  void reset() {
    buffer.reset();
    restartCount = 0;
    addRestart(0);
    counter = 0;
    lastKey = new byte[0];
    empty = true;
  }

  boolean isEmpty() {
    return empty;
  }

  /** The size {@link #finish()} would return now. */
  int estimatedSize() {
    return buffer.size() + restartCount * 4 + 4;
  }

  void add(byte[] key, byte[] value) {
    if (!empty && UnsignedBytes.compare(key, lastKey) <= 0) {
      throw new IllegalArgumentException(
          "Invalid key order: " + UnsignedBytes.hex(key) + " is not after " + UnsignedBytes.hex(lastKey));
    }
    int shared = 0;
    if (counter < restartInterval) {
      shared = UnsignedBytes.commonPrefix(lastKey, lastKey.length, key);
    } else {
      addRestart(buffer.size());
      counter = 0;
    }
    int nonShared = key.length - shared;
    Varints.writeVarint64(buffer, shared);
    Varints.writeVarint64(buffer, nonShared);
    Varints.writeVarint64(buffer, value.length);
    buffer.write(key, shared, nonShared);
    buffer.write(value, 0, value.length);
    lastKey = key;
    counter++;
    empty = false;
  }

  byte[] finish() {
    ByteBuffer tail = ByteBuffer.allocate(restartCount * 4 + 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < restartCount; i++) {
      tail.putInt(restarts[i]);
    }
    tail.putInt(restartCount);
    buffer.write(tail.array(), 0, tail.capacity());
    return buffer.toByteArray();
  }

  private void addRestart(int offset) {
    if (restartCount == restarts.length) {
      restarts = Arrays.copyOf(restarts, restartCount * 2);
    }
    restarts[restartCount++] = offset;
  }
}
