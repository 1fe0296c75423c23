package io.sparkpoint.oracle;

import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint16;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * The dtypes the oracle handles, under their TF Python names.
 *
 * <p>{@link #javaType} is the TF Java tensor class when TF Java 1.1.0 has one; such tensors are fed
 * and fetched directly. Dtypes without a class (int8, int16, uint32, uint64, complex64, complex128)
 * travel as uint8 and are converted inside the graph with the Bitcast op.
 */
enum DType {
  FLOAT16("float16", DataType.DT_HALF, 2, TFloat16.class),
  BFLOAT16("bfloat16", DataType.DT_BFLOAT16, 2, TBfloat16.class),
  FLOAT32("float32", DataType.DT_FLOAT, 4, TFloat32.class),
  FLOAT64("float64", DataType.DT_DOUBLE, 8, TFloat64.class),
  INT8("int8", DataType.DT_INT8, 1, null),
  INT16("int16", DataType.DT_INT16, 2, null),
  INT32("int32", DataType.DT_INT32, 4, TInt32.class),
  INT64("int64", DataType.DT_INT64, 8, TInt64.class),
  UINT8("uint8", DataType.DT_UINT8, 1, TUint8.class),
  UINT16("uint16", DataType.DT_UINT16, 2, TUint16.class),
  UINT32("uint32", DataType.DT_UINT32, 4, null),
  UINT64("uint64", DataType.DT_UINT64, 8, null),
  BOOL("bool", DataType.DT_BOOL, 1, TBool.class),
  COMPLEX64("complex64", DataType.DT_COMPLEX64, 8, null),
  COMPLEX128("complex128", DataType.DT_COMPLEX128, 16, null),
  STRING("string", DataType.DT_STRING, 0, TString.class);

  final String pyName;
  final DataType tf;
  /** Bytes per element in the canonical encoding; 0 for string. */
  final int size;
  final Class<? extends TType> javaType;

  DType(String pyName, DataType tf, int size, Class<? extends TType> javaType) {
    this.pyName = pyName;
    this.tf = tf;
    this.size = size;
    this.javaType = javaType;
  }

  boolean isString() {
    return this == STRING;
  }

  /** True if TF Java has no tensor class for it, so it is converted with Bitcast in the graph. */
  boolean viaBitcast() {
    return javaType == null;
  }

  /** Floating-point component width in bytes (complex: per component), 0 if not a float type. */
  int floatComponentSize() {
    switch (this) {
      case FLOAT16: case BFLOAT16: return 2;
      case FLOAT32: case COMPLEX64: return 4;
      case FLOAT64: case COMPLEX128: return 8;
      default: return 0;
    }
  }

  static DType of(String pyName) {
    for (DType d : values()) {
      if (d.pyName.equals(pyName)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown dtype '" + pyName + "'");
  }

  @Override
  public String toString() {
    return pyName;
  }
}
