package io.sparkpoint.kernels;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.HalfFloats;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.UnsupportedDTypeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Views between tensors and ND4J arrays (C order) for every dtype ND4J has: float16, bfloat16,
 * float32, float64, int8/16/32/64, uint8/16/32/64 and bool. Complex, string and quantized tensors
 * have no ND4J type and get a clear error.
 */
public final class NdArrays {
  /** Dtypes whose ND4J storage is TF's little-endian element layout: whole buffers are copied at once. */
  private static final Set<DType> SAME_LAYOUT = Set.of(DType.FLOAT, DType.DOUBLE, DType.INT32, DType.INT64);

  static {
    Nd4jRuntime.ensureConfigured();
  }

  private NdArrays() {}

  /** The ND4J type for a dtype. */
  public static DataType nd4jType(DType dtype) {
    return switch (dtype) {
      case FLOAT -> DataType.FLOAT;
      case DOUBLE -> DataType.DOUBLE;
      case HALF -> DataType.HALF;
      case BFLOAT16 -> DataType.BFLOAT16;
      case INT8 -> DataType.BYTE;
      case INT16 -> DataType.SHORT;
      case INT32 -> DataType.INT;
      case INT64 -> DataType.LONG;
      case UINT8 -> DataType.UBYTE;
      case UINT16 -> DataType.UINT16;
      case UINT32 -> DataType.UINT32;
      case UINT64 -> DataType.UINT64;
      case BOOL -> DataType.BOOL;
      default -> throw new UnsupportedDTypeException(
          "Unsupported dtype " + dtype.pythonName() + " for ND4J: ND4J has no " + dtype.pythonName() + " arrays");
    };
  }

  public static DType dtypeOf(DataType type) {
    for (DType dtype : DType.values()) {
      if (dtype.isFixedWidth() && isNd4jType(dtype) && nd4jType(dtype) == type) {
        return dtype;
      }
    }
    throw new UnsupportedDTypeException("Unsupported ND4J type " + type + ": it has no TensorFlow dtype");
  }

  private static boolean isNd4jType(DType dtype) {
    try {
      nd4jType(dtype);
      return true;
    } catch (UnsupportedDTypeException e) {
      return false;
    }
  }

  /**
   * The tensor as an ND4J array of the same type and shape. <b>Kernels must neither change nor close
   * the array</b>: for float32, float64, int32 and int64 it is copied once and stays attached to the
   * tensor (see {@link Tensor#attachment()}), so the next kernel reading the tensor, or the next run
   * reading the same Const, does not copy it again.
   */
  public static INDArray toNd4j(Tensor tensor) {
    DataType type = nd4jType(tensor.dtype());
    long[] dims = tensor.shape().dims();
    if (tensor.numElements() == 0) {
      return Nd4j.create(type, dims);
    }
    if (tensor.attachment() instanceof Adopted adopted) {
      return adopted.array();
    }
    if (tensor.attachment() instanceof INDArray attached && attached.dataType() == type
        && java.util.Arrays.equals(attached.shape(), dims)) {
      return attached;
    }
    ByteBuffer data = tensor.data();
    if (dims.length > 0 && copiesWhole(tensor.dtype())) {
      INDArray array = Nd4j.createUninitialized(type, dims, 'c');
      array.data().asNio().order(ByteOrder.LITTLE_ENDIAN).put(data);
      tensor.attachIfAbsent(array);
      return array;
    }
    int n = Math.toIntExact(tensor.numElements());
    INDArray flat =
        switch (tensor.dtype()) {
          case FLOAT -> Nd4j.createFromArray(floats(data, n));
          case DOUBLE -> Nd4j.createFromArray(doubles(data, n));
          case HALF, BFLOAT16 -> Nd4j.createFromArray(widened(tensor, n)).castTo(type);
          case INT8 -> Nd4j.createFromArray(bytes(data, n));
          case INT16 -> Nd4j.createFromArray(shorts(data, n));
          case INT32 -> Nd4j.createFromArray(ints(data, n));
          case INT64, UINT64 -> Nd4j.createFromArray(longs(data, n)).castTo(type);
          case UINT8, UINT16, UINT32 -> Nd4j.createFromArray(unsigned(tensor, n)).castTo(type);
          case BOOL -> Nd4j.createFromArray(booleans(data, n));
          default -> throw new IllegalStateException("unreachable");
        };
    return dims.length == 0 ? flat.reshape(new long[0]) : flat.reshape('c', dims);
  }

  /**
   * A tensor over a <b>fresh</b> ND4J array's own memory, without a copy: for a dense row-major
   * float32, float64, int32 or int64 array that the caller made, owns alone, and will neither
   * change, close nor reuse (the array becomes the tensor's attachment). Any other array is copied,
   * as by {@link #fromNd4j}.
   */
  public static Tensor adopt(INDArray fresh) {
    DType dtype = dtypeOf(fresh.dataType());
    long n = fresh.length();
    if (n > 0 && copiesWhole(dtype) && !fresh.isView() && fresh.offset() == 0 && isDenseRowMajor(fresh)
        && fresh.data().length() == n) {
      ByteBuffer shared = fresh.data().asNio().duplicate().order(ByteOrder.LITTLE_ENDIAN);
      shared.position(0).limit(Math.toIntExact(n * dtype.byteWidth()));
      return Tensor.wrap(dtype, Shape.of(fresh.shape()), shared, new Adopted(fresh));
    }
    return fromNd4j(fresh);
  }

  /** The attachment of an adopted array: the tensor's bytes are the array's own memory. */
  private record Adopted(INDArray array) {}

  /**
   * The memory of a tensor made by {@link #adopt} without a copy, writable, little-endian and
   * positioned at its first element; null for any other tensor. Only for a kernel that the executor
   * lets overwrite this input ({@code KernelContext.mayOverwrite}): nothing else may see the change.
   */
  public static ByteBuffer overwritableData(Tensor tensor) {
    if (!(tensor.attachment() instanceof Adopted adopted)) {
      return null;
    }
    ByteBuffer memory = adopted.array().data().asNio().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    memory.position(0).limit(Math.toIntExact(tensor.numElements() * tensor.dtype().byteWidth()));
    return memory.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Copies an ND4J array (any order) into a tensor; the array may be closed or reused afterwards. */
  public static Tensor fromNd4j(INDArray array) {
    DType dtype = dtypeOf(array.dataType());
    Shape shape = Shape.of(array.shape());
    int n = Math.toIntExact(shape.numElements());
    ByteBuffer out = ByteBuffer.allocate(n * dtype.byteWidth()).order(ByteOrder.LITTLE_ENDIAN);
    if (n > 0 && copiesWhole(dtype)) {
      INDArray dense = isDenseRowMajor(array) ? array : array.dup('c');
      ByteBuffer bytes = dense.data().asNio();
      int start = Math.toIntExact(dense.offset() * dtype.byteWidth());
      out.put(bytes.position(start).limit(start + out.capacity()));
    } else if (n > 0) {
      INDArray flat = array.dup('c').reshape(n);
      switch (dtype) {
        case FLOAT -> out.asFloatBuffer().put(flat.toFloatVector());
        case DOUBLE -> out.asDoubleBuffer().put(flat.toDoubleVector());
        case HALF -> {
          for (float v : flat.castTo(DataType.FLOAT).toFloatVector()) {
            out.putShort(HalfFloats.floatToHalf(v));
          }
        }
        case BFLOAT16 -> {
          for (float v : flat.castTo(DataType.FLOAT).toFloatVector()) {
            out.putShort(HalfFloats.floatToBfloat16(v));
          }
        }
        case INT8, UINT8, BOOL -> {
          for (long v : flat.castTo(DataType.LONG).toLongVector()) {
            out.put((byte) v);
          }
        }
        case INT16, UINT16 -> {
          for (long v : flat.castTo(DataType.LONG).toLongVector()) {
            out.putShort((short) v);
          }
        }
        case INT32, UINT32 -> {
          for (long v : flat.castTo(DataType.LONG).toLongVector()) {
            out.putInt((int) v);
          }
        }
        case INT64, UINT64 -> out.asLongBuffer().put(flat.castTo(DataType.LONG).toLongVector());
        default -> throw new IllegalStateException("unreachable");
      }
    }
    out.clear();
    return Tensor.wrap(dtype, shape, out);
  }

  private static boolean copiesWhole(DType dtype) {
    return SAME_LAYOUT.contains(dtype) && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
  }

  /** True when the array's elements sit in its buffer in row-major order without gaps. */
  private static boolean isDenseRowMajor(INDArray array) {
    return array.ordering() == 'c' && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(array)
        && array.offset() + array.length() <= array.data().length();
  }

  /**
   * {@code result} with NaN wherever {@code input} (same shape) holds NaN, as TF's Eigen kernels
   * propagate it through Sign, Relu and Relu6 where ND4J's comparisons give 0. Integer arrays, and
   * arrays without NaN, come back unchanged.
   */
  public static INDArray propagateNaN(INDArray input, INDArray result) {
    // A sum is NaN when any element is NaN (or +inf meets -inf): only then look element by element.
    if (!input.dataType().isFPType() || !Double.isNaN(input.sumNumber().doubleValue())) {
      return result;
    }
    double[] in = input.dup('c').data().asDouble();
    double[] out = result.dup('c').data().asDouble();
    for (int i = 0; i < out.length; i++) {
      if (Double.isNaN(in[i])) {
        out[i] = Double.NaN;
      }
    }
    return Nd4j.createFromArray(out).castTo(result.dataType()).reshape('c', result.shape());
  }

  private static float[] floats(ByteBuffer data, int n) {
    float[] values = new float[n];
    data.asFloatBuffer().get(values);
    return values;
  }

  private static double[] doubles(ByteBuffer data, int n) {
    double[] values = new double[n];
    data.asDoubleBuffer().get(values);
    return values;
  }

  private static float[] widened(Tensor tensor, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) tensor.doubleAt(i);
    }
    return values;
  }

  private static byte[] bytes(ByteBuffer data, int n) {
    byte[] values = new byte[n];
    data.get(values);
    return values;
  }

  private static short[] shorts(ByteBuffer data, int n) {
    short[] values = new short[n];
    data.asShortBuffer().get(values);
    return values;
  }

  private static int[] ints(ByteBuffer data, int n) {
    int[] values = new int[n];
    data.asIntBuffer().get(values);
    return values;
  }

  private static long[] longs(ByteBuffer data, int n) {
    long[] values = new long[n];
    data.asLongBuffer().get(values);
    return values;
  }

  private static long[] unsigned(Tensor tensor, int n) {
    long[] values = new long[n];
    for (int i = 0; i < n; i++) {
      values[i] = tensor.longAt(i);
    }
    return values;
  }

  private static boolean[] booleans(ByteBuffer data, int n) {
    boolean[] values = new boolean[n];
    for (int i = 0; i < n; i++) {
      values[i] = data.get(i) != 0;
    }
    return values;
  }
}
