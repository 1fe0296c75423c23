package io.sparkpoint.npy;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Converts between a {@code .npy} file's element bytes and a tensor: byte order, Fortran order, bools and strings. */
final class NpyElements {
  private NpyElements() {}

  /**
   * The tensor the element bytes hold, row-major and little-endian.
   *
   * @param data exactly {@code shape.numElements() * descr.itemBytes()} bytes, changed in place
   * @throws IllegalArgumentException for a unicode element that is not a valid code point
   */
  static Tensor toTensor(NpyDescr descr, Shape shape, boolean fortranOrder, byte[] data) {
    if (descr.bigEndian()) {
      reverseUnits(data, descr.swapUnit());
    }
    if (fortranOrder && shape.rank() > 1) {
      data = toRowMajor(data, shape, descr.itemBytes());
    }
    if (descr.isString()) {
      return strings(descr, shape, data);
    }
    if (descr.dtype() == DType.BOOL) {
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) (data[i] != 0 ? 1 : 0);
      }
    }
    return Tensor.wrap(descr.dtype(), shape, ByteBuffer.wrap(data));
  }

  /** The bytes of the longest element of a string tensor: the width of its {@code |S} type. */
  static int maxStringBytes(Tensor tensor) {
    int width = 0;
    for (int i = 0; i < tensor.numElements(); i++) {
      width = Math.max(width, tensor.string(i).length);
    }
    return width;
  }

  /** A string tensor's elements, each padded with NULs to {@code width} bytes, as {@code |S<width>} stores them. */
  static byte[] paddedStrings(Tensor tensor, int width) {
    byte[] out = new byte[Math.multiplyExact(Math.toIntExact(tensor.numElements()), width)];
    for (int i = 0; i < tensor.numElements(); i++) {
      byte[] element = tensor.string(i);
      System.arraycopy(element, 0, out, i * width, element.length);
    }
    return out;
  }

  private static void reverseUnits(byte[] data, int unit) {
    for (int start = 0; unit > 1 && start < data.length; start += unit) {
      for (int i = start, j = start + unit - 1; i < j; i++, j--) {
        byte b = data[i];
        data[i] = data[j];
        data[j] = b;
      }
    }
  }

  /** Reorders column-major elements (first index fastest) into row-major order (last index fastest). */
  private static byte[] toRowMajor(byte[] columnMajor, Shape shape, int itemBytes) {
    int rank = shape.rank();
    long[] columnStrides = new long[rank];
    long stride = 1;
    for (int axis = 0; axis < rank; axis++) {
      columnStrides[axis] = stride;
      stride *= shape.dim(axis);
    }
    byte[] rowMajor = new byte[columnMajor.length];
    long[] index = new long[rank];
    long source = 0;
    for (int element = 0; element < shape.numElements(); element++) {
      System.arraycopy(columnMajor, (int) (source * itemBytes), rowMajor, element * itemBytes, itemBytes);
      for (int axis = rank - 1; axis >= 0; axis--) { // advance the row-major index, last axis fastest
        index[axis]++;
        source += columnStrides[axis];
        if (index[axis] < shape.dim(axis)) {
          break;
        }
        source -= index[axis] * columnStrides[axis];
        index[axis] = 0;
      }
    }
    return rowMajor;
  }

  /** U elements are UCS-4 code points, S elements bytes; NumPy drops trailing NULs of both. */
  private static Tensor strings(NpyDescr descr, Shape shape, byte[] data) {
    int width = descr.itemBytes();
    List<byte[]> elements = new ArrayList<>(Math.toIntExact(shape.numElements()));
    for (int start = 0; start < data.length; start += width) {
      if (descr.kind() == 'S') {
        int end = start + width;
        while (end > start && data[end - 1] == 0) {
          end--;
        }
        elements.add(Arrays.copyOfRange(data, start, end));
      } else {
        elements.add(ucs4ToUtf8(data, start, width));
      }
    }
    return Tensor.ofStrings(shape, elements);
  }

  private static byte[] ucs4ToUtf8(byte[] data, int start, int width) {
    ByteBuffer units = ByteBuffer.wrap(data, start, width).order(ByteOrder.LITTLE_ENDIAN);
    int[] codePoints = new int[width / 4];
    int count = 0;
    for (int i = 0; i < codePoints.length; i++) {
      codePoints[i] = units.getInt();
      if (codePoints[i] != 0) {
        count = i + 1;
      }
      if (!Character.isValidCodePoint(codePoints[i]) || (codePoints[i] >= 0xD800 && codePoints[i] <= 0xDFFF)) {
        throw new IllegalArgumentException(String.format("Invalid unicode element: code point 0x%x", codePoints[i]));
      }
    }
    return new String(codePoints, 0, count).getBytes(StandardCharsets.UTF_8);
  }
}
