package io.sparkpoint.spark.cli;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A tensor's values for {@link Json}, flat in row-major order: numbers (floats as the exact double
 * of their value; NaN and infinities become the strings {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"} in {@link Json}), booleans, {@code [re, im]} pairs, or strings
 * ({@code {"base64": ...}} when not UTF-8).
 */
final class TensorValues {
  private TensorValues() {}

  static List<Object> of(Tensor tensor) {
    List<Object> values = new ArrayList<>();
    int count = Math.toIntExact(tensor.numElements());
    DType dtype = tensor.dtype();
    for (int i = 0; i < count; i++) {
      switch (dtype) {
        case FLOAT, DOUBLE, HALF, BFLOAT16 -> values.add(tensor.doubleAt(i));
        case BOOL -> values.add(tensor.longAt(i) != 0);
        case UINT64 -> values.add(new java.math.BigInteger(Long.toUnsignedString(tensor.longAt(i))));
        case COMPLEX64 -> {
          ByteBuffer data = tensor.data();
          values.add(List.of((double) data.getFloat(i * 8), (double) data.getFloat(i * 8 + 4)));
        }
        case COMPLEX128 -> {
          ByteBuffer data = tensor.data();
          values.add(List.of(data.getDouble(i * 16), data.getDouble(i * 16 + 8)));
        }
        case STRING -> values.add(text(tensor.string(i)));
        default -> values.add(tensor.longAt(i));
      }
    }
    return values;
  }

  private static Object text(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return Map.of("base64", Base64.getEncoder().encodeToString(bytes));
    }
  }
}
