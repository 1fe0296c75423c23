package io.sparkpoint.table;

import io.sparkpoint.fs.RandomAccessInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * Reads a table: the footer and the index block when opened, data blocks on demand. Every block's
 * checksum is verified; sizes are checked against the file length before anything is allocated.
 *
 * <p>Not thread-safe for iteration; {@link #get} may be called from several threads.
 */
public final class TableReader {
  private final RandomAccessInput input;
  private final Block index;

  private TableReader(RandomAccessInput input, Block index) {
    this.input = input;
    this.index = index;
  }

  /**
   * Opens a table; the caller keeps ownership of {@code input}.
   *
   * @throws CorruptTableException when the footer or the index block is invalid
   */
  public static TableReader open(RandomAccessInput input) throws IOException {
    long length = input.length();
    if (length < Footer.LENGTH) {
      throw new CorruptTableException("file is too short to be an sstable");
    }
    Footer footer = Footer.decode(input.readFully(length - Footer.LENGTH, Footer.LENGTH));
    Block index = new Block(BlockReader.read(input, footer.index()));
    return new TableReader(input, index);
  }

  /** The value stored under exactly {@code key}, or null. */
  public byte[] get(byte[] key) throws IOException {
    Block.Iterator indexIterator = index.iterator();
    indexIterator.seek(key);
    if (!indexIterator.valid()) {
      return null;
    }
    Block.Iterator dataIterator = dataBlock(indexIterator.value()).iterator();
    dataIterator.seek(key);
    if (dataIterator.valid() && java.util.Arrays.equals(dataIterator.key(), key)) {
      return dataIterator.value();
    }
    return null;
  }

  /** Calls {@code visitor} with every entry in key order. */
  public void forEach(EntryVisitor visitor) throws IOException {
    Block.Iterator indexIterator = index.iterator();
    for (indexIterator.seekToFirst(); indexIterator.valid(); indexIterator.next()) {
      Block.Iterator dataIterator = dataBlock(indexIterator.value()).iterator();
      for (dataIterator.seekToFirst(); dataIterator.valid(); dataIterator.next()) {
        visitor.visit(dataIterator.key(), dataIterator.value());
      }
    }
  }

  /** Like {@link #forEach} for visitors that cannot fail. */
  public void forEachEntry(BiConsumer<byte[], byte[]> visitor) throws IOException {
    forEach(visitor::accept);
  }

  private Block dataBlock(byte[] encodedHandle) throws IOException {
    BlockHandle handle = BlockHandle.decode(ByteBuffer.wrap(encodedHandle));
    return new Block(BlockReader.read(input, handle));
  }

  /** Receives table entries; may throw to stop the walk. */
  @FunctionalInterface
  public interface EntryVisitor {
    void visit(byte[] key, byte[] value) throws IOException;
  }
}
