package io.sparkpoint.bundle;

import com.google.protobuf.InvalidProtocolBufferException;
import io.sparkpoint.bytes.UnsignedBytes;
import io.sparkpoint.fs.RandomAccessInput;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.BundleHeaderProto;
import io.sparkpoint.table.TableReader;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.TensorSlice;
import io.sparkpoint.tensor.UnsupportedDTypeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A checkpoint's index, read and checked in full: the header (version, endianness, shard count)
 * and every entry (parseable, a valid name, dtype, shape and slices), so that later reads can
 * trust what they look up.
 */
record BundleIndex(BundleHeaderProto header, SortedMap<byte[], BundleEntryProto> entries) {
  static BundleIndex read(RandomAccessInput input, String indexFile) throws IOException {
    TreeMap<byte[], BundleEntryProto> entries = new TreeMap<>(UnsignedBytes.ORDER);
    BundleHeaderProto[] header = new BundleHeaderProto[1];
    try {
      TableReader table = TableReader.open(input);
      table.forEach((key, value) -> {
        if (header[0] == null) {
          if (key.length != 0) {
            throw new CorruptBundleException("failed to seek to header entry");
          }
          header[0] = parseHeader(value);
          return;
        }
        if (entries.containsKey(key) || UnsignedBytes.compare(key, entries.isEmpty() ? new byte[0] : entries.lastKey()) <= 0) {
          throw new CorruptBundleException("keys out of order at " + UnsignedBytes.hex(key));
        }
        entries.put(key, parseEntry(key, value, indexFile));
      });
    } catch (IOException e) {
      if (e instanceof java.io.FileNotFoundException || e instanceof UnsupportedBundleException) {
        throw e;
      }
      throw new CorruptBundleException(
          "Unable to read file (" + indexFile + "). Perhaps the file is corrupt or was produced by a newer version of "
              + "TensorFlow with format changes: " + e.getMessage(), e);
    }
    if (header[0] == null) {
      throw new CorruptBundleException(
          "Unable to read file (" + indexFile + "). Perhaps the file is corrupt or was produced by a newer version of "
              + "TensorFlow with format changes (failed to seek to header entry)");
    }
    checkHeader(header[0], indexFile);
    long stored = entries.values().stream().filter(e -> e.getSlicesCount() == 0).count();
    if (header[0].getNumShards() > Math.max(1, stored)) {
      // Every shard holds at least one stored entry; a larger count is damage, and would make
      // readers and validators walk (or allocate for) billions of shards.
      throw new CorruptBundleException(
          "Invalid header in " + indexFile + ": num_shards is " + header[0].getNumShards() + " but the index has only " + stored
              + " stored entries");
    }
    return new BundleIndex(header[0], entries);
  }

  private static BundleHeaderProto parseHeader(byte[] value) throws CorruptBundleException {
    try {
      return BundleHeaderProto.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptBundleException("unable to parse header", e);
    }
  }

  private static BundleEntryProto parseEntry(byte[] key, byte[] value, String indexFile) throws IOException {
    BundleEntryProto entry;
    try {
      entry = BundleEntryProto.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptBundleException("Entry for key " + BundleReader.printable(key) + " not parseable.", e);
    }
    checkEntry(key, entry, indexFile);
    return entry;
  }

  /**
   * The checks every listing relies on: a UTF-8 name, a known dtype, a valid shape, and slices
   * that lie inside it. Sizes and offsets are checked when the tensor is read.
   */
  private static void checkEntry(byte[] key, BundleEntryProto entry, String indexFile) throws IOException {
    String name = BundleReader.printable(key);
    if (!SliceKeys.isSliceKey(key) && !isUtf8(key)) {
      throw new CorruptBundleException("Invalid tensor name in " + indexFile + ": key " + UnsignedBytes.hex(key) + " is not UTF-8");
    }
    try {
      DType.fromNumber(entry.getDtypeValue());
    } catch (UnsupportedDTypeException e) {
      throw new UnsupportedBundleException(e.getMessage() + " for tensor " + name + " in " + indexFile);
    }
    Shape shape;
    try {
      shape = Shape.fromProto(entry.getShape());
    } catch (IllegalArgumentException e) {
      throw new CorruptBundleException("Invalid tensor shape: " + name + " " + e.getMessage() + " (" + indexFile + ")", e);
    }
    for (io.sparkpoint.proto.TensorSliceProto proto : entry.getSlicesList()) {
      try {
        TensorSlice.fromProto(proto).sliceShape(shape);
      } catch (IllegalArgumentException e) {
        throw new CorruptBundleException(
            "Invalid slice of partitioned tensor " + name + " in " + indexFile + ": " + e.getMessage(), e);
      }
    }
  }

  private static boolean isUtf8(byte[] key) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(key));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  private static void checkHeader(BundleHeaderProto header, String indexFile) throws IOException {
    String versionError = BundleHeaders.checkVersion(header.getVersion());
    if (versionError != null) {
      throw new UnsupportedBundleException(versionError + " (" + indexFile + ")");
    }
    if (header.getEndiannessValue() != 0) {
      throw new UnsupportedBundleException(
          "Unsupported checkpoint " + indexFile + ": it was written on a big-endian host (header endianness "
              + header.getEndianness() + "); Sparkpoint reads little-endian checkpoints only");
    }
    if (header.getNumShards() < 1) {
      throw new CorruptBundleException("Invalid header in " + indexFile + ": num_shards is " + header.getNumShards());
    }
  }
}
