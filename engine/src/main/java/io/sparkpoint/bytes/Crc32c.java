package io.sparkpoint.bytes;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli) and the masking TensorFlow applies to every stored checksum.
 *
 * <p>A checksum that is stored next to the data it covers is masked, so that the CRC of a buffer
 * that happens to contain its own CRC does not degenerate. {@code mask(c) = rotr(c, 15) +
 * 0xA282EAD8}.
 */
public final class Crc32c {
  /** Added after the rotation; {@code mask(0)} equals this constant. */
  static final int MASK_DELTA = 0xA282EAD8;

  private Crc32c() {}

  public static int compute(byte[] data) {
    return compute(data, 0, data.length);
  }

  public static int compute(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  /** CRC of the remaining bytes of {@code buffer}; its position is left unchanged. */
  public static int compute(ByteBuffer buffer) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.duplicate());
    return (int) crc.getValue();
  }

  public static int mask(int crc) {
    return Integer.rotateRight(crc, 15) + MASK_DELTA;
  }

  public static int unmask(int masked) {
    return Integer.rotateLeft(masked - MASK_DELTA, 15);
  }

  /** Renders a checksum as TensorFlow prints it in messages: unsigned decimal. */
  public static String toUnsignedString(int crc) {
    return Integer.toUnsignedString(crc);
  }
}
