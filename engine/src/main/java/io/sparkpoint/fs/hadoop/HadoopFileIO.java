package io.sparkpoint.fs.hadoop;

import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.InputFile;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.fs.OutputFile;
import io.sparkpoint.fs.SupportsDirectories;
import io.sparkpoint.fs.SupportsRename;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * FileIO over Hadoop's FileSystem API: {@code file://}, {@code hdfs://}, {@code s3a://} and any
 * other scheme the configuration knows. Plain paths resolve against {@code fs.defaultFS}.
 *
 * <p>The local filesystem is used raw, without {@code .crc} side files. Renames: on HDFS and the
 * local filesystem a rename is atomic, including a replacing rename; on object stores it is a copy,
 * so a commit there is only as atomic as the store allows.
 */
public final class HadoopFileIO implements FileIO, SupportsRename, SupportsDirectories {
  private final Configuration conf;
  /** The local filesystem goes through NIO channels: faster than Hadoop's streams, same semantics. */
  private final LocalFileIO local = new LocalFileIO();

  public HadoopFileIO(Configuration conf) {
    this.conf = conf;
  }

  /** A FileIO with a default configuration; plain paths are local files. */
  public static HadoopFileIO withDefaults() {
    return new HadoopFileIO(new Configuration());
  }

  /** One shared FileIO with a default configuration, made on first use (a Configuration is not free). */
  public static HadoopFileIO shared() {
    return Shared.IO;
  }

  private static final class Shared {
    static final HadoopFileIO IO = withDefaults();
  }

  FileSystem fileSystem(Path path) {
    try {
      FileSystem fs = path.getFileSystem(conf);
      return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot get a filesystem for " + path, e);
    }
  }

  @Override
  public InputFile newInputFile(String location) {
    Path path = new Path(location);
    FileSystem fs = fileSystem(path);
    if (fs instanceof RawLocalFileSystem raw) {
      return local.newInputFile(raw.pathToFile(path).getPath());
    }
    return new HadoopInputFile(fs, path, location);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    Path path = new Path(location);
    FileSystem fs = fileSystem(path);
    if (fs instanceof RawLocalFileSystem raw) {
      return local.newOutputFile(raw.pathToFile(path).getPath());
    }
    return new HadoopOutputFile(fs, path, location);
  }

  @Override
  public boolean deleteFile(String location) {
    Path path = new Path(location);
    try {
      return fileSystem(path).delete(path, false /* not recursive */);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + location, e);
    }
  }

  @Override
  public void renameNoReplace(String from, String to) throws IOException {
    Path source = new Path(from);
    Path target = new Path(to);
    FileSystem fs = fileSystem(source);
    if (fs.exists(target)) {
      throw new FileAlreadyExistsException(to);
    }
    if (!fs.rename(source, target)) {
      throw new IOException("Cannot rename " + from + " to " + to + ": the filesystem refused");
    }
  }

  @Override
  public void renameReplacing(String from, String to) throws IOException {
    Path source = new Path(from);
    Path target = new Path(to);
    FileSystem fs = fileSystem(source);
    if (fs instanceof DistributedFileSystem dfs) {
      dfs.rename(source, target, Options.Rename.OVERWRITE);
      return;
    }
    if (fs.rename(source, target)) {
      return; // the local filesystem replaces atomically (rename(2))
    }
    if (!fs.exists(source)) {
      throw new FileNotFoundException(from + "; No such file or directory");
    }
    // Object stores: no atomic replace exists; delete, then rename.
    fs.delete(target, false /* not recursive */);
    if (!fs.rename(source, target)) {
      throw new IOException("Cannot rename " + from + " to " + to + ": the filesystem refused");
    }
  }

  @Override
  public boolean isDirectory(String location) throws IOException {
    Path path = new Path(location);
    try {
      return fileSystem(path).getFileStatus(path).isDirectory();
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  @Override
  public void createDirectories(String location) throws IOException {
    Path path = new Path(location);
    if (!fileSystem(path).mkdirs(path)) {
      throw new IOException("Cannot create directory " + location);
    }
  }

  @Override
  public List<String> list(String directory) throws IOException {
    Path path = new Path(directory);
    FileStatus[] statuses;
    try {
      statuses = fileSystem(path).listStatus(path);
    } catch (FileNotFoundException e) {
      return List.of();
    }
    String base = directory.endsWith("/") ? directory : directory + "/";
    List<String> children = new ArrayList<>(statuses.length);
    for (FileStatus status : statuses) {
      children.add(base + status.getPath().getName());
    }
    children.sort(String::compareTo);
    return children;
  }

  @Override
  public boolean deleteDirectory(String location) throws IOException {
    Path path = new Path(location);
    return fileSystem(path).delete(path, true /* recursive */);
  }

  @Override
  public String toString() {
    return "HadoopFileIO" + Arrays.toString(new String[] {conf.get("fs.defaultFS")});
  }
}
