package io.sparkpoint.oracle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;

/**
 * SHA-256 of a tensor's canonical bytes. Numeric: element bytes little-endian, row-major
 * (bool one byte 0/1, complex real then imaginary). String: per element an 8-byte little-endian
 * length, then the element's bytes.
 */
final class Canonical {
  private static final int CHUNK = 1 << 20;

  private Canonical() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(MessageDigest md) {
    return HexFormat.of().formatHex(md.digest());
  }

  static String ofBytes(byte[] bytes) {
    MessageDigest md = sha256();
    md.update(bytes);
    return hex(md);
  }

  static String ofStrings(List<byte[]> elements) {
    MessageDigest md = sha256();
    for (byte[] e : elements) {
      updateStringElement(md, e);
    }
    return hex(md);
  }

  static void updateStringElement(MessageDigest md, byte[] e) {
    long n = e.length;
    byte[] len = new byte[8];
    for (int i = 0; i < 8; i++) {
      len[i] = (byte) (n >>> (8 * i));
    }
    md.update(len);
    md.update(e);
  }

  /** Hashes {@code length} bytes of a native tensor buffer in chunks (no full heap copy). */
  static String ofBuffer(ByteDataBuffer buf, long length) {
    MessageDigest md = sha256();
    byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(length, 1))];
    for (long pos = 0; pos < length; ) {
      int n = (int) Math.min(chunk.length, length - pos);
      buf.offset(pos).read(chunk, 0, n);
      md.update(chunk, 0, n);
      pos += n;
    }
    return hex(md);
  }
}
