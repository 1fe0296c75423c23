package io.sparkpoint.table;

import io.sparkpoint.bytes.Crc32c;
import io.sparkpoint.bytes.UnsignedBytes;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Writes a table of sorted byte-string keys, laid out exactly as TensorFlow lays out a checkpoint
 * index: uncompressed data blocks, an empty metaindex block, an index block with a restart point
 * per entry, and the 48-byte footer. Keys must arrive in strictly increasing unsigned order.
 *
 * <p>Not thread-safe. The caller owns the stream; {@link #finish()} writes the footer but does not
 * close it.
 */
public final class TableWriter {
  private final OutputStream out;
  private final TableOptions options;
  private final BlockBuilder dataBlock;
  private final BlockBuilder indexBlock = new BlockBuilder(1);
  private byte[] lastKey = new byte[0];
  private long entryCount;
  private long offset;
  /** Handle of the last flushed data block, whose index entry waits for the next key. */
  private BlockHandle pendingHandle;
  private boolean finished;

  public TableWriter(OutputStream out, TableOptions options) {
    this.out = out;
    this.options = options;
    this.dataBlock = new BlockBuilder(options.restartInterval());
  }

  public void add(byte[] key, byte[] value) throws IOException {
    checkOpen();
    if (entryCount > 0 && UnsignedBytes.compare(key, lastKey) <= 0) {
      throw new IllegalArgumentException(
          "Invalid key order: " + UnsignedBytes.hex(key) + " is not after " + UnsignedBytes.hex(lastKey));
    }
    if (entryCount > 0 && (long) key.length + value.length >= 2L * options.blockSizeBytes()) {
      flush(); // a huge entry starts a block of its own
    }
    if (pendingHandle != null) {
      indexBlock.add(shortestSeparator(lastKey, key), pendingHandle.encode());
      pendingHandle = null;
    }
    dataBlock.add(key, value);
    lastKey = key;
    entryCount++;
    if (dataBlock.estimatedSize() >= options.blockSizeBytes()) {
      flush();
    }
  }

  public long entryCount() {
    return entryCount;
  }

  /** Writes the last blocks and the footer; returns the table's length in bytes. */
  public long finish() throws IOException {
    checkOpen();
    flush();
    finished = true;
    BlockHandle metaindex = writeBlock(new BlockBuilder(options.restartInterval()).finish());
    if (pendingHandle != null) {
      indexBlock.add(shortSuccessor(lastKey), pendingHandle.encode());
      pendingHandle = null;
    }
    BlockHandle index = writeBlock(indexBlock.finish());
    byte[] footer = new Footer(metaindex, index).encode();
    out.write(footer);
    offset += footer.length;
    return offset;
  }

  private void flush() throws IOException {
    if (dataBlock.isEmpty()) {
      return;
    }
    pendingHandle = writeBlock(dataBlock.finish());
    dataBlock.reset();
  }

  private BlockHandle writeBlock(byte[] contents) throws IOException {
    BlockHandle handle = new BlockHandle(offset, contents.length);
    CRC32C crc = new CRC32C();
    crc.update(contents);
    crc.update(BlockReader.NO_COMPRESSION);
    int masked = Crc32c.mask((int) crc.getValue());
    byte[] trailer = {
      BlockReader.NO_COMPRESSION, (byte) masked, (byte) (masked >>> 8), (byte) (masked >>> 16), (byte) (masked >>> 24)
    };
    out.write(contents);
    out.write(trailer);
    offset += contents.length + trailer.length;
    return handle;
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("Cannot add to a finished table");
    }
  }

  /** A short key k with start <= k < limit, as LevelDB's bytewise comparator computes it. */
  static byte[] shortestSeparator(byte[] start, byte[] limit) {
    int minLength = Math.min(start.length, limit.length);
    int diff = 0;
    while (diff < minLength && start[diff] == limit[diff]) {
      diff++;
    }
    if (diff >= minLength) {
      return start; // one is a prefix of the other
    }
    int startByte = start[diff] & 0xFF;
    if (startByte < 0xFF && startByte + 1 < (limit[diff] & 0xFF)) {
      byte[] separator = Arrays.copyOf(start, diff + 1);
      separator[diff]++;
      return separator;
    }
    return start;
  }

  /** A short key at least {@code key}: the first byte that is not 0xFF is incremented. */
  static byte[] shortSuccessor(byte[] key) {
    for (int i = 0; i < key.length; i++) {
      if ((key[i] & 0xFF) != 0xFF) {
        byte[] successor = Arrays.copyOf(key, i + 1);
        successor[i]++;
        return successor;
      }
    }
    return key;
  }
}
