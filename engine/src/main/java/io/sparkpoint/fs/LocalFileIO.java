package io.sparkpoint.fs;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * FileIO on the local disk through NIO file channels: positioned reads, writes through one 1 MiB
 * direct buffer, and renames that are atomic (rename(2)). Locations are plain paths or {@code
 * file:} URIs.
 */
public final class LocalFileIO implements FileIO, SupportsRename, SupportsDirectories {
  /** Bytes gathered before one write system call. */
  private static final int WRITE_BUFFER_BYTES = 1 << 20;

  static Path path(String location) {
    if (location.startsWith("file:")) {
      return Paths.get(java.net.URI.create(location.startsWith("file://") ? location : "file://" + location.substring(5)));
    }
    return Paths.get(location);
  }

  @Override
  public InputFile newInputFile(String location) {
    Path path = path(location);
    return new InputFile() {
      @Override
      public String location() {
        return location;
      }

      @Override
      public long length() throws IOException {
        try {
          return Files.size(path);
        } catch (NoSuchFileException e) {
          throw new FileNotFoundException(location + "; No such file or directory");
        }
      }

      @Override
      public boolean exists() {
        return Files.isRegularFile(path);
      }

      @Override
      public long lastModifiedMillis() throws IOException {
        try {
          return Files.getLastModifiedTime(path).toMillis();
        } catch (NoSuchFileException e) {
          throw new FileNotFoundException(location + "; No such file or directory");
        }
      }

      @Override
      public RandomAccessInput open() throws IOException {
        FileChannel channel;
        try {
          channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
          throw new FileNotFoundException(location + "; No such file or directory");
        }
        long length = channel.size();
        return new RandomAccessInput() {
          @Override
          public long length() {
            return length;
          }

          @Override
          public void readFully(long position, byte[] buffer, int offset, int count) throws IOException {
            RandomAccessInput.checkRange(location, length, position, count);
            ByteBuffer target = ByteBuffer.wrap(buffer, offset, count);
            while (target.hasRemaining()) {
              int n = channel.read(target, position + target.position() - offset);
              if (n < 0) {
                throw new EOFException("Unexpected end of " + location + " at offset " + (position + target.position() - offset));
              }
            }
          }

          @Override
          public void close() throws IOException {
            channel.close();
          }
        };
      }
    };
  }

  @Override
  public OutputFile newOutputFile(String location) {
    Path path = path(location);
    return new OutputFile() {
      @Override
      public String location() {
        return location;
      }

      @Override
      public PositionOutputStream create() throws IOException {
        return open(StandardOpenOption.CREATE_NEW);
      }

      @Override
      public PositionOutputStream createOrOverwrite() throws IOException {
        return open(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
      }

      private PositionOutputStream open(StandardOpenOption... options) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
          throw new FileNotFoundException(parent + "; No such file or directory");
        }
        List<StandardOpenOption> all = new ArrayList<>(List.of(options));
        all.add(StandardOpenOption.WRITE);
        try {
          return new ChannelOutputStream(FileChannel.open(path, all.toArray(new StandardOpenOption[0])));
        } catch (FileAlreadyExistsException e) {
          throw new FileAlreadyExistsException(location);
        }
      }
    };
  }

  @Override
  public boolean deleteFile(String location) {
    try {
      return Files.deleteIfExists(path(location));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + location, e);
    }
  }

  @Override
  public void renameNoReplace(String from, String to) throws IOException {
    Path target = path(to);
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(to);
    }
    move(from, target);
  }

  @Override
  public void renameReplacing(String from, String to) throws IOException {
    move(from, path(to));
  }

  private static void move(String from, Path target) throws IOException {
    try {
      Files.move(path(from), target, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException(from + "; No such file or directory");
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(path(from), target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public boolean isDirectory(String location) {
    return Files.isDirectory(path(location));
  }

  @Override
  public void createDirectories(String location) throws IOException {
    Files.createDirectories(path(location));
  }

  @Override
  public List<String> list(String directory) throws IOException {
    Path dir = path(directory);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    String base = directory.endsWith("/") ? directory : directory + "/";
    try (Stream<Path> children = Files.list(dir)) {
      return children.map(p -> base + p.getFileName()).sorted().toList();
    }
  }

  @Override
  public boolean deleteDirectory(String location) throws IOException {
    Path dir = path(location);
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (DirectoryNotEmptyException e) {
          throw new IOException("Cannot delete " + location + ": it changed while being deleted", e);
        }
      }
    }
    return true;
  }

  /** Gathers writes in one direct buffer; each full buffer is one write system call. */
  private static final class ChannelOutputStream extends PositionOutputStream {
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    private long flushed;
    private boolean closed;

    ChannelOutputStream(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public long position() {
      return flushed + buffer.position();
    }

    @Override
    public void write(int b) throws IOException {
      if (!buffer.hasRemaining()) {
        drain();
      }
      buffer.put((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      while (length > 0) {
        if (!buffer.hasRemaining()) {
          drain();
        }
        int n = Math.min(length, buffer.remaining());
        buffer.put(bytes, offset, n);
        offset += n;
        length -= n;
      }
    }

    private void drain() throws IOException {
      buffer.flip();
      while (buffer.hasRemaining()) {
        flushed += channel.write(buffer);
      }
      buffer.clear();
    }

    @Override
    public void flush() throws IOException {
      drain();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        drain();
      } finally {
        channel.close();
      }
    }
  }
}
