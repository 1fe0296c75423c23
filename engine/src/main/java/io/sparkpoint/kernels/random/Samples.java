package io.sparkpoint.kernels.random;

/**
 * Turns random 32-bit words into numbers as TensorFlow's CPU kernels do: uniform floats and doubles
 * from mantissa bits, and standard normals by the Box-Muller transform. Every operation is rounded
 * where TF's C++ rounds it. TF takes log, sin and cos from the C library (glibc's logf and sincosf
 * for float, which are not always correctly rounded); here they come from {@link Math}, computed in
 * double and rounded once, so a normal may differ from TF's in its last bit or two now and then
 * (see RandomKernels).
 */
final class Samples {
  /** The smallest uniform Box-Muller takes the log of (TF's epsilon). */
  private static final float FLOAT_EPSILON = 1.0e-7f;
  private static final double DOUBLE_EPSILON = 1.0e-7;

  private Samples() {}

  /** A float in [0, 1): the word's low 23 bits as the mantissa of a number in [1, 2), minus 1. */
  static float uint32ToFloat(int word) {
    return Float.intBitsToFloat(0x3F800000 | (word & 0x7FFFFF)) - 1.0f;
  }

  /** A double in [0, 1): 52 mantissa bits, the high 20 from {@code high} and all 32 of {@code low}. */
  static double uint64ToDouble(int high, int low) {
    long mantissa = ((high & 0xFFFFFL) << 32) | (low & 0xFFFFFFFFL);
    return Double.longBitsToDouble(0x3FF0000000000000L | mantissa) - 1.0;
  }

  /** A float16 value in [0, 1): the word's low 10 bits as the mantissa (exact in float). */
  static float uint16ToHalf(int word) {
    return (word & 0x3FF) * 0x1p-10f;
  }

  /** A bfloat16 value in [0, 1): the word's low 7 bits as the mantissa (exact in float). */
  static float uint16ToBfloat16(int word) {
    return (word & 0x7F) * 0x1p-7f;
  }

  /** Two independent standard normals from two words, in float arithmetic, into {@code out[0..1]}. */
  static void boxMullerFloat(int x0, int x1, float[] out) {
    float u1 = Math.max(uint32ToFloat(x0), FLOAT_EPSILON);
    // 2 * M_PI is a double in C++, so the angle is computed in double and rounded to float
    float angle = (float) (2.0 * Math.PI * uint32ToFloat(x1));
    float radius = (float) Math.sqrt(-2.0f * (float) Math.log(u1));
    out[0] = (float) Math.sin(angle) * radius;
    out[1] = (float) Math.cos(angle) * radius;
  }

  /** Two independent standard normals from four words, in double arithmetic, into {@code out[0..1]}. */
  static void boxMullerDouble(int x0, int x1, int x2, int x3, double[] out) {
    double u1 = Math.max(uint64ToDouble(x0, x1), DOUBLE_EPSILON);
    double angle = 2.0 * Math.PI * uint64ToDouble(x2, x3);
    double radius = Math.sqrt(-2.0 * Math.log(u1));
    out[0] = Math.sin(angle) * radius;
    out[1] = Math.cos(angle) * radius;
  }
}
