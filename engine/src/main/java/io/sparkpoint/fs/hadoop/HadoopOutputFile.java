package io.sparkpoint.fs.hadoop;

import io.sparkpoint.fs.OutputFile;
import io.sparkpoint.fs.PositionOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

final class HadoopOutputFile implements OutputFile {
  /** Large enough that a 16 MiB tensor needs few system calls. */
  private static final int BUFFER_BYTES = 1 << 20;

  private final FileSystem fs;
  private final Path path;
  private final String location;

  HadoopOutputFile(FileSystem fs, Path path, String location) {
    this.fs = fs;
    this.path = path;
    this.location = location;
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public PositionOutputStream create() throws IOException {
    return open(false /* keep existing */);
  }

  @Override
  public PositionOutputStream createOrOverwrite() throws IOException {
    return open(true /* overwrite */);
  }

  private PositionOutputStream open(boolean overwrite) throws IOException {
    Path parent = path.getParent();
    if (parent != null && !fs.exists(parent)) {
      // Like TensorFlow, never create missing parents implicitly.
      throw new FileNotFoundException(parent + "; No such file or directory");
    }
    if (!overwrite && fs.exists(path)) {
      throw new FileAlreadyExistsException(location);
    }
    FSDataOutputStream out =
        fs.create(path, overwrite, BUFFER_BYTES, fs.getDefaultReplication(path), fs.getDefaultBlockSize(path));
    return new PositionOutputStream() {
      @Override
      public long position() throws IOException {
        return out.getPos();
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }
}
