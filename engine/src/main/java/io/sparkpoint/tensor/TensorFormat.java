package io.sparkpoint.tensor;

import java.nio.ByteBuffer;

/** Renders tensor values for people: nested brackets in row-major order, like numpy. */
public final class TensorFormat {
  private TensorFormat() {}

  /** Values nested by shape, with at most {@code maxElements} elements before "...". */
  public static String values(Tensor tensor, long maxElements) {
    StringBuilder out = new StringBuilder();
    long[] printed = {0};
    appendDims(out, tensor, 0, 0, maxElements, printed);
    return out.toString();
  }

  private static void appendDims(
      StringBuilder out, Tensor tensor, int axis, long base, long maxElements, long[] printed) {
    Shape shape = tensor.shape();
    if (axis == shape.rank()) {
      appendElement(out, tensor, base);
      printed[0]++;
      return;
    }
    long stride = 1;
    for (int i = axis + 1; i < shape.rank(); i++) {
      stride *= shape.dim(i);
    }
    out.append('[');
    for (long i = 0; i < shape.dim(axis); i++) {
      if (printed[0] >= maxElements) {
        out.append("...");
        break;
      }
      if (i > 0) {
        out.append(axis == shape.rank() - 1 ? ", " : ",\n" + " ".repeat(axis + 1));
      }
      appendDims(out, tensor, axis + 1, base + i * stride, maxElements, printed);
    }
    out.append(']');
  }

  /**
   * Values nested by shape, summarized as numpy prints a large array: along every axis longer than
   * {@code 2 * edgeItems}, only the first and the last {@code edgeItems} entries, with "..." between.
   */
  public static String summarized(Tensor tensor, int edgeItems) {
    StringBuilder out = new StringBuilder();
    appendSummary(out, tensor, 0, 0, edgeItems);
    return out.toString();
  }

  private static void appendSummary(StringBuilder out, Tensor tensor, int axis, long base, int edgeItems) {
    Shape shape = tensor.shape();
    if (axis == shape.rank()) {
      appendElement(out, tensor, base);
      return;
    }
    long stride = 1;
    for (int i = axis + 1; i < shape.rank(); i++) {
      stride *= shape.dim(i);
    }
    long size = shape.dim(axis);
    boolean cut = size > 2L * edgeItems;
    String separator = axis == shape.rank() - 1 ? ", " : ",\n" + " ".repeat(axis + 1);
    out.append('[');
    for (long i = 0; i < size; i++) {
      if (i > 0) {
        out.append(separator);
      }
      if (cut && i == edgeItems) {
        out.append("...").append(separator);
        i = size - edgeItems;
      }
      appendSummary(out, tensor, axis + 1, base + i * stride, edgeItems);
    }
    out.append(']');
  }

  static void appendElement(StringBuilder out, Tensor tensor, long index) {
    DType dtype = tensor.dtype();
    switch (dtype) {
      case FLOAT, DOUBLE, HALF, BFLOAT16 -> out.append(tensor.doubleAt(index));
      case BOOL -> out.append(tensor.longAt(index) != 0 ? "True" : "False");
      case UINT64 -> out.append(Long.toUnsignedString(tensor.longAt(index)));
      case COMPLEX64 -> {
        ByteBuffer data = tensor.data();
        int i = Math.toIntExact(index);
        appendComplex(out, data.getFloat(i * 8), data.getFloat(i * 8 + 4));
      }
      case COMPLEX128 -> {
        ByteBuffer data = tensor.data();
        int i = Math.toIntExact(index);
        appendComplex(out, data.getDouble(i * 16), data.getDouble(i * 16 + 8));
      }
      case STRING -> appendBytesLiteral(out, tensor.string(Math.toIntExact(index)));
      case FLOAT8_E5M2, FLOAT8_E4M3FN -> out.append(String.format("0x%02x", tensor.longAt(index)));
      default -> out.append(tensor.longAt(index));
    }
  }

  private static void appendComplex(StringBuilder out, double real, double imaginary) {
    out.append('(').append(real).append(imaginary < 0 || Double.isNaN(imaginary) ? "" : "+").append(imaginary).append("j)");
  }

  /** Python's bytes literal: b'abc\x00'. */
  static void appendBytesLiteral(StringBuilder out, byte[] bytes) {
    out.append("b'");
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (c == '\\' || c == '\'') {
        out.append('\\').append((char) c);
      } else if (c >= 0x20 && c < 0x7F) {
        out.append((char) c);
      } else if (c == '\n') {
        out.append("\\n");
      } else {
        out.append(String.format("\\x%02x", c));
      }
    }
    out.append('\'');
  }
}
