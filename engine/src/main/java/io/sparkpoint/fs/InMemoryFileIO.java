package io.sparkpoint.fs;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * A FileIO held in memory, for tests. Files become visible when their stream is closed.
 * Directories exist implicitly wherever a file lies below them, or when created.
 *
 * <p>Renames can be made to fail with {@link #failRenamesWhen}, to test what a crash between two
 * steps of a commit leaves behind.
 */
public final class InMemoryFileIO implements FileIO, SupportsRename, SupportsDirectories {
  private final Map<String, byte[]> files = new ConcurrentSkipListMap<>();
  private final Map<String, Long> modified = new ConcurrentSkipListMap<>();
  private final TreeSet<String> directories = new TreeSet<>();
  private volatile Predicate<String> renameFailure = target -> false;

  /** Every later rename whose target matches fails with an IOException and changes nothing. */
  public void failRenamesWhen(Predicate<String> targetMatches) {
    this.renameFailure = targetMatches;
  }

  public byte[] contents(String location) {
    byte[] data = files.get(location);
    if (data == null) {
      throw new IllegalArgumentException("Cannot find file " + location);
    }
    return data.clone();
  }

  public void put(String location, byte[] data) {
    files.put(location, data.clone());
    modified.put(location, System.currentTimeMillis());
  }

  /** Sets a file's modification time, for tests of code that reads it. */
  public void setLastModified(String location, long millis) {
    contents(location);
    modified.put(location, millis);
  }

  public List<String> allFiles() {
    return new ArrayList<>(files.keySet());
  }

  @Override
  public InputFile newInputFile(String location) {
    return new InputFile() {
      @Override
      public String location() {
        return location;
      }

      @Override
      public long length() throws IOException {
        return data().length;
      }

      @Override
      public boolean exists() {
        return files.containsKey(location);
      }

      @Override
      public long lastModifiedMillis() throws IOException {
        data();
        return modified.getOrDefault(location, 0L);
      }

      @Override
      public RandomAccessInput open() throws IOException {
        return RandomAccessInput.ofBytes(location, data());
      }

      private byte[] data() throws FileNotFoundException {
        byte[] data = files.get(location);
        if (data == null) {
          throw new FileNotFoundException(location + "; No such file or directory");
        }
        return data;
      }
    };
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return new OutputFile() {
      @Override
      public String location() {
        return location;
      }

      @Override
      public PositionOutputStream create() throws IOException {
        if (files.containsKey(location)) {
          throw new FileAlreadyExistsException(location);
        }
        return createOrOverwrite();
      }

      @Override
      public PositionOutputStream createOrOverwrite() throws IOException {
        String parent = Locations.parent(location);
        if (!parent.isEmpty() && !isDirectory(parent)) {
          throw new FileNotFoundException(parent + "; No such file or directory");
        }
        return new PositionOutputStream() {
          private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
          private boolean closed;

          @Override
          public long position() {
            return buffer.size();
          }

          @Override
          public void write(int b) {
            buffer.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
          }

          @Override
          public void close() {
            if (!closed) {
              closed = true;
              files.put(location, buffer.toByteArray());
              modified.put(location, System.currentTimeMillis());
            }
          }
        };
      }
    };
  }

  @Override
  public boolean deleteFile(String location) {
    modified.remove(location);
    return files.remove(location) != null;
  }

  @Override
  public void renameNoReplace(String from, String to) throws IOException {
    if (files.containsKey(to)) {
      throw new FileAlreadyExistsException(to);
    }
    renameReplacing(from, to);
  }

  @Override
  public synchronized void renameReplacing(String from, String to) throws IOException {
    if (renameFailure.test(to)) {
      throw new IOException("Injected failure renaming " + from + " to " + to);
    }
    byte[] data = files.get(from);
    if (data == null) {
      throw new FileNotFoundException(from + "; No such file or directory");
    }
    files.put(to, data);
    modified.put(to, modified.getOrDefault(from, System.currentTimeMillis()));
    files.remove(from);
    modified.remove(from);
  }

  @Override
  public synchronized boolean isDirectory(String location) {
    String prefix = location.endsWith("/") ? location : location + "/";
    if (location.equals("/") || directories.contains(location)) {
      return true;
    }
    return files.keySet().stream().anyMatch(f -> f.startsWith(prefix));
  }

  @Override
  public synchronized void createDirectories(String location) {
    for (String dir = location; !dir.isEmpty() && !dir.equals("/"); dir = Locations.parent(dir)) {
      directories.add(dir);
    }
  }

  @Override
  public synchronized List<String> list(String directory) {
    String prefix = directory.endsWith("/") ? directory : directory + "/";
    TreeSet<String> children = new TreeSet<>();
    for (String path : files.keySet()) {
      if (path.startsWith(prefix)) {
        String rest = path.substring(prefix.length());
        int slash = rest.indexOf('/');
        children.add(prefix + (slash < 0 ? rest : rest.substring(0, slash)));
      }
    }
    for (String dir : directories) {
      if (dir.startsWith(prefix) && dir.indexOf('/', prefix.length()) < 0) {
        children.add(dir);
      }
    }
    return new ArrayList<>(children);
  }

  @Override
  public synchronized boolean deleteDirectory(String location) {
    String prefix = location.endsWith("/") ? location : location + "/";
    boolean existed = isDirectory(location);
    files.keySet().removeIf(f -> f.startsWith(prefix));
    directories.removeIf(d -> d.equals(location) || d.startsWith(prefix));
    return existed;
  }
}
