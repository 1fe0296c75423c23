package io.sparkpoint.tensor;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * TensorFlow's element types, with their enum numbers (types.proto), the names Python users know
 * ({@code float32}) and their width in a checkpoint.
 */
public enum DType {
  FLOAT(1, "float32", 4),
  DOUBLE(2, "float64", 8),
  INT32(3, "int32", 4),
  UINT8(4, "uint8", 1),
  INT16(5, "int16", 2),
  INT8(6, "int8", 1),
  STRING(7, "string", 0),
  COMPLEX64(8, "complex64", 8),
  INT64(9, "int64", 8),
  BOOL(10, "bool", 1),
  QINT8(11, "qint8", 1),
  QUINT8(12, "quint8", 1),
  QINT32(13, "qint32", 4),
  BFLOAT16(14, "bfloat16", 2),
  QINT16(15, "qint16", 2),
  QUINT16(16, "quint16", 2),
  UINT16(17, "uint16", 2),
  COMPLEX128(18, "complex128", 16),
  HALF(19, "float16", 2),
  RESOURCE(20, "resource", 0),
  VARIANT(21, "variant", 0),
  UINT32(22, "uint32", 4),
  UINT64(23, "uint64", 8),
  FLOAT8_E5M2(24, "float8_e5m2", 1),
  FLOAT8_E4M3FN(25, "float8_e4m3fn", 1),
  INT4(29, "int4", 1),
  UINT4(30, "uint4", 1);

  private static final Map<Integer, DType> BY_NUMBER = new HashMap<>();
  private static final Map<String, DType> BY_NAME = new HashMap<>();

  static {
    for (DType type : values()) {
      BY_NUMBER.put(type.number, type);
      BY_NAME.put(type.pythonName, type);
      BY_NAME.put(type.tfName().toLowerCase(Locale.ROOT), type);
    }
    BY_NAME.put("float", FLOAT);
    BY_NAME.put("double", DOUBLE);
    BY_NAME.put("half", HALF);
  }

  private final int number;
  private final String pythonName;
  private final int byteWidth;

  DType(int number, String pythonName, int byteWidth) {
    this.number = number;
    this.pythonName = pythonName;
    this.byteWidth = byteWidth;
  }

  /** The DataType enum number. */
  public int number() {
    return number;
  }

  /** The name Python users know: {@code float32}, {@code float16}, {@code string}. */
  public String pythonName() {
    return pythonName;
  }

  /** The name in TensorFlow's C++ messages and debug strings: {@code DT_FLOAT}. */
  public String tfName() {
    return "DT_" + name();
  }

  /** Bytes per element in a checkpoint; 0 for types without a fixed width (string, resource, variant). */
  public int byteWidth() {
    return byteWidth;
  }

  /** True when a tensor's checkpoint bytes are its elements' little-endian bytes. */
  public boolean isFixedWidth() {
    return byteWidth > 0;
  }

  /** True for types a checkpoint can hold; resource handles and variants are refused. */
  public boolean isStorable() {
    return this != RESOURCE && this != VARIANT;
  }

  /**
   * The type with DataType number {@code number}; reference types ({@code _REF}, number + 100) map
   * to their base type.
   *
   * @throws UnsupportedDTypeException for numbers Sparkpoint does not know
   */
  public static DType fromNumber(int number) {
    DType type = BY_NUMBER.get(number > 100 ? number - 100 : number);
    if (type == null) {
      throw new UnsupportedDTypeException("Unsupported DataType number " + number);
    }
    return type;
  }

  /** Parses {@code float32}, {@code float}, {@code DT_FLOAT} and the like. */
  public static DType fromName(String name) {
    DType type = BY_NAME.get(name.toLowerCase(Locale.ROOT));
    if (type == null) {
      throw new IllegalArgumentException("Invalid dtype name: " + name);
    }
    return type;
  }

  /** Throws a clear error unless tensors of this type can be stored. */
  public void checkStorable(String tensorName) {
    if (!isStorable()) {
      throw new UnsupportedDTypeException(
          "Unsupported dtype " + pythonName + " for tensor " + tensorName
              + ": checkpoints store values, and Sparkpoint cannot store " + pythonName + " tensors");
    }
  }
}
