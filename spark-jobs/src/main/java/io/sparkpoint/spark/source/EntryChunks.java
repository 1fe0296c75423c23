package io.sparkpoint.spark.source;

import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.CorruptBundleException;
import io.sparkpoint.bytes.Crc32c;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.RandomAccessInput;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Streams the stored bytes of fixed-width index entries (whole tensors or slices) chunk by chunk,
 * so a pass over a tensor of any size holds one chunk in memory. The entry's CRC32C is checked once
 * every byte has passed; a mismatch fails with the bundle reader's wording, naming tensor and file.
 * The data file last read stays open until another is needed or {@link #close()}: a task reads
 * one data file, except for partitioned tensors whose slices lie in several. Not thread-safe.
 */
final class EntryChunks implements Closeable {
  /** Bytes per chunk: a multiple of every element width. */
  static final int CHUNK_BYTES = 1 << 20;

  /** Receives one chunk of little-endian elements; the buffer is reused afterwards. */
  interface Consumer {
    void accept(ByteBuffer littleEndian);
  }

  private final FileIO io;
  private final String prefix;
  private final int numShards;
  /** The open data file and its shard; -1 before the first read. */
  private int openShard = -1;
  private RandomAccessInput openFile;
  private byte[] chunk;

  EntryChunks(FileIO io, String prefix, int numShards) {
    this.io = io;
    this.prefix = prefix;
    this.numShards = numShards;
  }

  /**
   * Feeds every byte of {@code entry} to {@code consumer}, in chunks of whole elements.
   *
   * @param tensor how errors name the entry: the tensor, and the slice for a slice entry
   * @throws CorruptBundleException when the entry does not fit its data file or its checksum does not match
   */
  void stream(String tensor, BundleEntryProto entry, Consumer consumer) throws IOException {
    DType dtype = DType.fromNumber(entry.getDtypeValue());
    if (!dtype.isFixedWidth()) {
      throw new IllegalArgumentException("Cannot stream " + dtype.pythonName() + " tensor " + tensor + ": only fixed-width tensors stream");
    }
    String indexFile = BundleNaming.indexFile(prefix);
    long expected = Tensor.byteSize(dtype, Shape.fromProto(entry.getShape()));
    if (entry.getSize() != expected) {
      throw new CorruptBundleException(
          "Invalid size in bundle entry: key " + tensor + "; stored size " + entry.getSize() + "; expected size " + expected + " (" + indexFile + ")");
    }
    int shard = entry.getShardId();
    if (shard < 0 || shard >= numShards) {
      throw new CorruptBundleException(
          "Invalid shard_id " + shard + " for tensor " + tensor + " in " + indexFile + ": the header says " + numShards + " shards");
    }
    String file = BundleNaming.dataFile(prefix, shard, numShards);
    RandomAccessInput input = dataFile(shard, file);
    long offset = entry.getOffset();
    long size = entry.getSize();
    if (offset < 0 || offset > input.length() || size > input.length() - offset) {
      throw new CorruptBundleException(
          "Entry for tensor " + tensor + " points outside " + file + ": offset " + offset + " + size " + size + " > file length " + input.length());
    }
    if (chunk == null) {
      chunk = new byte[CHUNK_BYTES];
    }
    CRC32C crc = new CRC32C();
    for (long done = 0; done < size; ) {
      int n = (int) Math.min(chunk.length, size - done);
      input.readFully(offset + done, chunk, 0, n);
      crc.update(chunk, 0, n);
      consumer.accept(ByteBuffer.wrap(chunk, 0, n).slice().order(ByteOrder.LITTLE_ENDIAN));
      done += n;
    }
    int stored = Crc32c.unmask(entry.getCrc32C());
    int actual = (int) crc.getValue();
    if (actual != stored) {
      throw new CorruptBundleException(String.format(
          "Checksum does not match for tensor %s in %s (%d bytes): stored %08x vs. calculated on the restored bytes %08x",
          tensor, file, size, stored, actual));
    }
  }

  private RandomAccessInput dataFile(int shard, String file) throws IOException {
    if (shard != openShard) {
      close();
      openFile = io.newInputFile(file).open();
      openShard = shard;
    }
    return openFile;
  }

  @Override
  public void close() throws IOException {
    RandomAccessInput input = openFile;
    openFile = null;
    openShard = -1;
    if (input != null) {
      input.close();
    }
  }
}
