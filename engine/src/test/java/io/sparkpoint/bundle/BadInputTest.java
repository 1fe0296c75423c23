package io.sparkpoint.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.bytes.Crc32c;
import io.sparkpoint.bytes.UnsignedBytes;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.BundleHeaderProto;
import io.sparkpoint.proto.DataType;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.proto.TensorSliceProto;
import io.sparkpoint.proto.VersionDef;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.TensorSlice;
import java.io.FileNotFoundException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Damaged, foreign and hostile inputs: each fails with a documented exception naming the file and tensor. */
class BadInputTest {
  private static final String ALL_DTYPES = "libtensorflow-2.18-generated/all_dtypes_v2/ckpt";
  /** What one failed read of a hostile index may allocate; far below any size the index claims. */
  private static final long MAX_ALLOCATION = 8L << 20;

  private final InMemoryFileIO io = TestFixtures.memory();

  static Stream<Arguments> indexCuts() {
    return Stream.<Arguments>of(
        Arguments.of("inside the footer", (ToIntFunction<byte[]>) index -> index.length - 20),
        Arguments.of("inside the index block", (ToIntFunction<byte[]>) index -> block(index, "index").offset() + 3),
        Arguments.of("inside a data block", (ToIntFunction<byte[]>) index -> block(index, "data").offset() + 100),
        Arguments.of("before a footer fits", (ToIntFunction<byte[]>) index -> 30));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("indexCuts")
  void truncatedIndexIsCorruptAndNamesTheIndexFile(String where, ToIntFunction<byte[]> cut) {
    String prefix = TestFixtures.copyToMemory(io, ALL_DTYPES, "cut");
    byte[] index = io.contents(prefix + ".index");
    io.put(prefix + ".index", Arrays.copyOf(index, cut.applyAsInt(index)));
    assertThatThrownBy(() -> BundleReader.open(io, prefix))
        .isInstanceOf(CorruptBundleException.class)
        .hasMessageStartingWith("Unable to read file (" + prefix + ".index). Perhaps the file is corrupt")
        .hasMessageMatching("(?s).*(not an sstable \\(bad magic number\\)|file is too short to be an sstable)");
  }

  @Test
  void indexCutShortButEndingInItsFooterIsATruncatedBlockRead() {
    String prefix = TestFixtures.copyToMemory(io, ALL_DTYPES, "cut");
    byte[] index = io.contents(prefix + ".index");
    byte[] cut = new byte[200 + IndexBytes.FOOTER_LENGTH];
    System.arraycopy(index, 0, cut, 0, 200);
    System.arraycopy(index, index.length - IndexBytes.FOOTER_LENGTH, cut, 200, IndexBytes.FOOTER_LENGTH);
    io.put(prefix + ".index", cut);
    assertThatThrownBy(() -> BundleReader.open(io, prefix))
        .isInstanceOf(CorruptBundleException.class)
        .hasMessageContaining(prefix + ".index")
        .hasMessageContaining("truncated block read");
  }

  @Test
  void tensorRunningPastTheEndOfATruncatedDataFileNamesTensorAndFile() throws Exception {
    String prefix = TestFixtures.copyToMemory(io, ALL_DTYPES, "short");
    String data = prefix + ".data-00000-of-00001";
    io.put(data, Arrays.copyOf(io.contents(data), 300));
    try (BundleReader reader = BundleReader.open(io, prefix)) {
      String last = lastTensor(reader);
      assertThatThrownBy(() -> reader.lookup(last))
          .isInstanceOf(CorruptBundleException.class)
          .hasMessageStartingWith("Entry for tensor " + last + " points outside " + data + ": offset ");
      assertThat(reader.lookup("dt_float").shape()).isEqualTo(Shape.of(2, 3)); // its bytes lie before the cut
    }
  }

  @Test
  void flippedByteInANumericTensorIsAChecksumMismatch() throws Exception {
    String prefix = TestFixtures.copyToMemory(io, ALL_DTYPES, "flip");
    try (BundleReader reader = flipDataByte(prefix, "dt_float", 5)) {
      assertThatThrownBy(() -> reader.lookup("dt_float"))
          .isInstanceOf(CorruptBundleException.class)
          .hasMessageMatching("Checksum does not match for tensor dt_float in " + prefix
              + "\\.data-00000-of-00001 \\(24 bytes\\): stored [0-9a-f]{8} vs\\. calculated on the restored bytes [0-9a-f]{8}");
    }
  }

  @Test
  void flippedByteInAStringsBytesIsAChecksumMismatch() throws Exception {
    String prefix = TestFixtures.copyToMemory(io, ALL_DTYPES, "flip");
    int size = (int) entryOf(prefix, "dt_string").getSize();
    try (BundleReader reader = flipDataByte(prefix, "dt_string", size - 1)) {
      assertThatThrownBy(() -> reader.lookup("dt_string"))
          .isInstanceOf(CorruptBundleException.class)
          .hasMessageStartingWith("Checksum does not match for tensor dt_string in " + prefix + ".data-00000-of-00001 (" + size + " bytes)");
    }
  }

  @Test
  void flippedByteInAStringsLengthsIsALengthChecksumMismatch() throws Exception {
    String prefix = TestFixtures.copyToMemory(io, ALL_DTYPES, "flip");
    try (BundleReader reader = flipDataByte(prefix, "dt_string", 0)) { // the length of "" becomes 1
      assertThatThrownBy(() -> reader.lookup("dt_string"))
          .isInstanceOf(CorruptBundleException.class)
          .hasMessageStartingWith("The length checksum does not match for tensor dt_string in " + prefix + ".data-00000-of-00001: expected ");
    }
  }

  @ParameterizedTest(name = "{0} block")
  @MethodSource("damagedBlocks")
  void flippedByteInAnIndexBlockIsABlockChecksumMismatch(String kind) {
    String prefix = TestFixtures.copyToMemory(io, ALL_DTYPES, "flip");
    byte[] index = io.contents(prefix + ".index");
    index[block(index, kind).offset() + 2] ^= 0x10;
    io.put(prefix + ".index", index);
    assertThatThrownBy(() -> BundleReader.open(io, prefix))
        .isInstanceOf(CorruptBundleException.class)
        .hasMessageContaining(prefix + ".index")
        .hasMessageContaining("block checksum mismatch");
  }

  static Stream<String> damagedBlocks() {
    return Stream.of("data", "index");
  }

  @Test
  void missingShardIsNotFoundWhileTheOtherShardStillReads() throws Exception {
    String prefix = TestFixtures.copyToMemory(io, "libtensorflow-2.18-generated/sharded_v2/ckpt", "sharded");
    String missing = prefix + ".data-00001-of-00002";
    assertThat(io.deleteFile(missing)).isTrue();
    try (BundleReader reader = BundleReader.open(io, prefix)) {
      assertThat(reader.entry("global_step").getShardId()).isEqualTo(1);
      assertThat(reader.entry("a_float").getShardId()).isZero();
      assertThatThrownBy(() -> reader.lookup("global_step"))
          .isInstanceOf(FileNotFoundException.class)
          .hasMessage(missing + "; No such file or directory");
      assertThat(reader.lookup("a_float").numElements()).isPositive();
      assertThat(reader.lookup("c_string").numElements()).isPositive();
    }
  }

  @Test
  void missingKeyIsKeyNotFoundNamingTheCheckpoint() throws Exception {
    String prefix = TestFixtures.copyToMemory(io, ALL_DTYPES, "keys");
    try (BundleReader reader = BundleReader.open(io, prefix)) {
      assertThatThrownBy(() -> reader.lookup("nope"))
          .isInstanceOf(KeyNotFoundException.class)
          .hasMessage("Key nope not found in checkpoint " + prefix);
    }
  }

  @Test
  void randomBytesAreNotACheckpoint() {
    byte[] junk = new byte[4096];
    new Random(7).nextBytes(junk);
    io.put("/mem/junk/ckpt.index", junk);
    assertThatThrownBy(() -> BundleReader.open(io, "/mem/junk/ckpt"))
        .isInstanceOf(CorruptBundleException.class)
        .hasMessageContaining("/mem/junk/ckpt.index")
        .hasMessageContaining("not an sstable (bad magic number)");
  }

  @Test
  void aMetaGraphIsNotACheckpoint() {
    String prefix = TestFixtures.copyToMemory(io, "tf2onnx/regression/checkpoint/model", "meta");
    io.put("/mem/meta/graph.index", io.contents(prefix + ".meta"));
    assertThatThrownBy(() -> BundleReader.open(io, "/mem/meta/graph"))
        .isInstanceOf(CorruptBundleException.class)
        .hasMessageContaining("/mem/meta/graph.index")
        .hasMessageContaining("not an sstable (bad magic number)");
  }

  @Test
  void bigEndianHeaderIsUnsupported() {
    writeIndex("/mem/big/ckpt", BundleHeaders.singleShard().toBuilder().setEndianness(BundleHeaderProto.Endianness.BIG).build(), new TreeMap<>());
    assertThatThrownBy(() -> BundleReader.open(io, "/mem/big/ckpt"))
        .isInstanceOf(UnsupportedBundleException.class)
        .hasMessageContaining("/mem/big/ckpt.index")
        .hasMessageContaining("big-endian");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("versions")
  void headerVersionsThisReaderMayNotReadAreUnsupported(String label, VersionDef version, String message) {
    writeIndex("/mem/v/ckpt", BundleHeaders.singleShard().toBuilder().setVersion(version).build(), new TreeMap<>());
    assertThatThrownBy(() -> BundleReader.open(io, "/mem/v/ckpt"))
        .isInstanceOf(UnsupportedBundleException.class)
        .hasMessage(message + " (/mem/v/ckpt.index)");
  }

  static Stream<Arguments> versions() {
    return Stream.of(
        Arguments.of("min_consumer 2", VersionDef.newBuilder().setProducer(1).setMinConsumer(2).build(),
            "Checkpoint min consumer version 2 above current version 1 for Sparkpoint.  Please upgrade Sparkpoint."),
        Arguments.of("bad_consumers [1]", VersionDef.newBuilder().setProducer(1).addBadConsumers(1).build(),
            "Checkpoint disallows consumer version 1.  Please upgrade Sparkpoint: this version is likely buggy."),
        Arguments.of("producer -1", VersionDef.newBuilder().setProducer(-1).build(),
            "Checkpoint producer version -1 below min producer 0 supported by Sparkpoint.  Please regenerate your checkpoint."));
  }

  static Stream<Arguments> hugeClaims() {
    BundleEntryProto floats = entry(DataType.DT_FLOAT, 2).setSize(8).build();
    return Stream.of(
        Arguments.of("size 2^40 for 2 floats", floats.toBuilder().setSize(1L << 40).build(),
            "Invalid size in bundle entry: key huge/tensor; stored size 1099511627776; expected size 8"),
        Arguments.of("offset 2^50", floats.toBuilder().setOffset(1L << 50).build(), "points outside"),
        Arguments.of("negative offset", floats.toBuilder().setOffset(-1).build(), "points outside"),
        Arguments.of("negative size", floats.toBuilder().setSize(-8).build(), "Invalid size in bundle entry"),
        Arguments.of("shape [2^40] with a matching size", entry(DataType.DT_INT8, 1L << 40).setSize(1L << 40).build(), "points outside"),
        Arguments.of("byte size that overflows", entry(DataType.DT_DOUBLE, 1L << 40, 1L << 22).setSize(64).build(), "Invalid"),
        Arguments.of("element count that overflows", entry(DataType.DT_FLOAT, 1L << 40, 1L << 40).setSize(64).build(), "Invalid"),
        Arguments.of("negative dimension", entry(DataType.DT_FLOAT, -5).setSize(64).build(), "Invalid"),
        Arguments.of("2^40 strings in 64 bytes", entry(DataType.DT_STRING, 1L << 40).setSize(64).build(), "Invalid size in bundle entry"),
        Arguments.of("2^40 strings in 0 bytes", entry(DataType.DT_STRING, 1L << 40).build(), "Invalid size in bundle entry"),
        Arguments.of("shard id past the shard count", floats.toBuilder().setShardId(7).build(), "Invalid shard_id 7"),
        Arguments.of("partitioned tensor of 2^28 floats with one 2-element slice", partitioned(1L << 28), "Does not have sufficient slices"),
        Arguments.of("partitioned tensor of 2^40 floats with one 2-element slice", partitioned(1L << 40), "Does not have sufficient slices"));
  }

  /** The error comes before anything of the claimed size is read or allocated. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("hugeClaims")
  void indexClaimingHugeSizesIsCorruptWithoutHugeAllocations(String label, BundleEntryProto entry, String message) {
    String prefix = "/mem/huge/ckpt";
    TreeMap<byte[], BundleEntryProto> entries = new TreeMap<>(UnsignedBytes.ORDER);
    entries.put(IndexBytes.key("huge/tensor"), entry);
    if (entry.getSlicesCount() > 0) {
      byte[] sliceKey = SliceKeys.encode("huge/tensor", TensorSlice.parse("0,2"));
      entries.put(sliceKey, entry(DataType.DT_FLOAT, 2).setSize(8).setCrc32C(Crc32c.mask(Crc32c.compute(new byte[8]))).build());
    }
    writeIndex(prefix, BundleHeaders.singleShard(), entries);
    io.put(prefix + ".data-00000-of-00001", new byte[64]);
    Throwable thrown = boundedFailure(() -> {
      try (BundleReader reader = BundleReader.open(io, prefix)) {
        reader.lookup("huge/tensor");
      }
    });
    assertThat(thrown)
        .isInstanceOf(CorruptBundleException.class)
        .hasMessageContaining("huge/tensor")
        .hasMessageContaining(prefix)
        .hasMessageContaining(message);
  }

  static Stream<Arguments> unusableEntries() {
    BundleEntryProto floats = entry(DataType.DT_FLOAT, 2).setSize(8).build();
    byte[] name = IndexBytes.key("huge/tensor");
    return Stream.of(
        Arguments.of("a name that is not UTF-8", entries(new byte[] {'t', (byte) 0xC3}, floats), CorruptBundleException.class, "key 74c3 is not UTF-8"),
        Arguments.of("an unknown dtype", entries(name, floats.toBuilder().setDtypeValue(99).build()), UnsupportedBundleException.class,
            "Unsupported DataType number 99 for tensor huge/tensor"),
        Arguments.of("an unknown rank", entries(name, floats.toBuilder().setShape(TensorShapeProto.newBuilder().setUnknownRank(true)).build()),
            CorruptBundleException.class, "Invalid tensor shape: huge/tensor"),
        Arguments.of("a slice outside the shape", entries(name, entry(DataType.DT_FLOAT, 4)
                .addSlices(TensorSliceProto.newBuilder().addExtent(TensorSliceProto.Extent.newBuilder().setStart(3).setLength(2))).build()),
            CorruptBundleException.class, "Invalid slice of partitioned tensor huge/tensor"),
        Arguments.of("a slice stored with another shape", entries(name, partitioned(2),
                SliceKeys.encode("huge/tensor", TensorSlice.parse("0,2")), entry(DataType.DT_FLOAT, 3).setSize(12).build()),
            CorruptBundleException.class, "Slice 0,2 of huge/tensor has shape [3], expected [2]"));
  }

  /** Listings (shapes, dtypes) and slice assembly rely on these; they fail when the index opens or the tensor is read. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("unusableEntries")
  void entriesNoListingCanShowAreCorruptOrUnsupported(String label, TreeMap<byte[], BundleEntryProto> entries, Class<?> type, String message) {
    writeIndex("/mem/huge/ckpt", BundleHeaders.singleShard(), entries);
    io.put("/mem/huge/ckpt.data-00000-of-00001", new byte[64]);
    assertThatThrownBy(() -> {
      try (BundleReader reader = BundleReader.open(io, "/mem/huge/ckpt")) {
        reader.lookup("huge/tensor");
      }
    }).isInstanceOf(type).hasMessageContaining(message).hasMessageContaining("/mem/huge/ckpt.index");
  }

  @Test
  void headerClaimingTwoBillionShardsIsCorrupt() {
    TreeMap<byte[], BundleEntryProto> entries = new TreeMap<>(UnsignedBytes.ORDER);
    entries.put(IndexBytes.key("t"), entry(DataType.DT_FLOAT, 2).setSize(8).build());
    writeIndex("/mem/shards/ckpt", BundleHeaders.withShards(Integer.MAX_VALUE), entries);
    assertThat(boundedFailure(() -> BundleValidator.validate(io, "/mem/shards/ckpt"))).isNull();
    assertThatThrownBy(() -> BundleReader.open(io, "/mem/shards/ckpt"))
        .isInstanceOf(CorruptBundleException.class)
        .hasMessageContaining("/mem/shards/ckpt.index")
        .hasMessageContaining("num_shards is 2147483647");
    assertThat(BundleValidator.validate(io, "/mem/shards/ckpt").problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("num_shards is 2147483647"));
  }

  // --- helpers

  private static BundleEntryProto.Builder entry(DataType dtype, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long dim : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
    }
    return BundleEntryProto.newBuilder().setDtype(dtype).setShape(shape);
  }

  private static TreeMap<byte[], BundleEntryProto> entries(Object... keysAndEntries) {
    TreeMap<byte[], BundleEntryProto> entries = new TreeMap<>(UnsignedBytes.ORDER);
    for (int i = 0; i < keysAndEntries.length; i += 2) {
      entries.put((byte[]) keysAndEntries[i], (BundleEntryProto) keysAndEntries[i + 1]);
    }
    return entries;
  }

  private static BundleEntryProto partitioned(long elements) {
    return entry(DataType.DT_FLOAT, elements)
        .addSlices(TensorSliceProto.newBuilder().addExtent(TensorSliceProto.Extent.newBuilder().setStart(0).setLength(2)))
        .build();
  }

  private void writeIndex(String prefix, BundleHeaderProto header, TreeMap<byte[], BundleEntryProto> entries) {
    TreeMap<byte[], BundleEntryProto> sorted = new TreeMap<>(UnsignedBytes.ORDER);
    sorted.putAll(entries);
    io.createDirectories(Locations.parent(prefix));
    io.put(prefix + ".index", IndexBytes.index(header, sorted));
  }

  private static IndexBytes.BlockLocation block(byte[] index, String kind) {
    return IndexBytes.blocks(index).stream().filter(b -> b.kind().equals(kind)).findFirst().orElseThrow();
  }

  private BundleEntryProto entryOf(String prefix, String name) throws Exception {
    try (BundleReader reader = BundleReader.open(io, prefix)) {
      return reader.entry(name);
    }
  }

  /** Flips one byte of a tensor's stored bytes, at {@code at} from its start; returns a fresh reader. */
  private BundleReader flipDataByte(String prefix, String name, int at) throws Exception {
    String data = prefix + ".data-00000-of-00001";
    byte[] bytes = io.contents(data);
    bytes[(int) entryOf(prefix, name).getOffset() + at] ^= 0x01;
    io.put(data, bytes);
    return BundleReader.open(io, prefix);
  }

  private static String lastTensor(BundleReader reader) {
    List<String> names = reader.tensorNames();
    return names.stream().max((a, b) -> Long.compare(end(reader, a), end(reader, b))).orElseThrow();
  }

  private static long end(BundleReader reader, String name) {
    try {
      BundleEntryProto entry = reader.entry(name);
      return entry.getOffset() + entry.getSize();
    } catch (KeyNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  /** Runs {@code call}, checks it allocated little, and returns what it threw (or null). */
  private static Throwable boundedFailure(ThrowingCallable call) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    Throwable thrown = catchThrowable(call);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(thrown instanceof OutOfMemoryError).as("the heap was exhausted: %s", thrown).isFalse();
    assertThat(allocated).as("bytes allocated by a read of a hostile index").isLessThan(MAX_ALLOCATION);
    return thrown;
  }
}
