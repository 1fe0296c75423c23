package io.sparkpoint.restore;

/**
 * A partial restore that cannot be carried out as asked: dtypes or shapes differ between a target
 * and its source, and neither {@code --reshape} nor {@code --skip-mismatched} covers it. Thrown
 * before anything is written.
 */
public final class RestoreMismatchException extends RuntimeException {
  public RestoreMismatchException(String message) {
    super(message);
  }
}
