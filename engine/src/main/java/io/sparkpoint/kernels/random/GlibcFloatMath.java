package io.sparkpoint.kernels.random;

/**
 * The single-precision log and sincos of glibc 2.28 and later (the algorithms of Arm's
 * optimized-routines, MIT licensed), which TensorFlow's float Box-Muller calls on Linux: these
 * are not always correctly rounded (about 1% of their results differ from the nearest float by one
 * ulp), so matching TF bit for bit needs their exact steps. Both work in double and round once to
 * float. These steps are glibc's plain build; its FMA build (which x86-64 CPUs with FMA run) fuses
 * the multiply-adds, yet both builds, and this class, agree on every argument Box-Muller can pass
 * (each of the 2^23 uniforms and 2^23 angles, checked against glibc 2.36).
 *
 * <p>Only the arguments Box-Muller passes are supported: {@link #log} takes a float in [2^-126, 1],
 * {@link #sincos} a float in [0, 120).
 */
final class GlibcFloatMath {
  // logf: log(x) = log1p(z/c - 1) + log(c) + k*ln2, x = 2^k z; 16 subintervals of z, each with
  // 1/c and log(c), and a degree-4 polynomial for log1p
  private static final int LOG_TABLE_BITS = 4;
  private static final int LOG_OFF = 0x3f330000;
  private static final double[] LOG_INV_C = {
      0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0,
      0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
      0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
      0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1,
  };
  private static final double[] LOG_C = {
      -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
      -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
      -0x1.252f438e10c1ep-5, 0x0p+0, 0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4,
      0x1.526e57720db08p-3, 0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2, 0x1.4043057b6ee09p-2,
  };
  private static final double LN2 = 0x1.62e42fefa39efp-1;
  private static final double LOG_A0 = -0x1.00ea348b88334p-2;
  private static final double LOG_A1 = 0x1.5575b0be00b6ap-2;
  private static final double LOG_A2 = -0x1.ffffef20a4123p-2;

  // sincosf: reduce by multiples of pi/2 (2/pi pre-scaled by 2^24 so the quadrant lands in the
  // top byte), then a degree-3 sine and degree-4 cosine polynomial in the reduced argument
  private static final double HALF_PI_INV_2_24 = 0x1.45F306DC9C883p+23;
  private static final double HALF_PI = 0x1.921FB54442D18p0;
  private static final double[] COS_POLY = {0x1p0, -0x1.ffffffd0c621cp-2, 0x1.55553e1068f19p-5,
      -0x1.6c087e89a359dp-10, 0x1.99343027bf8c3p-16};
  private static final double[] NEGATED_COS_POLY = java.util.Arrays.stream(COS_POLY).map(c -> -c).toArray();
  private static final double[] SIN_POLY = {-0x1.555545995a603p-3, 0x1.1107605230bc4p-7, -0x1.994eb3774cf24p-13};
  /** Below this (in abstop12 units) sin(y) = y and cos(y) = 1 in float. */
  private static final int TINY_TOP12 = abstop12(0x1p-12f);
  private static final int QUARTER_PI_TOP12 = abstop12((float) 0x1.921FB54442D18p-1);
  private static final int LIMIT_TOP12 = abstop12(120.0f);

  private GlibcFloatMath() {}

  /** glibc's logf for a float in [2^-126, 1]. */
  static float log(float x) {
    int ix = Float.floatToRawIntBits(x);
    if (ix == 0x3f800000) {
      return 0;
    }
    if (ix < 0x00800000 || ix > 0x3f800000) {
      throw new IllegalArgumentException("Invalid argument for logf: " + x + "; expected [2^-126, 1]");
    }
    int tmp = ix - LOG_OFF;
    int i = (tmp >>> (23 - LOG_TABLE_BITS)) % (1 << LOG_TABLE_BITS);
    int k = tmp >> 23;
    double z = Float.intBitsToFloat(ix - (tmp & (0x1ff << 23)));
    double r = z * LOG_INV_C[i] - 1.0;
    double y0 = k * LN2 + LOG_C[i];
    double r2 = r * r;
    double y = LOG_A1 * r + LOG_A2;
    y = LOG_A0 * r2 + y;
    y = y * r2 + (y0 + r);
    return (float) y;
  }

  /** glibc's sincosf for a float in [0, 120): {@code out[0]} = sin(y), {@code out[1]} = cos(y). */
  static void sincos(float y, float[] out) {
    int top = abstop12(y);
    if (y < 0 || top >= LIMIT_TOP12) {
      throw new IllegalArgumentException("Invalid argument for sincosf: " + y + "; expected [0, 120)");
    }
    double x = y;
    if (top < QUARTER_PI_TOP12) {
      if (top < TINY_TOP12) {
        out[0] = y;
        out[1] = 1.0f;
        return;
      }
      poly(x, x * x, COS_POLY, 0, out);
      return;
    }
    int n = ((int) (x * HALF_PI_INV_2_24) + 0x800000) >> 24;
    x = x - n * HALF_PI;
    double sign = (n & 3) == 1 || (n & 3) == 2 ? -1.0 : 1.0;
    poly(x * sign, x * x, (n & 2) != 0 ? NEGATED_COS_POLY : COS_POLY, n, out);
  }

  /**
   * The two polynomials on a reduced argument; {@code cos} is {@link #COS_POLY} or, from the third
   * quadrant on, {@link #NEGATED_COS_POLY}, and an odd quadrant {@code n} swaps sin and cos.
   */
  private static void poly(double x, double x2, double[] cos, int n, float[] out) {
    double x3 = x2 * x;
    double x4 = x2 * x2;
    double s1 = SIN_POLY[1] + x2 * SIN_POLY[2];
    double c2 = cos[3] + x2 * cos[4];
    double c1 = cos[0] + x2 * cos[1];
    double x5 = x3 * x2;
    double x6 = x4 * x2;
    double s = x + x3 * SIN_POLY[0];
    double c = c1 + x4 * cos[2];
    out[n & 1] = (float) (s + x5 * s1);
    out[1 - (n & 1)] = (float) (c + x6 * c2);
  }

  /** The top 12 bits of a float without its sign: exponent and 3 mantissa bits. */
  private static int abstop12(float x) {
    return (Float.floatToRawIntBits(x) >>> 20) & 0x7ff;
  }
}
