package io.sparkpoint.kernels.reduce;

import io.sparkpoint.tensor.DType;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reductions over the rows of an [outer, inner] matrix: ND4J for float types, exact long
 * arithmetic for integer types (wrapping to the dtype's width as TF does).
 */
enum Reduction {
  SUM("Sum", m -> m.sum(1)),
  MEAN("Mean", m -> m.mean(1)),
  MAX("Max", m -> m.max(1)),
  MIN("Min", m -> m.min(1)),
  PROD("Prod", m -> m.prod(1));

  final String opType;
  private final UnaryOperator<INDArray> rows;

  Reduction(String opType, UnaryOperator<INDArray> rows) {
    this.opType = opType;
    this.rows = rows;
  }

  /** One value per row of a non-empty float matrix. */
  INDArray applyToRows(INDArray matrix) {
    return rows.apply(matrix);
  }

  /** The value of an empty reduction: 0, NaN, the lowest/highest value, 1. */
  double emptyFloat() {
    return switch (this) {
      case SUM -> 0;
      case MEAN -> Double.NaN;
      case MAX -> Double.NEGATIVE_INFINITY;
      case MIN -> Double.POSITIVE_INFINITY;
      case PROD -> 1;
    };
  }

  /**
   * Reduces integer values (as read by Tensor.longAt: zero-extended below 64 bits, raw bits for
   * uint64), returning the result's bits.
   */
  long integer(DType type, long[] values, int from, int count) {
    boolean unsigned64 = type == DType.UINT64;
    long acc = switch (this) {
      case SUM, MEAN -> 0;
      case PROD -> 1;
      case MAX -> lowest(type);
      case MIN -> highest(type);
    };
    for (int i = from; i < from + count; i++) {
      long v = values[i];
      acc = switch (this) {
        case SUM, MEAN -> acc + v;
        case PROD -> acc * v;
        case MAX -> (unsigned64 ? Long.compareUnsigned(v, acc) > 0 : v > acc) ? v : acc;
        case MIN -> (unsigned64 ? Long.compareUnsigned(v, acc) < 0 : v < acc) ? v : acc;
      };
    }
    if (this != MEAN) {
      return acc;
    }
    if (count == 0) {
      return 0;
    }
    // TF sums the narrower integer types in 64 bits before dividing (no int32 overflow), and
    // int64/uint64 in their own type (wrapping); the caller's put wraps the quotient to the width.
    return unsigned64 ? Long.divideUnsigned(acc, count) : acc / count;
  }

  static long lowest(DType type) {
    return switch (type) {
      case INT8 -> Byte.MIN_VALUE;
      case INT16 -> Short.MIN_VALUE;
      case INT32 -> Integer.MIN_VALUE;
      case INT64 -> Long.MIN_VALUE;
      default -> 0;
    };
  }

  static long highest(DType type) {
    return switch (type) {
      case INT8 -> Byte.MAX_VALUE;
      case INT16 -> Short.MAX_VALUE;
      case INT32 -> Integer.MAX_VALUE;
      case UINT8 -> 0xFFL;
      case UINT16 -> 0xFFFFL;
      case UINT32 -> 0xFFFFFFFFL;
      case UINT64 -> -1L;
      default -> Long.MAX_VALUE;
    };
  }
}
