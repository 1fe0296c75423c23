package io.sparkpoint.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.bytes.UnsignedBytes;
import io.sparkpoint.bytes.Varints;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.BundleHeaderProto;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.proto.TensorSliceProto;
import io.sparkpoint.proto.VersionDef;
import io.sparkpoint.table.TableOptions;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorSlice;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of valid index files. Each iteration damages a valid index with 1 to 4 mutations
 * (raw byte edits, edits inside blocks whose checksums are then recomputed, and edits of the
 * entries' protos re-encoded into a well-formed table), then opens the bundle, reads every tensor
 * and validates it. Only the documented IOExceptions may come out: never a RuntimeException, an
 * OutOfMemoryError, a StackOverflowError or a hang.
 *
 * <p>{@code -Dsparkpoint.fuzz.iterations=N} sets the iteration count; {@code
 * -Dsparkpoint.fuzz.seed=S} replays a run (each failure prints its seed and iteration).
 */
class IndexFuzzTest {
  private static final int ITERATIONS = Integer.getInteger("sparkpoint.fuzz.iterations", 5000);
  private static final long SEED = Long.getLong("sparkpoint.fuzz.seed", new Random().nextLong());
  private static final long ITERATION_TIMEOUT_SECONDS = 20;
  /** A read of a damaged index may allocate this much at most; the largest fixture is under 2 MiB. */
  private static final long MAX_ALLOCATION = 256L << 20;
  private static final List<Class<? extends IOException>> DOCUMENTED = List.of(
      CorruptBundleException.class, UnsupportedBundleException.class, KeyNotFoundException.class,
      FileNotFoundException.class, EOFException.class);
  private static final long[] INTERESTING = {
    0, 1, 2, 3, 4, 7, 8, -1, -2, 255, 256, 1 << 16, Integer.MAX_VALUE, 1L << 31, 1L << 32, 1L << 40, 1L << 50,
    1L << 62, Long.MAX_VALUE, Long.MIN_VALUE
  };

  private record Base(String name, String prefix, byte[] index) {}

  /** How deep the damaged indexes got: opened, tensors read, tensors refused. */
  private final java.util.concurrent.atomic.AtomicLongArray outcomes = new java.util.concurrent.atomic.AtomicLongArray(3);

  @Test
  void damagedIndexesFailOnlyWithDocumentedExceptions() throws Exception {
    InMemoryFileIO io = TestFixtures.memory();
    List<Base> bases = bases(io);
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "index-fuzz");
      thread.setDaemon(true); // a hung iteration must not keep the JVM alive
      return thread;
    });
    List<String> failures = new ArrayList<>();
    long started = System.nanoTime();
    try {
      for (int i = 0; i < ITERATIONS && failures.size() < 5; i++) {
        Random random = new Random(SEED * 0x9E3779B97F4A7C15L + i);
        Base base = bases.get(random.nextInt(bases.size()));
        List<String> applied = new ArrayList<>();
        byte[] index = base.index();
        for (int m = 1 + random.nextInt(4); m > 0; m--) {
          index = mutate(index, random, applied);
        }
        io.put(base.prefix() + ".index", index);
        Future<Throwable> outcome = worker.submit(() -> exercise(io, base.prefix()));
        Throwable bad;
        try {
          bad = outcome.get(ITERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          bad = new AssertionError("no result after " + ITERATION_TIMEOUT_SECONDS + " s: a hang");
          i = ITERATIONS; // the worker is stuck; stop here
        }
        if (bad != null) {
          failures.add(String.format("iteration %d on %s after %s: %s%n%s", i, base.name(), applied, bad, stackOf(bad)));
        }
      }
    } finally {
      worker.shutdownNow();
      for (Base base : bases) {
        io.put(base.prefix() + ".index", base.index());
      }
    }
    System.out.printf(
        "IndexFuzzTest: %d iterations, seed %d, %.1f s; %d damaged indexes opened, %d tensors read, %d refused%n",
        ITERATIONS, SEED, (System.nanoTime() - started) / 1e9, outcomes.get(0), outcomes.get(1), outcomes.get(2));
    assertThat(failures)
        .as("undocumented failures; replay with -Dsparkpoint.fuzz.seed=%d -Dsparkpoint.fuzz.iterations=%d", SEED, ITERATIONS)
        .isEmpty();
  }

  /** Opens, lists, reads every tensor, validates; returns what should not have happened, or null. */
  private Throwable exercise(FileIO io, String prefix) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    try {
      try (BundleReader reader = BundleReader.open(io, prefix)) {
        outcomes.incrementAndGet(0);
        reader.shapeMap();
        reader.dtypeMap();
        for (String name : reader.tensorNames()) {
          try {
            reader.lookup(name);
            outcomes.incrementAndGet(1);
          } catch (IOException e) {
            outcomes.incrementAndGet(2);
            if (!documented(e)) {
              return e;
            }
          }
        }
      } catch (IOException e) {
        if (!documented(e)) {
          return e;
        }
      }
      BundleValidator.Report report = BundleValidator.validate(io, prefix);
      assertThat(report.prefix()).isEqualTo(prefix);
    } catch (Throwable t) { // RuntimeExceptions, OutOfMemoryError, StackOverflowError
      return t;
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    return allocated > MAX_ALLOCATION ? new AssertionError("allocated " + allocated + " bytes") : null;
  }

  private static boolean documented(IOException e) {
    return DOCUMENTED.stream().anyMatch(type -> type.isInstance(e));
  }

  // --- the valid indexes

  private static List<Base> bases(InMemoryFileIO io) throws IOException {
    List<Base> bases = new ArrayList<>();
    List<String> fixtures = TestFixtures.allV2Prefixes();
    for (int i = 0; i < fixtures.size(); i++) {
      String prefix = TestFixtures.copyToMemory(io, fixtures.get(i), "fixture" + i);
      bases.add(new Base(fixtures.get(i), prefix, io.contents(prefix + ".index")));
    }
    bases.add(written(io, "single", w -> w.add("v", Tensor.ofFloats(Shape.of(2), 1f, 2f))));
    bases.add(written(io, "strings", w -> {
      w.add("edge", Tensor.ofStrings(Shape.of(6), TestFixtures.edgeStrings().toArray(new String[0])));
      w.add("empty", Tensor.ofStrings(Shape.of(0)));
      w.add("scalar", Tensor.ofStrings(Shape.scalar(), "hello"));
      w.add("grid", TestFixtures.randomTensor(DType.STRING, Shape.of(2, 3), new Random(3)));
    }));
    bases.add(written(io, "partitioned", w -> {
      for (int row = 0; row < 6; row += 2) {
        w.addSlice("emb", Shape.of(6, 4), TensorSlice.parse(row + ",2:-"), TestFixtures.randomTensor(DType.FLOAT, Shape.of(2, 4), new Random(row)));
      }
      w.addSlice("w", Shape.of(4, 2), TensorSlice.parse("-:0,1"), TestFixtures.randomTensor(DType.INT64, Shape.of(4, 1), new Random(1)));
      w.addSlice("w", Shape.of(4, 2), TensorSlice.parse("-:1,1"), TestFixtures.randomTensor(DType.INT64, Shape.of(4, 1), new Random(2)));
      w.addSlice("vocab", Shape.of(5), TensorSlice.parse("0,3"), Tensor.ofStrings(Shape.of(3), "a", "b", "c"));
      w.addSlice("vocab", Shape.of(5), TensorSlice.parse("3,2"), Tensor.ofStrings(Shape.of(2), "d", "e"));
      w.add("bias", Tensor.ofFloats(Shape.of(2), 0.5f, -0.5f));
    }));
    bases.add(written(io, "every dtype", w -> {
      for (Map.Entry<String, Tensor> entry : TestFixtures.everyDtype(11).entrySet()) {
        w.add(entry.getKey(), entry.getValue());
      }
    }));
    Base many = written(io, "many tensors", w -> {
      for (int i = 0; i < 300; i++) {
        w.add(String.format("model/layer_%03d/kernel", i), Tensor.ofFloats(Shape.of(2), i, -i));
      }
    });
    // The same entries in small blocks, so the index has many data blocks.
    byte[] blocks = IndexBytes.table(IndexBytes.entries(many.index()), new TableOptions(2048, 16));
    io.put(many.prefix() + ".index", blocks);
    bases.add(new Base("many tensors in small blocks", many.prefix(), blocks));
    return bases;
  }

  private interface Content {
    void write(BundleWriter writer) throws IOException;
  }

  private static Base written(InMemoryFileIO io, String name, Content content) throws IOException {
    String prefix = "/mem/written/" + name.replace(' ', '_') + "/ckpt";
    io.createDirectories("/mem/written");
    try (BundleWriter writer = BundleWriter.create(io, prefix)) {
      content.write(writer);
      writer.finish();
    }
    return new Base(name, prefix, io.contents(prefix + ".index"));
  }

  // --- mutations

  private static byte[] mutate(byte[] index, Random random, List<String> applied) {
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

  private static String stackOf(Throwable t) {
    StringBuilder text = new StringBuilder();
    for (StackTraceElement frame : t.getStackTrace()) {
      if (text.length() > 1500) {
        break;
      }
      text.append("    at ").append(frame).append('\n');
    }
    return text.toString();
  }
}
