package io.sparkpoint.bundle;

import io.sparkpoint.bytes.Crc32c;
import io.sparkpoint.fs.RandomAccessInput;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.BundleHeaderProto;
import io.sparkpoint.table.TableOptions;
import io.sparkpoint.table.TableReader;
import io.sparkpoint.table.TableWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** Builds index files from protos and takes them apart again: entries, block locations, trailers. */
final class IndexBytes {
  static final int FOOTER_LENGTH = 48;

  private IndexBytes() {}

  /** Where one block lies, without its 5-byte trailer. */
  record BlockLocation(String kind, int offset, int size) {}

  static byte[] index(BundleHeaderProto header, SortedMap<byte[], BundleEntryProto> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      IndexWriter.write(out, header, entries);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A table of raw (key, value) pairs, which must be in key order. */
  static byte[] table(List<Map.Entry<byte[], byte[]>> entries, TableOptions options) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TableWriter writer = new TableWriter(out, options);
    for (Map.Entry<byte[], byte[]> entry : entries) {
      writer.add(entry.getKey(), entry.getValue());
    }
    writer.finish();
    return out.toByteArray();
  }

  /** Every (key, value) of a valid table, header included. */
  static List<Map.Entry<byte[], byte[]>> entries(byte[] table) throws IOException {
    List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
    TableReader.open(input(table)).forEachEntry((k, v) -> entries.add(new AbstractMap.SimpleEntry<>(k, v)));
    return entries;
  }

  /**
   * The blocks a table's footer and index block point at: data blocks, the metaindex and the index
   * block. Best effort on damaged files: whatever cannot be decoded is left out.
   */
  static List<BlockLocation> blocks(byte[] table) {
    List<BlockLocation> blocks = new ArrayList<>();
    if (table.length < FOOTER_LENGTH) {
      return blocks;
    }
    ByteBuffer footer = ByteBuffer.wrap(table, table.length - FOOTER_LENGTH, FOOTER_LENGTH - 8);
    long[] meta = handle(footer);
    long[] index = handle(footer);
    if (meta != null && fits(table, meta)) {
      blocks.add(new BlockLocation("metaindex", (int) meta[0], (int) meta[1]));
    }
    if (index == null || !fits(table, index)) {
      return blocks;
    }
    blocks.add(new BlockLocation("index", (int) index[0], (int) index[1]));
    // Walk the index block's entries (restart interval 1, so no shared bytes needed beyond decoding).
    int start = (int) index[0];
    int end = start + (int) index[1];
    if (end - start < 4) {
      return blocks;
    }
    long restarts = ByteBuffer.wrap(table, end - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    long entriesEnd = end - 4 - 4 * restarts;
    if (restarts > (end - start - 4) / 4) {
      return blocks;
    }
    ByteBuffer buffer = ByteBuffer.wrap(table, start, (int) (entriesEnd - start));
    while (buffer.hasRemaining()) {
      long[] header = {varint(buffer), varint(buffer), varint(buffer)};
      if (header[0] < 0 || header[1] < 0 || header[2] < 0 || header[1] + header[2] > buffer.remaining()) {
        break;
      }
      buffer.position(buffer.position() + (int) header[1]);
      ByteBuffer value = buffer.slice(buffer.position(), (int) header[2]);
      buffer.position(buffer.position() + (int) header[2]);
      long[] data = handle(value);
      if (data != null && fits(table, data)) {
        blocks.add(new BlockLocation("data", (int) data[0], (int) data[1]));
      }
    }
    return blocks;
  }

  /** Rewrites the trailer checksum of the block at {@code offset} so it matches the bytes there. */
  static void fixTrailer(byte[] table, BlockLocation block) {
    int crc = Crc32c.compute(table, block.offset(), block.size() + 1); // block bytes and the type byte
    ByteBuffer.wrap(table, block.offset() + block.size() + 1, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(Crc32c.mask(crc));
  }

  static RandomAccessInput input(byte[] data) {
    return RandomAccessInput.ofBytes("index", data);
  }

  static byte[] key(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean fits(byte[] table, long[] handle) {
    return handle[0] >= 0 && handle[1] >= 0 && handle[0] + handle[1] + 5 <= table.length - FOOTER_LENGTH;
  }

  /** A block handle (offset, size), or null when the bytes do not hold one. */
  private static long[] handle(ByteBuffer buffer) {
    long offset = varint(buffer);
    long size = varint(buffer);
    return offset < 0 || size < 0 || offset > Integer.MAX_VALUE || size > Integer.MAX_VALUE ? null : new long[] {offset, size};
  }

  /** A varint64, or -1 when the buffer ends inside it or it is too long. */
  private static long varint(ByteBuffer buffer) {
    long result = 0;
    for (int i = 0; i < 10; i++) {
      if (!buffer.hasRemaining()) {
        return -1;
      }
      byte b = buffer.get();
      result |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    return -1;
  }
}
