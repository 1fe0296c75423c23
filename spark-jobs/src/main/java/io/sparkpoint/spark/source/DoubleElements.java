package io.sparkpoint.spark.source;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.HalfFloats;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Tensor elements as doubles, decoded from their little-endian checkpoint bytes. Every real
 * numeric dtype and bool have such a view (bool as 0 and 1, quantized types as their raw integers,
 * 64-bit integers rounded to the nearest double); strings and complex numbers do not.
 */
final class DoubleElements {
  /**
   * The most values one row can hold: Spark keeps an array in at most 2^31 bytes, 8 per double
   * plus a null bit each.
   */
  static final long MAX_VALUES = 250_000_000L;

  private DoubleElements() {}

  static boolean hasDoubleView(DType dtype) {
    return switch (dtype) {
      case STRING, COMPLEX64, COMPLEX128, RESOURCE, VARIANT -> false;
      default -> true;
    };
  }

  /** Every element of a fixed-width tensor, in row-major order. */
  static double[] all(Tensor tensor) {
    double[] values = new double[Math.toIntExact(tensor.numElements())];
    decode(tensor.dtype(), tensor.data(), values, values.length);
    return values;
  }

  /**
   * Decodes the first {@code count} elements of {@code littleEndian} (from its position, which is
   * left unchanged) into {@code out}.
   */
  static void decode(DType dtype, ByteBuffer littleEndian, double[] out, int count) {
    ByteBuffer in = littleEndian.slice().order(ByteOrder.LITTLE_ENDIAN);
    if (dtype == DType.DOUBLE) {
      in.asDoubleBuffer().get(out, 0, count);
      return;
    }
    if (dtype == DType.FLOAT) {
      FloatBuffer floats = in.asFloatBuffer();
      for (int i = 0; i < count; i++) {
        out[i] = floats.get(i);
      }
      return;
    }
    for (int i = 0; i < count; i++) {
      out[i] = element(dtype, in, i);
    }
  }

  private static double element(DType dtype, ByteBuffer in, int i) {
    return switch (dtype) {
      case HALF -> HalfFloats.halfToFloat(in.getShort(i * 2));
      case BFLOAT16 -> HalfFloats.bfloat16ToFloat(in.getShort(i * 2));
      case FLOAT8_E5M2 -> HalfFloats.halfToFloat((short) (in.get(i) << 8)); // the top byte of a float16
      case FLOAT8_E4M3FN -> float8e4m3fn(in.get(i));
      case INT8, QINT8 -> in.get(i);
      case UINT8, QUINT8, BOOL -> in.get(i) & 0xFF;
      case INT4 -> (in.get(i) << 28) >> 28; // the low nibble, sign-extended
      case UINT4 -> in.get(i) & 0x0F;
      case INT16, QINT16 -> in.getShort(i * 2);
      case UINT16, QUINT16 -> in.getShort(i * 2) & 0xFFFF;
      case INT32, QINT32 -> in.getInt(i * 4);
      case UINT32 -> in.getInt(i * 4) & 0xFFFFFFFFL;
      case INT64 -> (double) in.getLong(i * 8);
      case UINT64 -> unsignedToDouble(in.getLong(i * 8));
      default -> throw new IllegalArgumentException("Unsupported dtype " + dtype.pythonName() + ": it has no view as doubles");
    };
  }

  /** float8 e4m3fn: sign, 4 exponent bits (bias 7), 3 mantissa bits; no infinities, S.1111.111 is NaN. */
  static double float8e4m3fn(byte bits) {
    int exponent = (bits >>> 3) & 0x0F;
    int mantissa = bits & 0x07;
    double magnitude;
    if (exponent == 0x0F && mantissa == 0x07) {
      return Double.NaN;
    } else if (exponent == 0) {
      magnitude = mantissa * 0x1p-9; // subnormal: mantissa/8 * 2^(1-7)
    } else {
      magnitude = (1 + mantissa / 8.0) * Math.scalb(1.0, exponent - 7);
    }
    return bits < 0 ? -magnitude : magnitude;
  }

  static double unsignedToDouble(long value) {
    if (value >= 0) {
      return value;
    }
    // Halve (keeping the lowest bit for correct rounding), convert, double.
    return ((value >>> 1) | (value & 1)) * 2.0;
  }
}
