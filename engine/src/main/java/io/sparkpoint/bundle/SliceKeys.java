package io.sparkpoint.bundle;

import io.sparkpoint.tensor.TensorSlice;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The index key under which one slice of a partitioned tensor is stored: TensorFlow's OrderedCode
 * of (0, name, rank, start and length of every dimension). The leading 0 byte makes slice keys
 * sort before every tensor name.
 */
public final class SliceKeys {
  private SliceKeys() {}

  /** True when an index key is a slice key rather than a tensor name. */
  public static boolean isSliceKey(byte[] key) {
    return key.length > 0 && key[0] == 0;
  }

  public static byte[] encode(String name, TensorSlice slice) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeNumIncreasing(out, 0);
    writeString(out, name.getBytes(StandardCharsets.UTF_8));
    writeNumIncreasing(out, slice.rank());
    for (int d = 0; d < slice.rank(); d++) {
      writeSignedNumIncreasing(out, slice.isFullDim(d) ? 0 : slice.start(d));
      writeSignedNumIncreasing(out, slice.isFullDim(d) ? -1 : slice.length(d));
    }
    return out.toByteArray();
  }

  /** Unsigned: a length byte, then the significant bytes big-endian. */
  static void writeNumIncreasing(ByteArrayOutputStream out, long value) {
    int length = (64 - Long.numberOfLeadingZeros(value) + 7) / 8;
    out.write(length);
    for (int i = length - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)));
    }
  }

  /** 0x00 and 0xff are escaped; the string ends with 00 01. */
  static void writeString(ByteArrayOutputStream out, byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        out.write(0);
        out.write(0xFF);
      } else if (b == (byte) 0xFF) {
        out.write(0xFF);
        out.write(0);
      } else {
        out.write(b);
      }
    }
    out.write(0);
    out.write(1);
  }

  /**
   * Signed and order-preserving: the byte count n grows with the magnitude and is encoded in the
   * leading bits (1, 11, 111, … for positives; their complement for negatives).
   */
  static void writeSignedNumIncreasing(ByteArrayOutputStream out, long value) {
    long magnitude = value < 0 ? ~value : value;
    int bits = 64 - Long.numberOfLeadingZeros(magnitude);
    int length = bits / 7 + 1;
    byte[] buffer = new byte[10];
    long extended = value;
    for (int i = 9; i >= 2; i--) {
      buffer[i] = (byte) extended;
      extended >>= 8;
    }
    byte sign = (byte) (value < 0 ? 0xFF : 0);
    buffer[0] = sign;
    buffer[1] = sign;
    // Length header: n leading one-bits (positive) over the first bytes of the kept range.
    int start = 10 - length;
    if (length <= 8) {
      buffer[start] ^= (byte) (0xFF << (8 - length));
    } else {
      buffer[start] ^= (byte) 0xFF;
      buffer[start + 1] ^= (byte) (0xFF << (16 - length));
    }
    out.write(buffer, start, length);
  }
}
