package io.sparkpoint.fs;

import java.io.Closeable;
import java.io.IOException;

/** Positioned reads from an open file; safe for concurrent calls unless an implementation says otherwise. */
public interface RandomAccessInput extends Closeable {
  /** The file length when it was opened. */
  long length();

  /**
   * Reads exactly {@code length} bytes starting at {@code position}.
   *
   * @throws java.io.EOFException when the file ends first
   */
  void readFully(long position, byte[] buffer, int offset, int length) throws IOException;

  /**
   * Checks that {@code count} bytes at {@code position} lie inside a file of {@code fileLength} bytes.
   *
   * @throws java.io.EOFException naming the file when they do not
   */
  static void checkRange(String location, long fileLength, long position, int count) throws java.io.EOFException {
    if (position < 0 || count < 0 || position > fileLength - count) {
      throw new java.io.EOFException(
          "Cannot read " + count + " bytes at offset " + position + " of " + location + " (" + fileLength + " bytes)");
    }
  }

  /** An input over bytes held in memory, named {@code location} in errors; closing it does nothing. */
  static RandomAccessInput ofBytes(String location, byte[] data) {
    return new RandomAccessInput() {
      @Override
      public long length() {
        return data.length;
      }

      @Override
      public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
        checkRange(location, data.length, position, length);
        System.arraycopy(data, (int) position, buffer, offset, length);
      }

      @Override
      public void close() {}
    };
  }

  default byte[] readFully(long position, int length) throws IOException {
    byte[] buffer = new byte[length];
    readFully(position, buffer, 0, length);
    return buffer;
  }
}
