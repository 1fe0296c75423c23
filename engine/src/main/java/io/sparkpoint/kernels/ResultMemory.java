package io.sparkpoint.kernels;

import io.sparkpoint.exec.KernelContext;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where an element-wise kernel writes its result: into an input's memory when the executor lets the
 * kernel overwrite that input (as TF forwards an input buffer), else into a new tensor. A large new
 * float32, float64, int32 or int64 tensor lives in a new ND4J array, so that ND4J kernels (a MatMul
 * reading a gradient) take it without a copy and its one reader may overwrite it in turn; a small
 * one, or one of another dtype, lives on the heap.
 *
 * @param tensor the result once {@link #bytes} are filled; the kernel returns {@link #publish}
 * @param bytes the result's little-endian element bytes, writable, positioned at element 0
 */
public record ResultMemory(Tensor tensor, ByteBuffer bytes) {
  /** Below this many elements a new result stays on the heap: an ND4J array costs more to make. */
  private static final long ND4J_MIN_ELEMENTS = 4096;

  /**
   * The memory of the first of inputs {@code candidates} that has {@code shape} and that the kernel
   * may overwrite, else of a new tensor of {@code type} and {@code shape}.
   */
  public static ResultMemory of(KernelContext context, DType type, Shape shape, int... candidates) {
    for (int i : candidates) {
      Tensor input = context.input(i);
      if (input.dtype() == type && input.shape().equals(shape) && context.mayOverwrite(i)) {
        ByteBuffer own = NdArrays.overwritableData(input);
        if (own != null) {
          return new ResultMemory(input, own);
        }
      }
    }
    long n = shape.numElements();
    if (n >= ND4J_MIN_ELEMENTS && (type == DType.FLOAT || type == DType.DOUBLE || type == DType.INT32
        || type == DType.INT64)) {
      INDArray array = Nd4j.createUninitialized(NdArrays.nd4jType(type), shape.dims(), 'c');
      Tensor tensor = NdArrays.adopt(array);
      ByteBuffer bytes = NdArrays.overwritableData(tensor);
      if (bytes != null) {
        return new ResultMemory(tensor, bytes);
      }
    }
    ByteBuffer bytes = Numbers.allocate(type, n);
    return new ResultMemory(Tensor.wrap(type, shape, bytes.duplicate()), bytes);
  }

  /** The filled result, declared fresh: made afresh for this kernel's outputs, or an input it overwrote. */
  public Tensor publish(KernelContext context) {
    return context.fresh(tensor);
  }
}
