package io.sparkpoint.fs;

import java.io.IOException;

/** A file to read. Opening does no I/O until {@link #open()}. */
public interface InputFile {
  String location();

  /**
   * @throws java.io.FileNotFoundException when the file does not exist
   */
  long length() throws IOException;

  boolean exists() throws IOException;

  /**
   * The file's modification time, in milliseconds since the epoch.
   *
   * @throws java.io.FileNotFoundException when the file does not exist
   */
  long lastModifiedMillis() throws IOException;

  /** Opens the file for positioned reads. */
  RandomAccessInput open() throws IOException;
}
