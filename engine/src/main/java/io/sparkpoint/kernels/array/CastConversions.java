package io.sparkpoint.kernels.array;

import io.sparkpoint.tensor.DType;

/**
 * Cast's conversions of one float element where Java's and TensorFlow's differ. TensorFlow's CPU
 * kernels are C++ on x86-64: float to integer truncates toward zero, and NaN or a value the
 * hardware conversion cannot represent gives the "integer indefinite" (the lowest value of the
 * 32- or 64-bit conversion), where Java saturates and maps NaN to 0. With {@code Truncate=true}
 * TensorFlow zeroes the low mantissa bits a narrower float type cannot hold before converting,
 * so the value rounds toward zero instead of to nearest.
 */
final class CastConversions {
  private CastConversions() {}

  /**
   * The bits of {@code value} converted to an integer dtype other than uint64, as TensorFlow on
   * x86-64 converts it: 8-, 16- and 32-bit targets (uint32 aside) through the 32-bit conversion,
   * int64 and uint32 through the 64-bit one, then wrapped to the width by the caller's put.
   */
  static long toInteger(double value, DType dst) {
    if (dst == DType.INT64 || dst == DType.UINT32) {
      return value >= -0x1p63 && value < 0x1p63 ? (long) value : Long.MIN_VALUE;
    }
    return value > -0x1p31 - 1 && value < 0x1p31 ? (long) value : Integer.MIN_VALUE;
  }

  /**
   * {@code value} with the low mantissa bits zeroed that {@code dst} lacks, for the pairs
   * TensorFlow truncates (float64 to float32 or float16, float32 to float16 or bfloat16); NaN and
   * every other pair come back unchanged.
   */
  static double truncated(double value, DType src, DType dst) {
    if (Double.isNaN(value)) {
      return value;
    }
    if (src == DType.DOUBLE && (dst == DType.FLOAT || dst == DType.HALF)) {
      int bits = 53 - mantissaWidth(dst);
      return Double.longBitsToDouble(Double.doubleToRawLongBits(value) & (-1L << bits));
    }
    if (src == DType.FLOAT && (dst == DType.HALF || dst == DType.BFLOAT16)) {
      int bits = 24 - mantissaWidth(dst);
      return Float.intBitsToFloat(Float.floatToRawIntBits((float) value) & (-1 << bits));
    }
    return value;
  }

  /** Significand bits, the hidden one included. */
  private static int mantissaWidth(DType type) {
    return switch (type) {
      case FLOAT -> 24;
      case HALF -> 11;
      case BFLOAT16 -> 8;
      default -> 53;
    };
  }

  /** Whether {@link #toInteger} converts float values into {@code dst} (uint64 and bool keep their own rules). */
  static boolean convertsToInteger(DType dst) {
    return switch (dst) {
      case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> true;
      default -> false;
    };
  }
}
