package io.sparkpoint.bundle;

import io.sparkpoint.bytes.UnsignedBytes;
import io.sparkpoint.bytes.Varints;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.BundleHeaderProto;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.proto.TensorSliceProto;
import io.sparkpoint.proto.VersionDef;
import io.sparkpoint.table.TableOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The mutations of {@link IndexFuzzTest}, three kinds: raw byte edits of the file (flip, set,
 * truncate, duplicate or delete a range, a varint replaced by a huge one); the same edits inside
 * one block whose trailer checksum is then recomputed; and edits of one entry (its key, its proto
 * fields, its serialized bytes) re-encoded into a well-formed table. The last two reach the parsers
 * behind the checksums.
 */
final class IndexMutations {
  static final long[] INTERESTING = {
    0, 1, 2, 3, 4, 7, 8, -1, -2, 255, 256, 1 << 16, Integer.MAX_VALUE, 1L << 31, 1L << 32, 1L << 40, 1L << 50,
    1L << 62, Long.MAX_VALUE, Long.MIN_VALUE
  };

  private IndexMutations() {}

  /** Applies one random mutation to {@code index} and records what it did in {@code applied}. */
  static byte[] mutate(byte[] index, Random random, List<String> applied) {
    int kind = random.nextInt(10);
    if (kind >= 7) {
      byte[] entryLevel = mutateEntries(index, random, applied);
      if (entryLevel != null) {
        return entryLevel;
      }
    }
    if (kind >= 4) {
      List<IndexBytes.BlockLocation> blocks = IndexBytes.blocks(index);
      blocks.removeIf(b -> b.size() == 0);
      if (!blocks.isEmpty()) {
        byte[] copy = index.clone();
        IndexBytes.BlockLocation block = blocks.get(random.nextInt(blocks.size()));
        int at = block.offset() + random.nextInt(block.size());
        String what = overwrite(copy, at, block.offset() + block.size(), random);
        IndexBytes.fixTrailer(copy, block);
        applied.add(what + " in the " + block.kind() + " block at " + block.offset() + ", checksum fixed");
        return copy;
      }
    }
    return mutateRaw(index, random, applied);
  }

  private static byte[] mutateRaw(byte[] index, Random random, List<String> applied) {
    if (index.length == 0) {
      applied.add("nothing (empty)");
      return index;
    }
    int at = random.nextInt(index.length);
    int length = 1 + random.nextInt(Math.min(64, index.length - at));
    switch (random.nextInt(5)) {
      case 0 -> {
        byte[] copy = index.clone();
        applied.add(overwrite(copy, at, copy.length, random));
        return copy;
      }
      case 1 -> {
        applied.add("truncate to " + at);
        return Arrays.copyOf(index, at);
      }
      case 2 -> {
        int to = random.nextInt(index.length + 1);
        applied.add("duplicate " + length + " bytes at " + at + " into " + to);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(index, 0, to);
        out.write(index, at, length);
        out.write(index, to, index.length - to);
        return out.toByteArray();
      }
      case 3 -> {
        applied.add("delete " + length + " bytes at " + at);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(index, 0, at);
        out.write(index, at + length, index.length - at - length);
        return out.toByteArray();
      }
      default -> {
        int old = 1;
        while (old < 10 && at + old <= index.length && (index[at + old - 1] & 0x80) != 0) {
          old++;
        }
        old = Math.min(old, index.length - at);
        long value = INTERESTING[random.nextInt(INTERESTING.length)];
        applied.add("replace the varint at " + at + " with " + value);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(index, 0, at);
        Varints.writeVarint64(out, value);
        out.write(index, at + old, index.length - at - old);
        return out.toByteArray();
      }
    }
  }

  /** Changes bytes at {@code at} (before {@code end}) without changing the length; says what it did. */
  private static String overwrite(byte[] bytes, int at, int end, Random random) {
    switch (random.nextInt(3)) {
      case 0 -> {
        int bit = random.nextInt(8);
        bytes[at] ^= (byte) (1 << bit);
        return "flip bit " + bit + " at " + at;
      }
      case 1 -> {
        byte value = (byte) new int[] {0, 0xFF, 0x7F, 0x80, 1, random.nextInt(256)}[random.nextInt(6)];
        bytes[at] = value;
        return "set byte " + at + " to " + (value & 0xFF);
      }
      default -> {
        long value = INTERESTING[random.nextInt(INTERESTING.length)];
        byte[] varint = new byte[10];
        int n = Math.min(Varints.writeVarint64(varint, 0, value), end - at);
        System.arraycopy(varint, 0, bytes, at, n);
        return "write varint " + value + " at " + at;
      }
    }
  }

  /** Decodes the table, damages one entry's key or proto, and re-encodes a well-formed table; null if it cannot. */
  private static byte[] mutateEntries(byte[] index, Random random, List<String> applied) {
    List<Map.Entry<byte[], byte[]>> entries;
    try {
      entries = new ArrayList<>(IndexBytes.entries(index));
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (entries.isEmpty()) {
      return null;
    }
    int at = random.nextInt(entries.size());
    byte[] key = entries.get(at).getKey();
    byte[] value = entries.get(at).getValue();
    String what;
    try {
      switch (random.nextInt(8)) {
        case 0 -> {
          value = value.clone();
          if (value.length > 0) {
            value[random.nextInt(value.length)] ^= (byte) (1 << random.nextInt(8));
          }
          what = "flip a bit of the value";
        }
        case 1 -> {
          key = key.length == 0 ? new byte[] {(byte) random.nextInt(256)} : key.clone();
          key[random.nextInt(key.length)] = (byte) random.nextInt(256);
          what = "change the key";
        }
        case 2 -> {
          entries.remove(at);
          applied.add("delete entry " + BundleReader.printable(key));
          return rewrite(entries, random);
        }
        case 3 -> {
          byte[] copy = Arrays.copyOf(key, key.length + 1);
          copy[key.length] = (byte) random.nextInt(256);
          entries.add(new AbstractMap.SimpleEntry<>(copy, value));
          what = "copy the entry under another key";
        }
        default -> {
          if (key.length == 0) {
            value = mutateHeader(BundleHeaderProto.parseFrom(value), random).toByteArray();
            what = "damage the header";
          } else {
            BundleEntryProto.Builder entry = BundleEntryProto.parseFrom(value).toBuilder();
            what = mutateEntry(entry, random);
            value = entry.build().toByteArray();
          }
        }
      }
    } catch (IOException e) {
      return null; // a value that no longer parses: leave it to the raw mutations
    }
    if (at < entries.size()) {
      entries.set(at, new AbstractMap.SimpleEntry<>(key, value));
    }
    applied.add(what + " of entry " + BundleReader.printable(entries.get(at).getKey()) + ", re-encoded");
    return rewrite(entries, random);
  }

  private static byte[] rewrite(List<Map.Entry<byte[], byte[]>> entries, Random random) {
    TreeMap<byte[], byte[]> sorted = new TreeMap<>(UnsignedBytes.ORDER);
    for (Map.Entry<byte[], byte[]> entry : entries) {
      sorted.putIfAbsent(entry.getKey(), entry.getValue());
    }
    TableOptions options = random.nextBoolean() ? TableOptions.TENSORFLOW : new TableOptions(256 + random.nextInt(4096), 1 + random.nextInt(16));
    try {
      return IndexBytes.table(new ArrayList<>(sorted.entrySet()), options);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static BundleHeaderProto mutateHeader(BundleHeaderProto header, Random random) {
    BundleHeaderProto.Builder builder = header.toBuilder();
    switch (random.nextInt(4)) {
      case 0 -> builder.setNumShards((int) INTERESTING[random.nextInt(INTERESTING.length)]);
      case 1 -> builder.setEndiannessValue(random.nextInt(3));
      case 2 -> builder.setVersion(VersionDef.newBuilder().setProducer(random.nextInt(3) - 1).setMinConsumer(random.nextInt(3)));
      default -> builder.setVersion(header.getVersion().toBuilder().addBadConsumers(random.nextInt(3)));
    }
    return builder.build();
  }

  private static String mutateEntry(BundleEntryProto.Builder entry, Random random) {
    long value = INTERESTING[random.nextInt(INTERESTING.length)];
    switch (random.nextInt(9)) {
      case 0 -> {
        int dtype = new int[] {0, 1, 2, 7, 9, 10, 14, 19, 20, 21, 26, 99, 101, 107, random.nextInt(40)}[random.nextInt(15)];
        entry.setDtypeValue(dtype);
        return "set dtype " + dtype;
      }
      case 1 -> {
        TensorShapeProto.Builder shape = entry.getShape().toBuilder();
        if (shape.getDimCount() > 0 && random.nextBoolean()) {
          shape.setDim(random.nextInt(shape.getDimCount()), TensorShapeProto.Dim.newBuilder().setSize(value));
        } else {
          shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(value));
        }
        entry.setShape(shape);
        return "set a dimension to " + value;
      }
      case 2 -> {
        if (random.nextBoolean()) {
          entry.setShape(entry.getShape().toBuilder().setUnknownRank(true));
          return "make the rank unknown";
        }
        entry.setShape(TensorShapeProto.getDefaultInstance());
        return "make it a scalar";
      }
      case 3 -> {
        entry.setShardId((int) value);
        return "set shard_id " + (int) value;
      }
      case 4 -> {
        entry.setOffset(random.nextBoolean() ? value : entry.getOffset() + random.nextInt(9) - 4);
        return "set offset " + entry.getOffset();
      }
      case 5 -> {
        entry.setSize(random.nextBoolean() ? value : entry.getSize() + random.nextInt(9) - 4);
        return "set size " + entry.getSize();
      }
      case 6 -> {
        entry.setCrc32C(random.nextInt());
        return "set crc32c";
      }
      case 7 -> {
        TensorSliceProto.Builder slice = TensorSliceProto.newBuilder();
        for (int d = random.nextInt(4); d > 0; d--) {
          TensorSliceProto.Extent.Builder extent = TensorSliceProto.Extent.newBuilder();
          if (random.nextBoolean()) {
            extent.setStart(random.nextBoolean() ? random.nextInt(4) : INTERESTING[random.nextInt(INTERESTING.length)]);
            extent.setLength(random.nextBoolean() ? 1 + random.nextInt(3) : INTERESTING[random.nextInt(INTERESTING.length)]);
          }
          slice.addExtent(extent);
        }
        entry.addSlices(slice);
        return "add slice " + slice.build().toString().replace('\n', ' ');
      }
      default -> {
        entry.clearSlices();
        return "remove the slices";
      }
    }
  }
}
