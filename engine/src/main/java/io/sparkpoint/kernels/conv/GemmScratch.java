package io.sparkpoint.kernels.conv;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Native matrices a thread reuses across kernel runs for the chunks of its matrix products: fresh
 * native buffers on every call would cost page faults each time. A slot's matrix is valid until the
 * same thread asks for that slot again, so a kernel must be done with it before it returns.
 */
final class GemmScratch {
  static final int SLOTS = 3;
  /** Per thread, per ND4J type: one buffer per slot, grown as needed, never shrunk. */
  private static final ThreadLocal<Map<DataType, DataBuffer[]>> BUFFERS = ThreadLocal.withInitial(HashMap::new);

  private GemmScratch() {}

  /** A [rows, cols] row-major matrix over this thread's buffer {@code slot} (0 .. SLOTS - 1); contents undefined. */
  static INDArray matrix(DataType type, int slot, long rows, long cols) {
    DataBuffer[] buffers = BUFFERS.get().computeIfAbsent(type, t -> new DataBuffer[SLOTS]);
    if (buffers[slot] == null || buffers[slot].length() < rows * cols) {
      buffers[slot] = Nd4j.createBuffer(type, rows * cols, false);
    }
    return view(buffers[slot], rows, cols, 0);
  }

  /** A [rows, cols] row-major matrix over {@code buffer} from element {@code offset}. */
  static INDArray view(DataBuffer buffer, long rows, long cols, long offset) {
    return Nd4j.create(buffer, new long[] {rows, cols}, new long[] {cols, 1}, offset, 'c');
  }
}
