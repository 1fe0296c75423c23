package io.sparkpoint.npy;

import java.io.IOException;

/**
 * A file that is not a {@code .npy} file Sparkpoint can read (bad magic, header or length), or
 * one holding an array it cannot represent (object or structured arrays). The message names the
 * file and says what was expected.
 */
public final class NpyFormatException extends IOException {
  public NpyFormatException(String message) {
    super(message);
  }

  public NpyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
