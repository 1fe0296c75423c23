package io.sparkpoint.kernels;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.HalfFloats;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * Element values of the real-number dtypes, read as double or long and written back with C++'s
 * conversions: integers wrap to their width, floats round to their precision.
 */
public final class Numbers {
  public static final Set<DType> FLOATING = Set.of(DType.FLOAT, DType.DOUBLE, DType.HALF, DType.BFLOAT16);
  public static final Set<DType> INTEGERS = Set.of(DType.INT8, DType.INT16, DType.INT32, DType.INT64,
      DType.UINT8, DType.UINT16, DType.UINT32, DType.UINT64);
  /** {@link #FLOATING} and {@link #INTEGERS}: TF's real-number types. */
  public static final Set<DType> REAL =
      Set.copyOf(java.util.stream.Stream.concat(FLOATING.stream(), INTEGERS.stream()).toList());

  private Numbers() {}

  /** Float and integer dtypes (no bool, complex, quantized or string). */
  public static boolean isReal(DType type) {
    return FLOATING.contains(type) || INTEGERS.contains(type);
  }

  /** Element i as a double; uint64 is read unsigned. */
  public static double doubleAt(Tensor tensor, long i) {
    if (tensor.dtype() == DType.UINT64) {
      long bits = tensor.longAt(i);
      return bits >= 0 ? bits : new BigInteger(Long.toUnsignedString(bits)).doubleValue();
    }
    return tensor.doubleAt(i);
  }

  /** A value rounded to the precision of a float dtype (identity for double and integer types). */
  public static double round(DType type, double value) {
    return switch (type) {
      case FLOAT -> (float) value;
      case HALF -> HalfFloats.halfToFloat(HalfFloats.floatToHalf((float) value));
      case BFLOAT16 -> HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16((float) value));
      default -> value;
    };
  }

  /** Writes a float value into a float dtype, or truncated toward zero into an integer or bool dtype. */
  public static void putDouble(ByteBuffer out, DType type, double value) {
    switch (type) {
      case FLOAT -> out.putFloat((float) value);
      case DOUBLE -> out.putDouble(value);
      case HALF -> out.putShort(HalfFloats.floatToHalf((float) value));
      case BFLOAT16 -> out.putShort(HalfFloats.floatToBfloat16((float) value));
      case BOOL -> out.put((byte) (value != 0 ? 1 : 0));
      case UINT64 -> putLong(out, type, value >= 0x1p63 ? (long) (value - 0x1p63) ^ Long.MIN_VALUE : (long) value);
      default -> putLong(out, type, (long) value);
    }
  }

  /** Writes an integer value: wrapped to an integer dtype's width, converted to a float dtype. */
  public static void putLong(ByteBuffer out, DType type, long value) {
    switch (type) {
      case INT8, UINT8 -> out.put((byte) value);
      case INT16, UINT16 -> out.putShort((short) value);
      case INT32, UINT32 -> out.putInt((int) value);
      case INT64, UINT64 -> out.putLong(value);
      case BOOL -> out.put((byte) (value != 0 ? 1 : 0));
      case FLOAT -> out.putFloat((float) value);
      default -> putDouble(out, type, (double) value);
    }
  }

  /** A little-endian buffer for {@code count} elements of a fixed-width dtype. */
  public static ByteBuffer allocate(DType type, long count) {
    return ByteBuffer.allocate(Math.toIntExact(Math.multiplyExact(count, (long) type.byteWidth())))
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The tensor of a filled buffer. */
  public static Tensor tensor(DType type, Shape shape, ByteBuffer filled) {
    filled.clear();
    return Tensor.wrap(type, shape, filled);
  }

  /** A value as TF prints it in messages: 3 for integral values, 0.5 otherwise. */
  public static String format(double value) {
    return value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value) : Double.toString(value);
  }
}
