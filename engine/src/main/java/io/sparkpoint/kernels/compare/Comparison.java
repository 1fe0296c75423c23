package io.sparkpoint.kernels.compare;

import io.sparkpoint.kernels.Numbers;
import io.sparkpoint.tensor.DType;
import java.util.HashSet;
import java.util.Set;

/**
 * The element-wise comparisons. Floats compare as IEEE numbers: NaN is unordered (only NotEqual
 * holds) and -0 equals 0; uint64 compares unsigned. Equal and NotEqual also take bool and string.
 */
enum Comparison {
  EQUAL("Equal"),
  NOT_EQUAL("NotEqual"),
  LESS("Less"),
  LESS_EQUAL("LessEqual"),
  GREATER("Greater"),
  GREATER_EQUAL("GreaterEqual");

  /** The real-number dtypes, which every comparison takes. */
  private static final Set<DType> REAL = union(Numbers.FLOATING, Numbers.INTEGERS);
  private static final Set<DType> EQUATABLE = union(REAL, Set.of(DType.BOOL, DType.STRING));

  final String opType;

  Comparison(String opType) {
    this.opType = opType;
  }

  /** Equal and NotEqual, which have the incompatible_shape_error attr. */
  boolean isEquality() {
    return this == EQUAL || this == NOT_EQUAL;
  }

  Set<DType> types() {
    return isEquality() ? EQUATABLE : REAL;
  }

  /**
   * Whether the comparison holds for an {@link ElementOrder} result: negative when x < y, 0 when
   * equal, positive when x > y, {@link ElementOrder#UNORDERED} when either is NaN.
   */
  boolean holds(int order) {
    if (order == ElementOrder.UNORDERED) {
      return this == NOT_EQUAL;
    }
    return switch (this) {
      case EQUAL -> order == 0;
      case NOT_EQUAL -> order != 0;
      case LESS -> order < 0;
      case LESS_EQUAL -> order <= 0;
      case GREATER -> order > 0;
      case GREATER_EQUAL -> order >= 0;
    };
  }

  private static Set<DType> union(Set<DType> a, Set<DType> b) {
    Set<DType> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
