package io.sparkpoint.kernels.conv;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * MaxPool of int32 and int64 on the JVM. libnd4j's maxpool2d starts integer windows at
 * {@code -MAX_VALUE}, so a window of {@code MIN_VALUE}s would come out one too high; TF starts at
 * the type's lowest value. Windows never hold only padding, so every output has an input element.
 */
final class IntegerMaxPool {
  private IntegerMaxPool() {}

  static Tensor pool(Tensor input, Window rows, Window cols, Shape out) {
    DType type = input.dtype();
    Shape in = input.shape();
    long depth = in.dim(3);
    ByteBuffer data = input.data();
    ByteBuffer result = ByteBuffer.allocate(Math.toIntExact(Tensor.byteSize(type, out))).order(ByteOrder.LITTLE_ENDIAN);
    int at = 0;
    for (long n = 0; n < in.dim(0); n++) {
      for (long oh = 0; oh < rows.output(); oh++) {
        for (long ow = 0; ow < cols.output(); ow++) {
          for (long c = 0; c < depth; c++) {
            long max = type == DType.INT32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
            for (long kh = 0; kh < rows.filter(); kh++) {
              long ih = rows.inputIndex(oh, kh);
              for (long kw = 0; ih >= 0 && ih < in.dim(1) && kw < cols.filter(); kw++) {
                long iw = cols.inputIndex(ow, kw);
                if (iw >= 0 && iw < in.dim(2)) {
                  max = Math.max(max, read(data, type, ((n * in.dim(1) + ih) * in.dim(2) + iw) * depth + c));
                }
              }
            }
            if (type == DType.INT32) {
              result.putInt(at, (int) max);
              at += 4;
            } else {
              result.putLong(at, max);
              at += 8;
            }
          }
        }
      }
    }
    return Tensor.wrap(type, out, result);
  }

  private static long read(ByteBuffer data, DType type, long index) {
    return type == DType.INT32 ? data.getInt(Math.toIntExact(index * 4)) : data.getLong(Math.toIntExact(index * 8));
  }
}
