package io.sparkpoint.saver;

/** A save or restore that failed, in TensorFlow's words where it has them. */
public final class SaverException extends RuntimeException {
  public SaverException(String message, Throwable cause) {
    super(message, cause);
  }

  public SaverException(String message) {
    super(message);
  }
}
