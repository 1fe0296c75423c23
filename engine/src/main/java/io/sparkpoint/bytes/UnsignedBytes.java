package io.sparkpoint.bytes;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/** Byte-string helpers: the unsigned order TensorFlow's tables sort keys by, and hex rendering. */
public final class UnsignedBytes {
  /** memcmp order: bytes compare as unsigned, a proper prefix sorts first. */
  public static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

  private static final HexFormat HEX = HexFormat.of();

  private UnsignedBytes() {}

  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** Length of the common prefix of {@code a} and {@code b}. */
  public static int commonPrefix(byte[] a, int aLength, byte[] b) {
    int limit = Math.min(aLength, b.length);
    int mismatch = Arrays.mismatch(a, 0, limit, b, 0, limit);
    return mismatch < 0 ? limit : mismatch;
  }
}
