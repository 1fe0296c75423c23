package io.sparkpoint.kernels;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.HalfFloats;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** float16 and bfloat16 tensors from float values (each rounded to the type) for kernel tests. */
public final class HalfTensors {
  private HalfTensors() {}

  /** A vector of {@code type} (HALF or BFLOAT16). */
  public static Tensor of(DType type, float... values) {
    return of(type, Shape.of(values.length), values);
  }

  public static Tensor of(DType type, Shape shape, float... values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      bytes.putShort(type == DType.HALF ? HalfFloats.floatToHalf(value) : HalfFloats.floatToBfloat16(value));
    }
    return Tensor.of(type, shape, bytes.array());
  }
}
