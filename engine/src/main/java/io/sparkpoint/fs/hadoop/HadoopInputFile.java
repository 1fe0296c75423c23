package io.sparkpoint.fs.hadoop;

import io.sparkpoint.fs.InputFile;
import io.sparkpoint.fs.RandomAccessInput;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

final class HadoopInputFile implements InputFile {
  private final FileSystem fs;
  private final Path path;
  private final String location;

  HadoopInputFile(FileSystem fs, Path path, String location) {
    this.fs = fs;
    this.path = path;
    this.location = location;
  }

  @Override
  public String location() {
    return location;
  }

  @Override
  public long length() throws IOException {
    try {
      return fs.getFileStatus(path).getLen();
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException(location + "; No such file or directory");
    }
  }

  @Override
  public boolean exists() throws IOException {
    return fs.exists(path);
  }

  @Override
  public long lastModifiedMillis() throws IOException {
    try {
      return fs.getFileStatus(path).getModificationTime();
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException(location + "; No such file or directory");
    }
  }

  @Override
  public RandomAccessInput open() throws IOException {
    long length = length();
    FSDataInputStream stream = fs.open(path);
    return new RandomAccessInput() {
      @Override
      public long length() {
        return length;
      }

      @Override
      public void readFully(long position, byte[] buffer, int offset, int count) throws IOException {
        RandomAccessInput.checkRange(location, length, position, count);
        stream.readFully(position, buffer, offset, count);
      }

      @Override
      public void close() throws IOException {
        stream.close();
      }
    };
  }
}
