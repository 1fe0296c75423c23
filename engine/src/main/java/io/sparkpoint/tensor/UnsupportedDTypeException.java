package io.sparkpoint.tensor;

/** A dtype Sparkpoint cannot handle in the requested way (resource, variant, an unknown number). */
public final class UnsupportedDTypeException extends RuntimeException {
  public UnsupportedDTypeException(String message) {
    super(message);
  }
}
