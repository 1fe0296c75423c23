package io.sparkpoint.bundle;

import io.sparkpoint.bytes.Crc32c;
import io.sparkpoint.bytes.Varints;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * How a string tensor lies in a data file: every length as a varint, then the masked CRC32C of the
 * lengths (taken over them as fixed-width little-endian integers, not over the varints), then the
 * bytes of every element. The entry's checksum covers the fixed-width lengths, the four stored
 * checksum bytes and the element bytes.
 */
final class StringLayout {
  private StringLayout() {}

  /** The encoded payload and the unmasked CRC the entry stores (masked). */
  record Encoded(byte[] payload, int crc) {}

  static Encoded encode(Tensor tensor) {
    int count = Math.toIntExact(tensor.numElements());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CRC32C crc = new CRC32C();
    byte[][] elements = new byte[count][];
    for (int i = 0; i < count; i++) {
      elements[i] = tensor.string(i);
      Varints.writeVarint64(out, elements[i].length);
      updateFixedLength(crc, elements[i].length);
    }
    byte[] stored = littleEndian(Crc32c.mask((int) crc.getValue()));
    out.writeBytes(stored);
    crc.update(stored);
    for (byte[] element : elements) {
      out.writeBytes(element);
      crc.update(element);
    }
    return new Encoded(out.toByteArray(), (int) crc.getValue());
  }

  /**
   * Decodes a payload read from {@code file} for tensor {@code name}, verifying the length checksum
   * and the entry checksum.
   */
  static Tensor decode(byte[] payload, Shape shape, int storedCrc, String name, String file)
      throws CorruptBundleException {
    int count = Math.toIntExact(shape.numElements());
    ByteBuffer buffer = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    CRC32C crc = new CRC32C();
    long[] lengths = new long[count];
    long total = 0;
    for (int i = 0; i < count; i++) {
      try {
        lengths[i] = Varints.readVarint64(buffer);
      } catch (IllegalArgumentException e) {
        throw new CorruptBundleException(
            "String lengths longer than expected for tensor " + name + " in " + file + " (" + payload.length + " bytes)");
      }
      updateFixedLength(crc, lengths[i]);
      total += lengths[i];
    }
    if (buffer.remaining() < 4) {
      throw new CorruptBundleException("String lengths longer than expected for tensor " + name + " in " + file);
    }
    int storedLengthCrc = buffer.getInt();
    int lengthCrc = Crc32c.mask((int) crc.getValue());
    if (storedLengthCrc != lengthCrc) {
      throw new CorruptBundleException(
          String.format(
              "The length checksum does not match for tensor %s in %s: expected %08x but actual is %08x",
              name, file, storedLengthCrc, lengthCrc));
    }
    if (total != buffer.remaining() || total < 0) {
      throw new CorruptBundleException(
          "Invalid string tensor " + name + " in " + file + ": lengths add up to " + total + " bytes but "
              + buffer.remaining() + " remain");
    }
    crc.update(littleEndian(storedLengthCrc));
    List<byte[]> elements = new ArrayList<>(count);
    for (long length : lengths) {
      byte[] element = new byte[(int) length];
      buffer.get(element);
      crc.update(element);
      elements.add(element);
    }
    int actual = (int) crc.getValue();
    if (actual != storedCrc) {
      throw BundleReader.checksumMismatch(name, file, payload.length, storedCrc, actual);
    }
    return Tensor.ofStrings(shape, elements);
  }

  /** The smallest payload a string tensor of {@code count} elements can have. */
  static long minimumSize(long count) {
    return count + 4;
  }

  private static void updateFixedLength(CRC32C crc, long length) {
    if (length <= 0xFFFFFFFFL) {
      crc.update(littleEndian((int) length));
    } else {
      crc.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array());
    }
  }

  private static byte[] littleEndian(int value) {
    return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
  }
}
