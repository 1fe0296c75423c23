package io.sparkpoint.tensor;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable tensor held in memory. Fixed-width types keep their elements as little-endian
 * bytes in row-major order, exactly as a checkpoint stores them; strings keep one byte array per
 * element. A tensor in memory is limited to 2 GiB; larger ones are streamed (see the bundle
 * reader).
 */
public final class Tensor {
  private final DType dtype;
  private final Shape shape;
  /** Little-endian element bytes; null for strings. Never exposed writable. */
  private final ByteBuffer data;
  /** One entry per element for strings; null otherwise. */
  private final byte[][] strings;
  /** The same elements in another memory (an ND4J array); see {@link #attachment()}. */
  private volatile Object attachment;

  private Tensor(DType dtype, Shape shape, ByteBuffer data, byte[][] strings) {
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
    this.strings = strings;
  }

  /**
   * A fixed-width tensor from its little-endian element bytes (copied).
   *
   * @throws IllegalArgumentException when the byte count does not match the shape
   */
  public static Tensor of(DType dtype, Shape shape, byte[] littleEndianBytes) {
    return wrap(dtype, shape, ByteBuffer.wrap(littleEndianBytes.clone()));
  }

  /**
   * Like {@link #of} without copying; the caller must not change the buffer afterwards, with one
   * exception: a variable store may let an update overwrite a value it never handed out to anyone
   * (io.sparkpoint.exec.VariableStore#claimForOverwrite).
   */
  public static Tensor wrap(DType dtype, Shape shape, ByteBuffer littleEndianBytes) {
    dtype.checkStorable("(in memory)");
    if (!dtype.isFixedWidth()) {
      throw new IllegalArgumentException("Invalid dtype for a byte tensor: " + dtype.pythonName() + "; use ofStrings");
    }
    long expected = byteSize(dtype, shape);
    if (littleEndianBytes.remaining() != expected) {
      throw new IllegalArgumentException(
          "Invalid byte count for a " + dtype.pythonName() + " tensor of shape " + shape + ": got "
              + littleEndianBytes.remaining() + ", expected " + expected);
    }
    return new Tensor(dtype, shape, littleEndianBytes.slice().order(ByteOrder.LITTLE_ENDIAN), null);
  }

  /**
   * Like {@link #wrap(DType, Shape, ByteBuffer)}, for bytes that belong to {@code owner} (a direct
   * buffer inside an ND4J array): the owner stays reachable, and so its memory alive, as long as
   * the tensor; it is the tensor's {@link #attachment()}. The owner must never change the bytes,
   * with one exception: a kernel that the executor lets overwrite this tensor, because the tensor
   * was made afresh for the one node reading it and no one else can ever see it, may write into the
   * owner's memory and pass the tensor on as its own output.
   */
  public static Tensor wrap(DType dtype, Shape shape, ByteBuffer littleEndianBytes, Object owner) {
    Tensor tensor = wrap(dtype, shape, littleEndianBytes);
    tensor.attachment = owner;
    return tensor;
  }

  /**
   * An object that holds this tensor's elements in another form, such as the ND4J array a kernel
   * converted it to, so the next kernel need not convert again; or null. It never changes the
   * tensor's value: whoever attaches it, and whoever uses it, must not change its elements.
   */
  public Object attachment() {
    return attachment;
  }

  /** Attaches {@code value} (see {@link #attachment()}) unless something is attached already. */
  public void attachIfAbsent(Object value) {
    if (attachment == null) {
      attachment = value;
    }
  }

  /** A string tensor; the element arrays are copied. */
  public static Tensor ofStrings(Shape shape, List<byte[]> elements) {
    if (elements.size() != shape.numElements()) {
      throw new IllegalArgumentException(
          "Invalid element count for a string tensor of shape " + shape + ": got " + elements.size());
    }
    byte[][] copy = new byte[elements.size()][];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = elements.get(i).clone();
    }
    return new Tensor(DType.STRING, shape, null, copy);
  }

  public static Tensor ofStrings(Shape shape, String... utf8) {
    byte[][] bytes = new byte[utf8.length][];
    for (int i = 0; i < utf8.length; i++) {
      bytes[i] = utf8[i].getBytes(StandardCharsets.UTF_8);
    }
    return ofStrings(shape, Arrays.asList(bytes));
  }

  public static Tensor ofFloats(Shape shape, float... values) {
    ByteBuffer buffer = allocate(DType.FLOAT, values.length);
    buffer.asFloatBuffer().put(values);
    return wrap(DType.FLOAT, shape, buffer);
  }

  public static Tensor ofDoubles(Shape shape, double... values) {
    ByteBuffer buffer = allocate(DType.DOUBLE, values.length);
    buffer.asDoubleBuffer().put(values);
    return wrap(DType.DOUBLE, shape, buffer);
  }

  public static Tensor ofInts(Shape shape, int... values) {
    ByteBuffer buffer = allocate(DType.INT32, values.length);
    buffer.asIntBuffer().put(values);
    return wrap(DType.INT32, shape, buffer);
  }

  public static Tensor ofLongs(Shape shape, long... values) {
    ByteBuffer buffer = allocate(DType.INT64, values.length);
    buffer.asLongBuffer().put(values);
    return wrap(DType.INT64, shape, buffer);
  }

  public static Tensor ofBooleans(Shape shape, boolean... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) (values[i] ? 1 : 0);
    }
    return wrap(DType.BOOL, shape, ByteBuffer.wrap(bytes));
  }

  public static Tensor scalar(float value) {
    return ofFloats(Shape.scalar(), value);
  }

  public static Tensor scalar(long value) {
    return ofLongs(Shape.scalar(), value);
  }

  /** Bytes a fixed-width tensor of this shape occupies. */
  public static long byteSize(DType dtype, Shape shape) {
    return Math.multiplyExact(shape.numElements(), (long) dtype.byteWidth());
  }

  private static ByteBuffer allocate(DType dtype, int count) {
    return ByteBuffer.allocate(count * dtype.byteWidth()).order(ByteOrder.LITTLE_ENDIAN);
  }

  public DType dtype() {
    return dtype;
  }

  public Shape shape() {
    return shape;
  }

  public long numElements() {
    return shape.numElements();
  }

  /** The little-endian element bytes as a read-only buffer (fixed-width types only). */
  public ByteBuffer data() {
    requireFixedWidth();
    return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * The element bytes as a ByteString that shares this tensor's memory (fixed-width types only).
   * Safe because tensors never change; a heap array is wrapped directly, so protobuf can write it
   * to a stream without an intermediate copy.
   */
  ByteString unsafeBytes() {
    requireFixedWidth();
    if (data.hasArray()) {
      return UnsafeByteOperations.unsafeWrap(data.array(), data.arrayOffset() + data.position(), data.remaining());
    }
    return UnsafeByteOperations.unsafeWrap(data.asReadOnlyBuffer());
  }

  /** A copy of the little-endian element bytes (fixed-width types only). */
  public byte[] bytes() {
    requireFixedWidth();
    byte[] copy = new byte[data.remaining()];
    data.duplicate().get(copy);
    return copy;
  }

  /** Element {@code index} of a string tensor (a copy). */
  public byte[] string(int index) {
    if (strings == null) {
      throw new IllegalStateException("Cannot read strings from a " + dtype.pythonName() + " tensor");
    }
    return strings[index].clone();
  }

  /** Element {@code index} as a float, for float, double, float16 and bfloat16 tensors. */
  public double doubleAt(long index) {
    int i = Math.toIntExact(index);
    return switch (dtype) {
      case FLOAT -> data.getFloat(i * 4);
      case DOUBLE -> data.getDouble(i * 8);
      case HALF -> HalfFloats.halfToFloat(data.getShort(i * 2));
      case BFLOAT16 -> HalfFloats.bfloat16ToFloat(data.getShort(i * 2));
      default -> longAt(index);
    };
  }

  /** Element {@code index} as a long, for integer and bool tensors; unsigned types are zero-extended. */
  public long longAt(long index) {
    int i = Math.toIntExact(index);
    return switch (dtype) {
      case INT8, QINT8 -> data.get(i);
      case UINT8, QUINT8, BOOL, INT4, UINT4 -> data.get(i) & 0xFFL;
      case INT16, QINT16 -> data.getShort(i * 2);
      case UINT16, QUINT16 -> data.getShort(i * 2) & 0xFFFFL;
      case INT32, QINT32 -> data.getInt(i * 4);
      case UINT32 -> data.getInt(i * 4) & 0xFFFFFFFFL;
      case INT64, UINT64 -> data.getLong(i * 8);
      default -> throw new IllegalStateException("Cannot read " + dtype.pythonName() + " elements as integers");
    };
  }

  private void requireFixedWidth() {
    if (data == null) {
      throw new IllegalStateException("Cannot read raw bytes of a " + dtype.pythonName() + " tensor");
    }
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Tensor that)) {
      return false;
    }
    if (dtype != that.dtype || !shape.equals(that.shape)) {
      return false;
    }
    return strings != null ? Arrays.deepEquals(strings, that.strings) : data.equals(that.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dtype.hashCode() + shape.hashCode()) + (strings != null ? Arrays.deepHashCode(strings) : data.hashCode());
  }

  @Override
  public String toString() {
    return "Tensor(" + dtype.pythonName() + " " + shape + ": " + TensorFormat.values(this, 6) + ")";
  }
}
