package io.sparkpoint.kernels.random;

import io.sparkpoint.tensor.DType;

/**
 * The distributions of TensorFlow's random ops, per dtype: uniform [0, 1), standard normal,
 * normal truncated to (-2, 2), and uniform integers in [lo, hi). 32-bit dtypes (and float16 and
 * bfloat16, which TF samples as floats and rounds) make four elements per block, 64-bit ones two.
 */
final class Distributions {
  /** Truncated normals are redrawn until their magnitude is below this. */
  private static final float TRUNCATE_AT = 2.0f;

  private Distributions() {}

  /** RandomUniform: each element from one word (two for float64). */
  static Distribution uniform(DType dtype) {
    return Distribution.fixed(dtype, switch (dtype) {
      case DOUBLE -> (words, out, count) -> {
        for (int i = 0; i < count; i++) {
          out.putDouble(Samples.uint64ToDouble(words.next(), words.next()));
        }
      };
      case HALF -> (words, out, count) -> {
        for (int i = 0; i < count; i++) {
          Distribution.putFloat(out, dtype, Samples.uint16ToHalf(words.next()));
        }
      };
      case BFLOAT16 -> (words, out, count) -> {
        for (int i = 0; i < count; i++) {
          Distribution.putFloat(out, dtype, Samples.uint16ToBfloat16(words.next()));
        }
      };
      default -> (words, out, count) -> {
        for (int i = 0; i < count; i++) {
          Distribution.putFloat(out, dtype, Samples.uint32ToFloat(words.next()));
        }
      };
    });
  }

  /** RandomStandardNormal: Box-Muller pairs, from two words in float (float16, bfloat16) or four in float64. */
  static Distribution normal(DType dtype) {
    if (dtype == DType.DOUBLE) {
      return Distribution.fixed(dtype, (words, out, count) -> {
        double[] pair = new double[2];
        Samples.boxMullerDouble(words.next(), words.next(), words.next(), words.next(), pair);
        for (int i = 0; i < count; i++) {
          out.putDouble(pair[i]);
        }
      });
    }
    return Distribution.fixed(dtype, (words, out, count) -> {
      float[] pair = new float[2];
      for (int i = 0; i < count; i += 2) {
        Samples.boxMullerFloat(words.next(), words.next(), pair);
        Distribution.putFloat(out, dtype, pair[0]);
        if (i + 1 < count) {
          Distribution.putFloat(out, dtype, pair[1]);
        }
      }
    });
  }

  /** TruncatedNormal: Box-Muller pairs, keeping each value whose magnitude is below 2, in order. */
  static Distribution truncatedNormal(DType dtype) {
    if (dtype == DType.DOUBLE) {
      return Distribution.variable(dtype, (words, out, count) -> {
        double[] pair = new double[2];
        int kept = 0;
        while (kept < count) {
          Samples.boxMullerDouble(words.next(), words.next(), words.next(), words.next(), pair);
          for (int i = 0; i < 2 && kept < count; i++) {
            if (Math.abs(pair[i]) < TRUNCATE_AT) {
              out.putDouble(pair[i]);
              kept++;
            }
          }
        }
      });
    }
    return Distribution.variable(dtype, (words, out, count) -> {
      float[] pair = new float[2];
      int kept = 0;
      while (kept < count) {
        Samples.boxMullerFloat(words.next(), words.next(), pair);
        for (int i = 0; i < 2 && kept < count; i++) {
          if (Math.abs(pair[i]) < TRUNCATE_AT) {
            Distribution.putFloat(out, dtype, pair[i]);
            kept++;
          }
        }
      }
    });
  }

  /**
   * RandomUniformInt: {@code lo + (word % (hi - lo))} with the range and the remainder unsigned, from
   * one word for int32 and two (low word first) for int64. Requires {@code lo < hi}.
   */
  static Distribution uniformInt(DType dtype, long lo, long hi) {
    if (dtype == DType.INT64) {
      long range = hi - lo;
      return Distribution.fixed(dtype, (words, out, count) -> {
        for (int i = 0; i < count; i++) {
          long bits = (words.next() & 0xFFFFFFFFL) | ((long) words.next() << 32);
          out.putLong(lo + Long.remainderUnsigned(bits, range));
        }
      });
    }
    int low = (int) lo;
    int range = (int) hi - low;
    return Distribution.fixed(dtype, (words, out, count) -> {
      for (int i = 0; i < count; i++) {
        out.putInt(low + Integer.remainderUnsigned(words.next(), range));
      }
    });
  }
}
