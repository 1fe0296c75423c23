package io.sparkpoint.kernels.math;

import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.tensor.DType;
import java.util.EnumSet;
import java.util.Set;

/**
 * FloorDiv, FloorMod and Mod on one pair of elements, as TensorFlow's C++ functors compute them.
 * Integers: FloorDiv rounds the quotient toward negative infinity, FloorMod takes the sign of the
 * divisor, Mod (C's {@code %}) the sign of the dividend; the lowest value divided by -1 wraps to
 * itself (FloorDiv) or gives 0 (the remainders), as TF's guard against the CPU's overflow trap
 * does. Floats: FloorDiv is floor(x / y) with the quotient rounded to the dtype first; FloorMod is
 * fmod(x, y) moved into the divisor's sign by adding y; Mod is fmod. Division by an integer zero is
 * the caller's error to raise.
 */
enum DivModOp {
  FLOOR_DIV("FloorDiv", allReal()),
  FLOOR_MOD("FloorMod", allReal()),
  MOD("Mod", Set.of(DType.INT32, DType.INT64, DType.FLOAT, DType.DOUBLE));

  final String opType;
  final Set<DType> types;

  DivModOp(String opType, Set<DType> types) {
    this.opType = opType;
    this.types = types;
  }

  private static Set<DType> allReal() {
    Set<DType> types = EnumSet.copyOf(Numbers.INTEGERS);
    types.addAll(Numbers.FLOATING);
    return Set.copyOf(types);
  }

  /** Signed integers (and unsigned ones narrower than 64 bits, which a long holds as non-negative); y != 0. */
  long signed(long x, long y) {
    switch (this) {
      case FLOOR_DIV -> {
        long q = x / y; // Long.MIN_VALUE / -1 wraps to itself, as TF's guarded division does
        return q * y != x && (x < 0) != (y < 0) ? q - 1 : q;
      }
      case FLOOR_MOD -> {
        long r = x % y;
        return r != 0 && (y < 0) != (r < 0) ? r + y : r;
      }
      default -> {
        return x % y;
      }
    }
  }

  /** uint64 operands, held in longs; y != 0. Unsigned results never need the floor adjustment. */
  long unsigned(long x, long y) {
    return this == FLOOR_DIV ? Long.divideUnsigned(x, y) : Long.remainderUnsigned(x, y);
  }

  /** Float operands of {@code type} (read exactly into doubles); the result is rounded to {@code type}. */
  double real(double x, double y, DType type) {
    return switch (this) {
      case FLOOR_DIV -> Math.floor(Numbers.round(type, x / y));
      case FLOOR_MOD -> {
        double r = x % y; // Java's % on doubles is C's fmod: exact
        yield r != 0 && (y < 0) != (r < 0) ? Numbers.round(type, r + y) : r;
      }
      case MOD -> x % y;
    };
  }
}
