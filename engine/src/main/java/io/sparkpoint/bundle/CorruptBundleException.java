package io.sparkpoint.bundle;

import java.io.IOException;

/**
 * A checkpoint's bytes are damaged (TensorFlow's DataLoss): a checksum mismatch, an entry that
 * points outside its data file, an unparseable index. The message names the file and, where one is
 * involved, the tensor.
 */
public final class CorruptBundleException extends IOException {
  public CorruptBundleException(String message) {
    super(message);
  }

  public CorruptBundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
