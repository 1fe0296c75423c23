package io.sparkpoint.checkpoint;

import java.io.IOException;

/** A state file that exists but cannot be used; the message names the file. */
public final class InvalidCheckpointStateException extends IOException {
  public InvalidCheckpointStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
