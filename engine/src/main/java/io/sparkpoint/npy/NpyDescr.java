package io.sparkpoint.npy;

import io.sparkpoint.tensor.DType;

/**
 * A NumPy array-protocol type string ({@code <f4}, {@code |b1}, {@code >U5}, {@code |S8}): the
 * byte order, the kind and the item size, with the TensorFlow dtype it maps to. Only the kinds
 * Sparkpoint can hold as a tensor are accepted.
 *
 * @param text the type string as written in the header
 * @param bigEndian true for {@code >}; {@code <}, {@code |}, {@code =} and no order are read as little-endian
 * @param kind NumPy's kind character: f, i, u, b, c, U or S
 * @param itemBytes bytes per element in the file
 * @param dtype the tensor dtype ({@link DType#STRING} for U and S)
 */
record NpyDescr(String text, boolean bigEndian, char kind, int itemBytes, DType dtype) {

  /**
   * Parses a type string.
   *
   * @throws IllegalArgumentException saying what is wrong or unsupported (the caller adds the file)
   */
  static NpyDescr parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("Invalid descr '': empty type string");
    }
    char order = text.charAt(0);
    boolean hasOrder = order == '<' || order == '>' || order == '|' || order == '=';
    String rest = hasOrder ? text.substring(1) : text;
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("Invalid descr '" + text + "': no kind");
    }
    char kind = rest.charAt(0);
    if (kind == 'O') {
      throw new IllegalArgumentException("Unsupported NumPy object array (descr '" + text + "'): its elements are pickled Python "
          + "objects, which Sparkpoint does not read; save a fixed-width array instead, e.g. arr.astype(np.float32), or "
          + "arr.astype('U') / arr.astype('S') for text");
    }
    int size = itemSize(text, rest.substring(1));
    if (kind == 'a') {
      kind = 'S'; // NumPy's old alias for bytes
    }
    DType dtype = dtypeOf(kind, size);
    if (dtype == null) {
      throw new IllegalArgumentException("Unsupported NumPy dtype '" + text + "': Sparkpoint reads f2 f4 f8, i1-i8, u1-u8, b1, "
          + "c8 c16, U<n> and S<n>");
    }
    if (kind == 'U' && size > Integer.MAX_VALUE / 4) {
      throw new IllegalArgumentException("Unsupported NumPy dtype '" + text + "': elements of 2 GiB or more");
    }
    int itemBytes = kind == 'U' ? size * 4 : size;
    return new NpyDescr(text, order == '>', kind, itemBytes, dtype);
  }

  /**
   * The type string NumPy writes for a tensor of {@code dtype}; strings are {@code |S<width>}.
   *
   * @throws IllegalArgumentException for dtypes NumPy has no type for (bfloat16, quantized, float8, int4, resource, variant)
   */
  static NpyDescr forWriting(DType dtype, int stringWidth) {
    String text = switch (dtype) {
      case HALF -> "<f2";
      case FLOAT -> "<f4";
      case DOUBLE -> "<f8";
      case INT8 -> "|i1";
      case INT16 -> "<i2";
      case INT32 -> "<i4";
      case INT64 -> "<i8";
      case UINT8 -> "|u1";
      case UINT16 -> "<u2";
      case UINT32 -> "<u4";
      case UINT64 -> "<u8";
      case BOOL -> "|b1";
      case COMPLEX64 -> "<c8";
      case COMPLEX128 -> "<c16";
      case STRING -> "|S" + Math.max(1, stringWidth); // NumPy has no zero-width S
      default -> throw new IllegalArgumentException("Unsupported dtype " + dtype.pythonName()
          + " for .npy: NumPy has no such type; cast the tensor first (e.g. to float32 or int32)");
    };
    return parse(text);
  }

  /** True when elements are text or bytes rather than numbers. */
  boolean isString() {
    return kind == 'U' || kind == 'S';
  }

  /** Bytes to reverse within an element when the file's byte order is not little-endian: a component for complex. */
  int swapUnit() {
    return switch (kind) {
      case 'c' -> itemBytes / 2;
      case 'U' -> 4;
      case 'S', 'b' -> 1;
      default -> itemBytes;
    };
  }

  private static int itemSize(String text, String digits) {
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 9) {
      throw new IllegalArgumentException("Unsupported NumPy dtype '" + text + "': expected a kind and an item size, like <f4");
    }
    return Integer.parseInt(digits);
  }

  private static DType dtypeOf(char kind, int size) {
    return switch (kind) {
      case 'f' -> size == 2 ? DType.HALF : size == 4 ? DType.FLOAT : size == 8 ? DType.DOUBLE : null;
      case 'i' -> size == 1 ? DType.INT8 : size == 2 ? DType.INT16 : size == 4 ? DType.INT32 : size == 8 ? DType.INT64 : null;
      case 'u' -> size == 1 ? DType.UINT8 : size == 2 ? DType.UINT16 : size == 4 ? DType.UINT32 : size == 8 ? DType.UINT64 : null;
      case 'b' -> size == 1 ? DType.BOOL : null;
      case 'c' -> size == 8 ? DType.COMPLEX64 : size == 16 ? DType.COMPLEX128 : null;
      case 'U', 'S' -> size > 0 ? DType.STRING : null;
      default -> null;
    };
  }
}
