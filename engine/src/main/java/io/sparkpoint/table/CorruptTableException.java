package io.sparkpoint.table;

import java.io.IOException;

/**
 * The table's bytes are not a valid table. Messages are short and name no file (the caller knows
 * the file and adds it): "block checksum mismatch", "bad block handle", "not an sstable (bad magic
 * number)".
 */
public final class CorruptTableException extends IOException {
  public CorruptTableException(String message) {
    super(message);
  }

  public CorruptTableException(String message, Throwable cause) {
    super(message, cause);
  }
}
