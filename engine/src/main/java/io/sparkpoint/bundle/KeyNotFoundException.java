package io.sparkpoint.bundle;

import java.io.IOException;

/** A tensor name that the checkpoint does not hold, worded as TensorFlow words it. */
public final class KeyNotFoundException extends IOException {
  private final String key;

  public KeyNotFoundException(String key, String prefix) {
    super("Key " + key + " not found in checkpoint " + prefix);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
