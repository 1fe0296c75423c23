package io.sparkpoint.npy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Hand-made {@code .npy} bytes, built from the format's definition (NumPy's NEP 1), not from our
 * writer: magic, version, little-endian header length, the dict padded with spaces and a newline to
 * a multiple of 64 bytes, then the data.
 */
final class NpyFiles {
  private NpyFiles() {}

  static byte[] npy(String dict, byte[] data) {
    return npy(1, dict, data);
  }

  static byte[] npy(int major, String dict, byte[] data) {
    byte[] header = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int lengthBytes = major == 1 ? 2 : 4;
    int unpadded = 8 + lengthBytes + header.length + 1;
    int padding = (64 - unpadded % 64) % 64;
    ByteBuffer length = ByteBuffer.allocate(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
    if (major == 1) {
      length.putShort((short) (header.length + padding + 1));
    } else {
      length.putInt(header.length + padding + 1);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    out.writeBytes(length.array());
    out.writeBytes(header);
    out.writeBytes(" ".repeat(padding).getBytes(StandardCharsets.US_ASCII));
    out.write('\n');
    out.writeBytes(data);
    return out.toByteArray();
  }

  static String dict(String descr, String shape) {
    return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  }

  static byte[] le(int bytesPerValue, long... values) {
    return pack(ByteOrder.LITTLE_ENDIAN, bytesPerValue, values);
  }

  static byte[] be(int bytesPerValue, long... values) {
    return pack(ByteOrder.BIG_ENDIAN, bytesPerValue, values);
  }

  static byte[] floatsLe(float... values) {
    ByteBuffer out = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      out.putFloat(v);
    }
    return out.array();
  }

  static byte[] doublesBe(double... values) {
    ByteBuffer out = ByteBuffer.allocate(values.length * 8).order(ByteOrder.BIG_ENDIAN);
    for (double v : values) {
      out.putDouble(v);
    }
    return out.array();
  }

  private static byte[] pack(ByteOrder order, int width, long... values) {
    ByteBuffer out = ByteBuffer.allocate(values.length * width).order(order);
    for (long v : values) {
      switch (width) {
        case 1 -> out.put((byte) v);
        case 2 -> out.putShort((short) v);
        case 4 -> out.putInt((int) v);
        default -> out.putLong(v);
      }
    }
    return out.array();
  }
}
