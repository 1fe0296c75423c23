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
  /** Castagnoli's polynomial, bit-reflected. */
  private static final int POLYNOMIAL = 0x82F63B78;

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

  /**
   * The CRC of {@code a ‖ b} from {@code crc(a)}, {@code crc(b)} and the length of {@code b}, so
   * the parts of a buffer can be checksummed on different threads. (Zero-padding the first CRC by
   * {@code lengthB} bytes is a linear map over GF(2), applied by repeated squaring.)
   */
  public static int combine(int crcA, int crcB, long lengthB) {
    if (lengthB <= 0) {
      return crcA;
    }
    int[] even = new int[32];
    int[] odd = new int[32];
    odd[0] = POLYNOMIAL; // the operator for one zero bit
    int row = 1;
    for (int n = 1; n < 32; n++) {
      odd[n] = row;
      row <<= 1;
    }
    square(even, odd); // two zero bits
    square(odd, even); // four zero bits
    int crc = crcA;
    long remaining = lengthB;
    do {
      square(even, odd); // one more zero byte, then doubling
      if ((remaining & 1) != 0) {
        crc = times(even, crc);
      }
      remaining >>>= 1;
      if (remaining == 0) {
        break;
      }
      square(odd, even);
      if ((remaining & 1) != 0) {
        crc = times(odd, crc);
      }
      remaining >>>= 1;
    } while (remaining != 0);
    return crc ^ crcB;
  }

  private static int times(int[] matrix, int vector) {
    int sum = 0;
    for (int i = 0; vector != 0; i++, vector >>>= 1) {
      if ((vector & 1) != 0) {
        sum ^= matrix[i];
      }
    }
    return sum;
  }

  private static void square(int[] square, int[] matrix) {
    for (int n = 0; n < 32; n++) {
      square[n] = times(matrix, matrix[n]);
    }
  }

  /** Renders a checksum as TensorFlow prints it in messages: unsigned decimal. */
  public static String toUnsignedString(int crc) {
    return Integer.toUnsignedString(crc);
  }
}
