package io.sparkpoint.bundle;

import io.sparkpoint.bytes.Crc32c;
import io.sparkpoint.bytes.UnsignedBytes;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.PositionOutputStream;
import io.sparkpoint.fs.SupportsDirectories;
import io.sparkpoint.fs.SupportsRename;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorSlice;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;

/**
 * Writes a single-shard V2 checkpoint at a prefix P: {@code P.data-00000-of-00001} and {@code
 * P.index}, byte-compatible with TensorFlow's SaveV2.
 *
 * <p>Streaming: each tensor's bytes go to the data file as it is added; memory holds only the index
 * entries. Atomic: both files are written under temporary names; {@link #finish()} renames the data
 * file, then writes and renames the index, so {@code P.index} exists only when the data is
 * complete. Without {@link SupportsRename} the final names are written directly.
 *
 * <p>Lifecycle: open until {@link #finish()} or {@link #abandon()}; any other call after that fails.
 * The first I/O error is sticky: every later call reports it. Not thread-safe.
 */
public final class BundleWriter implements Closeable {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Bytes copied per write when streaming a tensor. */
  private static final int COPY_CHUNK_BYTES = 1 << 20;
  /** Tensors at least this large are checksummed on another core while they are written. */
  private static final long PARALLEL_CHECKSUM_BYTES = 4 << 20;
  /** One daemon thread shared by every writer: checksums overlap I/O, they never block shutdown. */
  private static final ExecutorService CHECKSUMS = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "sparkpoint-checksum");
    thread.setDaemon(true);
    return thread;
  });

  private enum State {
    OPEN,
    FINISHED,
    ABANDONED
  }

  private final FileIO io;
  private final String prefix;
  private final String dataFile;
  private final String dataTarget;
  private final String indexTarget;
  private final String indexFile;
  private final PositionOutputStream data;
  private final TreeMap<byte[], BundleEntryProto> entries = new TreeMap<>(UnsignedBytes.ORDER);
  private final byte[] chunk = new byte[COPY_CHUNK_BYTES];
  private State state = State.OPEN;
  private IOException failure;

  private BundleWriter(FileIO io, String prefix) throws IOException {
    this.io = io;
    this.prefix = prefix;
    this.dataTarget = BundleNaming.dataFile(prefix, 0, 1);
    this.indexTarget = BundleNaming.indexFile(prefix);
    boolean useTemp = io instanceof SupportsRename;
    this.dataFile = useTemp ? dataTarget + ".tempstate" + Long.toUnsignedString(RANDOM.nextLong()) : dataTarget;
    this.indexFile = useTemp ? indexTarget + ".tempstate" + Long.toUnsignedString(RANDOM.nextLong()) : indexTarget;
    createDirectory(io, Locations.parent(prefix));
    this.data = io.newOutputFile(dataFile).create();
  }

  /**
   * Starts a checkpoint at {@code prefix}. Like SaveV2, the prefix's directory is created if its own
   * parent exists.
   *
   * @throws FileNotFoundException when the directory's parent is missing
   */
  public static BundleWriter create(FileIO io, String prefix) throws IOException {
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("Invalid checkpoint prefix: empty");
    }
    return new BundleWriter(io, prefix);
  }

  /** The prefix this writer writes. */
  public String prefix() {
    return prefix;
  }

  /**
   * Appends a whole tensor under {@code name}.
   *
   * @throws IllegalArgumentException for an empty or duplicate name
   */
  public void add(String name, Tensor tensor) throws IOException {
    byte[] key = checkNewKey(name);
    tensor.dtype().checkStorable(name);
    entries.put(key, writePayload(name, tensor));
  }

  /**
   * Appends one slice of a partitioned tensor whose full shape is {@code fullShape}. A slice that
   * covers the whole tensor is stored as a plain tensor, as TensorFlow does.
   */
  public void addSlice(String name, Shape fullShape, TensorSlice slice, Tensor sliceTensor) throws IOException {
    checkUsable();
    Shape expected = slice.sliceShape(fullShape);
    if (!expected.equals(sliceTensor.shape())) {
      throw new IllegalArgumentException(
          "Slice in shape_and_slice specification does not match the shape of the tensor to save: slice "
              + slice + " of " + fullShape + " has shape " + expected + ", tensor " + name + " has " + sliceTensor.shape());
    }
    if (slice.coversAll(fullShape)) {
      add(name, sliceTensor);
      return;
    }
    byte[] fullKey = name.getBytes(StandardCharsets.UTF_8);
    BundleEntryProto full = entries.get(fullKey);
    if (full != null && full.getSlicesCount() == 0) {
      throw new IllegalArgumentException("Adding duplicate key: " + name);
    }
    if (full != null && (full.getDtypeValue() != sliceTensor.dtype().number() || !Shape.fromProto(full.getShape()).equals(fullShape))) {
      throw new IllegalArgumentException(
          "Invalid slice of " + name + ": earlier slices have dtype and shape " + DType.fromNumber(full.getDtypeValue()).pythonName()
              + " " + Shape.fromProto(full.getShape()) + ", this one " + sliceTensor.dtype().pythonName() + " " + fullShape);
    }
    byte[] sliceKey = SliceKeys.encode(name, slice);
    if (entries.containsKey(sliceKey)) {
      throw new IllegalArgumentException("Adding duplicate key: " + name + " slice " + slice);
    }
    sliceTensor.dtype().checkStorable(name);
    BundleEntryProto.Builder fullEntry =
        full != null
            ? full.toBuilder()
            : BundleEntryProto.newBuilder().setDtypeValue(sliceTensor.dtype().number()).setShape(fullShape.toProto());
    fullEntry.addSlices(slice.toProto());
    entries.put(sliceKey, writePayload(name, sliceTensor));
    entries.put(fullKey, fullEntry.build());
  }

  /**
   * Copies a tensor's stored payload verbatim from another checkpoint, keeping its checksum. The
   * caller has verified the bytes; {@code entry} carries dtype, shape and crc32c.
   */
  void addVerbatim(byte[] key, BundleEntryProto entry, PayloadSource source) throws IOException {
    checkUsable();
    if (entries.containsKey(key)) {
      throw new IllegalArgumentException("Adding duplicate key: " + new String(key, StandardCharsets.UTF_8));
    }
    try {
      long offset = data.position();
      long remaining = entry.getSize();
      long position = 0;
      while (remaining > 0) {
        int n = (int) Math.min(chunk.length, remaining);
        source.read(position, chunk, n);
        data.write(chunk, 0, n);
        position += n;
        remaining -= n;
      }
      entries.put(key, entry.toBuilder().setShardId(0).setOffset(offset).build());
    } catch (IOException e) {
      throw fail(e);
    }
  }

  /** Adds the metadata-only full entry of a partitioned tensor (no bytes), as a merge input needs. */
  void addPartitionedEntry(String name, BundleEntryProto fullEntry) {
    checkUsable();
    entries.put(name.getBytes(StandardCharsets.UTF_8), fullEntry);
  }

  /** Reads stored bytes by position. */
  interface PayloadSource {
    void read(long position, byte[] buffer, int length) throws IOException;
  }

  /**
   * Completes the checkpoint: data file first, then the index, each renamed into place.
   *
   * @return the number of tensor entries written (slice entries included)
   */
  public int finish() throws IOException {
    checkUsable();
    try {
      data.close();
      if (!dataFile.equals(dataTarget)) {
        ((SupportsRename) io).renameReplacing(dataFile, dataTarget);
      }
      try (OutputStream index = io.newOutputFile(indexFile).create()) {
        IndexWriter.write(index, BundleHeaders.singleShard(), entries);
      }
      if (!indexFile.equals(indexTarget)) {
        ((SupportsRename) io).renameReplacing(indexFile, indexTarget);
      }
      state = State.FINISHED;
      return entries.size();
    } catch (IOException e) {
      io.deleteFile(indexFile);
      if (!dataFile.equals(dataTarget)) {
        io.deleteFile(dataFile); // a temp data file whose rename failed
      }
      throw fail(e);
    }
  }

  /** Stops writing and removes what was written; nothing of the checkpoint remains. Idempotent. */
  public void abandon() {
    if (state != State.OPEN) {
      return;
    }
    state = State.ABANDONED;
    try {
      data.close();
    } catch (IOException ignored) {
      // the file is deleted next
    }
    io.deleteFile(dataFile);
    io.deleteFile(indexFile);
  }

  /** Abandons the checkpoint unless it was finished. */
  @Override
  public void close() {
    abandon();
  }

  private BundleEntryProto writePayload(String name, Tensor tensor) throws IOException {
    BundleEntryProto.Builder entry =
        BundleEntryProto.newBuilder().setDtypeValue(tensor.dtype().number()).setShape(tensor.shape().toProto());
    try {
      long offset = data.position();
      int crc;
      long size;
      if (tensor.dtype() == DType.STRING) {
        StringLayout.Encoded encoded = StringLayout.encode(tensor);
        data.write(encoded.payload());
        crc = encoded.crc();
        size = encoded.payload().length;
      } else {
        ByteBuffer bytes = tensor.data();
        size = bytes.remaining();
        crc = size >= PARALLEL_CHECKSUM_BYTES ? writeWithParallelChecksum(bytes) : writeBuffer(bytes);
      }
      return entry.setOffset(offset).setSize(size).setCrc32C(Crc32c.mask(crc)).build();
    } catch (IOException e) {
      throw fail(e);
    }
  }

  /** Writes the bytes chunk by chunk, checksumming each chunk while it is still in the CPU cache. */
  private int writeBuffer(ByteBuffer bytes) throws IOException {
    CRC32C checksum = new CRC32C();
    if (bytes.hasArray()) {
      byte[] array = bytes.array();
      int end = bytes.arrayOffset() + bytes.limit();
      for (int offset = bytes.arrayOffset() + bytes.position(); offset < end; ) {
        int n = Math.min(COPY_CHUNK_BYTES, end - offset);
        checksum.update(array, offset, n);
        data.write(array, offset, n);
        offset += n;
      }
      return (int) checksum.getValue();
    }
    while (bytes.hasRemaining()) {
      int n = Math.min(chunk.length, bytes.remaining());
      bytes.get(chunk, 0, n);
      checksum.update(chunk, 0, n);
      data.write(chunk, 0, n);
    }
    return (int) checksum.getValue();
  }

  /** Checksums a large tensor on another core while this thread writes it. */
  private int writeWithParallelChecksum(ByteBuffer bytes) throws IOException {
    ByteBuffer view = bytes.duplicate();
    Future<Integer> checksum = CHECKSUMS.submit(() -> {
      CRC32C crc = new CRC32C();
      crc.update(view);
      return (int) crc.getValue();
    });
    try {
      if (bytes.hasArray()) {
        data.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
      } else {
        ByteBuffer copy = bytes.duplicate();
        while (copy.hasRemaining()) {
          int n = Math.min(chunk.length, copy.remaining());
          copy.get(chunk, 0, n);
          data.write(chunk, 0, n);
        }
      }
      return checksum.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while checksumming a tensor for " + prefix);
    } catch (ExecutionException e) {
      throw new IOException("Cannot checksum a tensor for " + prefix, e.getCause());
    } finally {
      checksum.cancel(false);
    }
  }

  private byte[] checkNewKey(String name) {
    checkUsable();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Invalid tensor name: the empty name is reserved for the checkpoint header");
    }
    byte[] key = name.getBytes(StandardCharsets.UTF_8);
    if (entries.containsKey(key)) {
      throw new IllegalArgumentException("Adding duplicate key: " + name);
    }
    return key;
  }

  private void checkUsable() {
    if (state != State.OPEN) {
      throw new IllegalStateException("Cannot write to checkpoint " + prefix + ": the writer is " + state.name().toLowerCase());
    }
    if (failure != null) {
      throw new IllegalStateException("Cannot write to checkpoint " + prefix + ": an earlier write failed", failure);
    }
  }

  private IOException fail(IOException e) {
    failure = e;
    return e;
  }

  /**
   * Creates {@code directory} when its parent exists; TensorFlow's SaveV2 does the same.
   *
   * @throws FileNotFoundException when the parent is missing
   */
  public static void createDirectory(FileIO io, String directory) throws IOException {
    if (directory.isEmpty() || !(io instanceof SupportsDirectories dirs) || dirs.isDirectory(directory)) {
      return;
    }
    String parent = Locations.parent(directory);
    if (!parent.isEmpty() && !dirs.isDirectory(parent)) {
      throw new FileNotFoundException(directory + "; No such file or directory");
    }
    dirs.createDirectories(directory);
  }
}
