package io.sparkpoint.bundle;

import java.io.IOException;

/** A valid checkpoint that Sparkpoint cannot read (V1 format, big-endian, variant tensors). */
public final class UnsupportedBundleException extends IOException {
  public UnsupportedBundleException(String message) {
    super(message);
  }
}
