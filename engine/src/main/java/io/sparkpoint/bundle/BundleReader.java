package io.sparkpoint.bundle;

import io.sparkpoint.bytes.Crc32c;
import io.sparkpoint.bytes.UnsignedBytes;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.RandomAccessInput;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.BundleHeaderProto;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorSlice;
import io.sparkpoint.tensor.UnsupportedDTypeException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;

/**
 * Reads a V2 checkpoint. {@link #open} loads the whole index once; tensors are then read from the
 * data files with positioned reads, each verified against its checksum. Partitioned tensors are
 * reassembled from their slices.
 *
 * <p>Every size in the index is checked against the real file sizes before memory is allocated, so
 * a damaged index yields a {@link CorruptBundleException}, never an OutOfMemoryError.
 *
 * <p>Thread-safe: tensors may be read from several threads at once.
 */
public final class BundleReader implements Closeable {
  /** Bytes read per call when streaming a tensor. */
  private static final int CHUNK_BYTES = 1 << 20;
  /** Entries at least this large are read as two halves in parallel. */
  private static final long PARALLEL_READ_BYTES = 8 << 20;
  /** One daemon thread shared by every reader for the second half of large reads. */
  private static final ExecutorService READERS = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "sparkpoint-read");
    thread.setDaemon(true);
    return thread;
  });

  private final FileIO io;
  private final String prefix;
  private final BundleHeaderProto header;
  /** Every index entry but the header, slice keys included, in key order. */
  private final SortedMap<byte[], BundleEntryProto> entries;
  private SortedMap<String, DType> dtypes;
  private SortedMap<String, Shape> shapes;
  /** Data files opened so far, by shard id. */
  private final Map<Integer, RandomAccessInput> dataFiles = new HashMap<>();

  private BundleReader(FileIO io, String prefix, BundleHeaderProto header, SortedMap<byte[], BundleEntryProto> entries) {
    this.io = io;
    this.prefix = prefix;
    this.header = header;
    this.entries = entries;
  }

  /**
   * Opens the checkpoint at {@code prefix} and loads its index.
   *
   * @throws java.io.FileNotFoundException when {@code prefix.index} does not exist
   * @throws CorruptBundleException when the index is damaged
   * @throws UnsupportedBundleException for checkpoints this version cannot read
   */
  public static BundleReader open(FileIO io, String prefix) throws IOException {
    String indexFile = BundleNaming.indexFile(prefix);
    try (RandomAccessInput input = io.newInputFile(indexFile).open()) {
      BundleIndex contents = BundleIndex.read(input, indexFile);
      return new BundleReader(io, prefix, contents.header(), contents.entries());
    }
  }

  public String prefix() {
    return prefix;
  }

  public BundleHeaderProto header() {
    return header;
  }

  public int numShards() {
    return header.getNumShards();
  }

  /** Tensor names in key order; slice keys are hidden behind their partitioned tensor's name. */
  public List<String> tensorNames() {
    List<String> names = new ArrayList<>();
    for (byte[] key : entries.keySet()) {
      if (!SliceKeys.isSliceKey(key)) {
        names.add(new String(key, StandardCharsets.UTF_8));
      }
    }
    return names;
  }

  /** The raw index entries, slice keys included (for tools that check or copy checkpoints). */
  public SortedMap<byte[], BundleEntryProto> rawEntries() {
    return Collections.unmodifiableSortedMap(entries);
  }

  /** Every tensor's dtype, by name; computed once (the index never changes). */
  public synchronized SortedMap<String, DType> dtypeMap() {
    if (dtypes == null) {
      SortedMap<String, DType> map = new TreeMap<>();
      for (String name : tensorNames()) {
        map.put(name, DType.fromNumber(entries.get(key(name)).getDtypeValue()));
      }
      dtypes = Collections.unmodifiableSortedMap(map);
    }
    return dtypes;
  }

  /** Every tensor's shape (the full shape of partitioned tensors), by name; computed once. */
  public synchronized SortedMap<String, Shape> shapeMap() {
    if (shapes == null) {
      SortedMap<String, Shape> map = new TreeMap<>();
      for (String name : tensorNames()) {
        map.put(name, Shape.fromProto(entries.get(key(name)).getShape()));
      }
      shapes = Collections.unmodifiableSortedMap(map);
    }
    return shapes;
  }

  public boolean contains(String name) {
    return entries.containsKey(key(name));
  }

  /**
   * @throws KeyNotFoundException when the checkpoint has no tensor {@code name}
   */
  public BundleEntryProto entry(String name) throws KeyNotFoundException {
    BundleEntryProto entry = entries.get(key(name));
    if (entry == null) {
      throw new KeyNotFoundException(name, prefix);
    }
    return entry;
  }

  /** Reads a whole tensor, reassembling a partitioned one from its slices. */
  public Tensor lookup(String name) throws IOException {
    BundleEntryProto entry = entry(name);
    if (entry.getSlicesCount() > 0) {
      Shape full = Shape.fromProto(entry.getShape());
      return lookupSlice(name, TensorSlice.full(full.rank()));
    }
    return read(name, entry);
  }

  /** Reads a slice of a tensor, whether it was saved whole or partitioned. */
  public Tensor lookupSlice(String name, TensorSlice slice) throws IOException {
    return SliceAssembler.assemble(this, name, entry(name), slice);
  }

  /**
   * Streams a fixed-width tensor's bytes into {@code destination}, verifying the checksum once all
   * bytes are read. Memory use does not grow with the tensor.
   *
   * @throws IllegalArgumentException when the tensor is a string or partitioned tensor, or does not fit
   */
  public void readInto(String name, ByteBuffer destination) throws IOException {
    BundleEntryProto entry = entry(name);
    Location location = locate(name, entry);
    if (location.dtype() == DType.STRING || entry.getSlicesCount() > 0) {
      throw new IllegalArgumentException("Cannot stream " + name + ": only whole fixed-width tensors stream; use lookup");
    }
    if (destination.remaining() < location.size()) {
      throw new IllegalArgumentException(
          "Cannot read " + name + " (" + location.size() + " bytes) into a buffer with " + destination.remaining() + " bytes left");
    }
    int crc;
    if (destination.hasArray()) {
      // Straight into the caller's array, checksummed while cache-hot; large tensors in two halves at once.
      crc = readChecksummed(location, destination.array(), destination.arrayOffset() + destination.position());
      destination.position(destination.position() + (int) location.size());
    } else {
      CRC32C checksum = new CRC32C();
      byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, Math.max(1, location.size()))];
      for (long done = 0; done < location.size(); ) {
        int n = (int) Math.min(chunk.length, location.size() - done);
        location.input().readFully(location.offset() + done, chunk, 0, n);
        checksum.update(chunk, 0, n);
        destination.put(chunk, 0, n);
        done += n;
      }
      crc = (int) checksum.getValue();
    }
    checkCrc(name, location, crc);
  }

  /** Reads a stored entry's bytes and checks them, without keeping them; for validation. */
  void verifyEntry(String displayName, BundleEntryProto entry) throws IOException {
    Location location = locate(displayName, entry);
    if (location.dtype() == DType.STRING) {
      read(displayName, entry);
      return;
    }
    checkCrc(displayName, location, streamCrc(location, 0, location.size()));
  }

  /**
   * The CRC32C of {@code length} stored bytes of a fixed-width entry from {@code from}, after every
   * check {@link #locate} makes; a validation split into ranges combines the ranges' CRCs.
   */
  int crcOfRange(String displayName, BundleEntryProto entry, long from, long length) throws IOException {
    Location location = locate(displayName, entry);
    if (location.dtype() == DType.STRING) {
      throw new IllegalArgumentException("Cannot checksum a range of string tensor " + displayName + ": its checksum covers decoded lengths");
    }
    if (from < 0 || length < 0 || length > location.size() - from) {
      throw new IllegalArgumentException(
          "Invalid range [" + from + ", " + from + " + " + length + ") of tensor " + displayName + " (" + location.size() + " bytes)");
    }
    return streamCrc(location, from, length);
  }

  /** Reads {@code length} bytes of an entry from {@code from}, a chunk at a time and keeping none, and returns their CRC32C. */
  private static int streamCrc(Location location, long from, long length) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, Math.max(1, length))];
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(chunk.length, length - done);
      location.input().readFully(location.offset() + from + done, chunk, 0, n);
      crc.update(chunk, 0, n);
      done += n;
    }
    return (int) crc.getValue();
  }

  /** Reads the stored bytes of a (non-partitioned) entry into a tensor. */
  Tensor read(String displayName, BundleEntryProto entry) throws IOException {
    Location location = locate(displayName, entry);
    if (location.size() > Integer.MAX_VALUE - 8) {
      throw new UnsupportedBundleException(
          "Cannot hold tensor " + displayName + " of " + location.size() + " bytes in memory; stream it with readInto");
    }
    if (location.dtype() != DType.STRING) {
      byte[] payload = new byte[(int) location.size()];
      checkCrc(displayName, location, readChecksummed(location, payload, 0));
      return Tensor.wrap(location.dtype(), location.shape(), ByteBuffer.wrap(payload));
    }
    byte[] payload = location.input().readFully(location.offset(), (int) location.size());
    if (payload.length == 0) {
      return Tensor.ofStrings(location.shape(), List.of());
    }
    return StringLayout.decode(payload, location.shape(), Crc32c.unmask(entry.getCrc32C()), displayName, location.file());
  }

  /**
   * Reads an entry's bytes into {@code array} at {@code start} and returns their CRC. Large
   * entries are read as two halves at once (the second on a helper thread) and their CRCs combined.
   */
  private static int readChecksummed(Location location, byte[] array, int start) throws IOException {
    long size = location.size();
    if (size < PARALLEL_READ_BYTES) {
      return readRange(location, 0, size, array, start);
    }
    long half = size / 2;
    Future<Integer> second = READERS.submit(() -> readRange(location, half, size - half, array, start + (int) half));
    int first;
    try {
      first = readRange(location, 0, half, array, start);
    } catch (IOException | RuntimeException e) {
      second.cancel(true);
      throw e;
    }
    try {
      return Crc32c.combine(first, second.get(), size - half);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while reading " + location.file());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("Cannot read " + location.file(), e.getCause());
    }
  }

  /** Reads {@code length} bytes at {@code from} within the entry, chunk by chunk, checksumming each. */
  private static int readRange(Location location, long from, long length, byte[] array, int start) throws IOException {
    CRC32C crc = new CRC32C();
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(CHUNK_BYTES, length - done);
      int at = start + (int) done;
      location.input().readFully(location.offset() + from + done, array, at, n);
      crc.update(array, at, n);
      done += n;
    }
    return (int) crc.getValue();
  }

  /** Reads part of an entry's stored bytes, unchecked; for verbatim copies after verification. */
  void readRaw(String displayName, BundleEntryProto entry, long position, byte[] buffer, int length) throws IOException {
    Location location = locate(displayName, entry);
    location.input().readFully(location.offset() + position, buffer, 0, length);
  }

  /** Where an entry's bytes lie, after every check that can be made without reading them. */
  record Location(String file, RandomAccessInput input, long offset, long size, DType dtype, Shape shape, int storedCrc) {}

  Location locate(String name, BundleEntryProto entry) throws IOException {
    DType dtype;
    Shape shape;
    try {
      dtype = DType.fromNumber(entry.getDtypeValue());
      shape = Shape.fromProto(entry.getShape());
    } catch (UnsupportedDTypeException | IllegalArgumentException e) {
      throw new CorruptBundleException("Invalid entry for tensor " + name + " in " + BundleNaming.indexFile(prefix) + ": " + e.getMessage(), e);
    }
    if (!dtype.isStorable()) {
      throw new UnsupportedBundleException("Unsupported dtype " + dtype.pythonName() + " for tensor " + name + " in " + prefix);
    }
    int shard = entry.getShardId();
    if (shard < 0 || shard >= numShards()) {
      throw new CorruptBundleException(
          "Invalid shard_id " + shard + " for tensor " + name + " in " + BundleNaming.indexFile(prefix) + ": the header says " + numShards() + " shards");
    }
    String file = BundleNaming.dataFile(prefix, shard, numShards());
    long size = entry.getSize();
    long offset = entry.getOffset();
    if (dtype.isFixedWidth()) {
      long expected;
      try {
        expected = Tensor.byteSize(dtype, shape);
      } catch (ArithmeticException e) {
        throw new CorruptBundleException(
            "Invalid size in bundle entry: key " + name + "; shape " + shape + " of " + dtype.pythonName() + " holds more than 2^63 bytes ("
                + BundleNaming.indexFile(prefix) + ")");
      }
      if (size != expected) {
        throw new CorruptBundleException(
            "Invalid size in bundle entry: key " + name + "; stored size " + size + "; expected size " + expected + " (" + BundleNaming.indexFile(prefix) + ")");
      }
    } else if ((size != 0 || shape.numElements() > 0) && size - StringLayout.minimumSize(0) < shape.numElements()) {
      throw new CorruptBundleException(
          "Invalid size in bundle entry: key " + name + "; stored size " + size + " is too small for " + shape.numElements() + " strings (" + BundleNaming.indexFile(prefix) + ")");
    }
    RandomAccessInput input = dataFile(shard);
    if (offset < 0 || size < 0 || offset > input.length() || size > input.length() - offset) {
      throw new CorruptBundleException(
          "Entry for tensor " + name + " points outside " + file + ": offset " + offset + " + size " + size + " > file length " + input.length());
    }
    return new Location(file, input, offset, size, dtype, shape, Crc32c.unmask(entry.getCrc32C()));
  }

  private void checkCrc(String name, Location location, int actual) throws CorruptBundleException {
    if (actual != location.storedCrc()) {
      throw checksumMismatch(name, location.file(), location.size(), location.storedCrc(), actual);
    }
  }

  static CorruptBundleException checksumMismatch(String name, String file, long size, int stored, int actual) {
    return new CorruptBundleException(
        String.format(
            "Checksum does not match for tensor %s in %s (%d bytes): stored %08x vs. calculated on the restored bytes %08x",
            name, file, size, stored, actual));
  }

  private synchronized RandomAccessInput dataFile(int shard) throws IOException {
    RandomAccessInput input = dataFiles.get(shard);
    if (input == null) {
      input = io.newInputFile(BundleNaming.dataFile(prefix, shard, numShards())).open();
      dataFiles.put(shard, input);
    }
    return input;
  }

  private static byte[] key(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() throws IOException {
    IOException first = null;
    for (RandomAccessInput input : dataFiles.values()) {
      try {
        input.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    dataFiles.clear();
    if (first != null) {
      throw first;
    }
  }

  /** A key as people can read it: the name, or hex for slice keys and non-UTF-8 bytes. */
  static String printable(byte[] key) {
    return SliceKeys.isSliceKey(key) ? "(slice key " + UnsignedBytes.hex(key) + ")" : new String(key, StandardCharsets.UTF_8);
  }
}
