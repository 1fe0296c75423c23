package io.sparkpoint.tensor;

import com.google.protobuf.ByteString;
import io.sparkpoint.bytes.Varints;
import io.sparkpoint.proto.DataType;
import io.sparkpoint.proto.TensorProto;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Converts tensors to and from {@link TensorProto}, with TensorFlow's rules: {@code
 * tensor_content} wins when present; otherwise the typed {@code *_val} field is read, and when it
 * holds fewer values than the shape needs, the last value repeats (so one value fills the shape).
 */
public final class TensorProtos {
  /** Types Python's make_tensor_proto writes as tensor_content when there is more than one element. */
  private static final Set<DType> CONTENT_TYPES =
      EnumSet.of(
          DType.HALF, DType.FLOAT, DType.DOUBLE, DType.INT32, DType.UINT8, DType.INT16, DType.INT8,
          DType.INT64, DType.QINT8, DType.QUINT8, DType.QINT16, DType.QUINT16, DType.QINT32,
          DType.UINT32, DType.UINT64);

  private TensorProtos() {}

  /** How {@link #toProto} encodes values. */
  public enum Encoding {
    /** Always {@code tensor_content}, as TensorFlow's C++ AsProtoTensorContent does. */
    CONTENT,
    /** Always the typed {@code *_val} fields. */
    TYPED,
    /** Python's make_tensor_proto: content for common numeric types with more than one element. */
    PYTHON
  }

  public static TensorProto toProto(Tensor tensor, Encoding encoding) {
    DType dtype = tensor.dtype();
    TensorProto.Builder proto =
        TensorProto.newBuilder().setDtypeValue(dtype.number()).setTensorShape(tensor.shape().toProto());
    boolean content =
        switch (encoding) {
          case CONTENT -> true;
          case TYPED -> false;
          case PYTHON -> CONTENT_TYPES.contains(dtype) && tensor.numElements() > 1;
        };
    if (content) {
      // Tensors are immutable, so their bytes can back the proto without a copy.
      proto.setTensorContent(dtype == DType.STRING ? stringContent(tensor) : tensor.unsafeBytes());
    } else {
      writeTypedValues(tensor, proto);
    }
    return proto.build();
  }

  /**
   * @throws IllegalArgumentException when the proto's dtype, shape or values are invalid
   * @throws UnsupportedDTypeException for resource and variant tensors
   */
  public static Tensor fromProto(TensorProto proto) {
    DType dtype = DType.fromNumber(proto.getDtypeValue());
    dtype.checkStorable("(TensorProto)");
    Shape shape = Shape.fromProto(proto.getTensorShape());
    long count = shape.numElements();
    if (dtype.isFixedWidth() && count > (Integer.MAX_VALUE - 8) / dtype.byteWidth()) {
      throw new IllegalArgumentException(
          "Cannot hold a " + dtype.pythonName() + " TensorProto of shape " + shape + " in memory: over 2 GiB");
    }
    if (dtype == DType.STRING && count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("Cannot hold a string TensorProto of shape " + shape + " in memory: too many elements");
    }
    if (!proto.getTensorContent().isEmpty()) {
      return dtype == DType.STRING ? stringsFromContent(shape, proto.getTensorContent()) : fromContent(dtype, shape, proto.getTensorContent());
    }
    if (dtype == DType.STRING) {
      List<byte[]> values = new ArrayList<>();
      List<ByteString> stored = proto.getStringValList();
      for (long i = 0; i < count; i++) {
        values.add(stored.isEmpty() ? new byte[0] : stored.get((int) Math.min(i, stored.size() - 1)).toByteArray());
      }
      return Tensor.ofStrings(shape, values);
    }
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(Tensor.byteSize(dtype, shape))).order(ByteOrder.LITTLE_ENDIAN);
    TypedValues values = TypedValues.of(proto, dtype);
    int available = values.count();
    for (long i = 0; i < count; i++) {
      if (available == 0) {
        break; // zero-filled
      }
      values.put(out, (int) Math.min(i, available - 1));
    }
    out.rewind();
    return Tensor.wrap(dtype, shape, out);
  }

  private static Tensor fromContent(DType dtype, Shape shape, ByteString content) {
    long expected = Tensor.byteSize(dtype, shape);
    if (content.size() != expected) {
      throw new IllegalArgumentException(
          "Invalid tensor_content: " + content.size() + " bytes for a " + dtype.pythonName() + " tensor of shape "
              + shape + ", expected " + expected);
    }
    return Tensor.wrap(dtype, shape, ByteBuffer.wrap(content.toByteArray()));
  }

  private static ByteString stringContent(Tensor tensor) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int count = Math.toIntExact(tensor.numElements());
    for (int i = 0; i < count; i++) {
      Varints.writeVarint64(out, tensor.string(i).length);
    }
    for (int i = 0; i < count; i++) {
      out.writeBytes(tensor.string(i));
    }
    return ByteString.copyFrom(out.toByteArray());
  }

  private static Tensor stringsFromContent(Shape shape, ByteString content) {
    ByteBuffer buffer = content.asReadOnlyByteBuffer();
    int count = Math.toIntExact(shape.numElements());
    long[] lengths = new long[count];
    for (int i = 0; i < count; i++) {
      lengths[i] = Varints.readVarint32(buffer) & 0xFFFFFFFFL;
    }
    List<byte[]> values = new ArrayList<>(count);
    for (long length : lengths) {
      if (length > buffer.remaining()) {
        throw new IllegalArgumentException("Invalid string tensor_content: element of " + length + " bytes runs past the end");
      }
      byte[] value = new byte[(int) length];
      buffer.get(value);
      values.add(value);
    }
    return Tensor.ofStrings(shape, values);
  }

  private static void writeTypedValues(Tensor tensor, TensorProto.Builder proto) {
    int count = Math.toIntExact(tensor.numElements());
    ByteBuffer data = tensor.dtype() == DType.STRING ? null : tensor.data();
    for (int i = 0; i < count; i++) {
      switch (tensor.dtype()) {
        case FLOAT -> proto.addFloatVal(data.getFloat(i * 4));
        case DOUBLE -> proto.addDoubleVal(data.getDouble(i * 8));
        case HALF, BFLOAT16 -> proto.addHalfVal(data.getShort(i * 2) & 0xFFFF);
        case INT8, INT16, INT32, UINT8, UINT16, QINT8, QUINT8, QINT16, QUINT16, QINT32, INT4, UINT4 ->
            proto.addIntVal((int) tensor.longAt(i));
        case INT64 -> proto.addInt64Val(data.getLong(i * 8));
        case UINT32 -> proto.addUint32Val(data.getInt(i * 4));
        case UINT64 -> proto.addUint64Val(data.getLong(i * 8));
        case BOOL -> proto.addBoolVal(data.get(i) != 0);
        case COMPLEX64 -> proto.addScomplexVal(data.getFloat(i * 8)).addScomplexVal(data.getFloat(i * 8 + 4));
        case COMPLEX128 -> proto.addDcomplexVal(data.getDouble(i * 16)).addDcomplexVal(data.getDouble(i * 16 + 8));
        case STRING -> proto.addStringVal(ByteString.copyFrom(tensor.string(i)));
        case FLOAT8_E5M2, FLOAT8_E4M3FN -> { } // written below as one bytes field
        default -> throw new UnsupportedDTypeException("Unsupported dtype " + tensor.dtype().pythonName() + " in TensorProto");
      }
    }
    if (tensor.dtype() == DType.FLOAT8_E5M2 || tensor.dtype() == DType.FLOAT8_E4M3FN) {
      proto.setFloat8Val(ByteString.copyFrom(tensor.data()));
    }
  }

  /** A view of the typed field that holds a dtype's values, one element at a time. */
  private interface TypedValues {
    int count();

    /** Appends element {@code index} (in elements, not values) to {@code out}. */
    void put(ByteBuffer out, int index);

    static TypedValues of(TensorProto p, DType dtype) {
      return switch (dtype) {
        case FLOAT -> of(p.getFloatValCount(), (out, i) -> out.putFloat(p.getFloatVal(i)));
        case DOUBLE -> of(p.getDoubleValCount(), (out, i) -> out.putDouble(p.getDoubleVal(i)));
        case HALF, BFLOAT16 -> of(p.getHalfValCount(), (out, i) -> out.putShort((short) p.getHalfVal(i)));
        case INT8, UINT8, QINT8, QUINT8, INT4, UINT4 -> of(p.getIntValCount(), (out, i) -> out.put((byte) p.getIntVal(i)));
        case INT16, UINT16, QINT16, QUINT16 -> of(p.getIntValCount(), (out, i) -> out.putShort((short) p.getIntVal(i)));
        case INT32, QINT32 -> of(p.getIntValCount(), (out, i) -> out.putInt(p.getIntVal(i)));
        case INT64 -> of(p.getInt64ValCount(), (out, i) -> out.putLong(p.getInt64Val(i)));
        case UINT32 -> of(p.getUint32ValCount(), (out, i) -> out.putInt(p.getUint32Val(i)));
        case UINT64 -> of(p.getUint64ValCount(), (out, i) -> out.putLong(p.getUint64Val(i)));
        case BOOL -> of(p.getBoolValCount(), (out, i) -> out.put((byte) (p.getBoolVal(i) ? 1 : 0)));
        case COMPLEX64 -> of(p.getScomplexValCount() / 2, (out, i) -> out.putFloat(p.getScomplexVal(2 * i)).putFloat(p.getScomplexVal(2 * i + 1)));
        case COMPLEX128 -> of(p.getDcomplexValCount() / 2, (out, i) -> out.putDouble(p.getDcomplexVal(2 * i)).putDouble(p.getDcomplexVal(2 * i + 1)));
        case FLOAT8_E5M2, FLOAT8_E4M3FN -> p.getFloat8Val().isEmpty()
            ? of(p.getHalfValCount(), (out, i) -> out.put((byte) p.getHalfVal(i)))
            : of(p.getFloat8Val().size(), (out, i) -> out.put(p.getFloat8Val().byteAt(i)));
        default -> throw new UnsupportedDTypeException("Unsupported dtype " + dtype.pythonName() + " in TensorProto");
      };
    }

    static TypedValues of(int count, java.util.function.ObjIntConsumer<ByteBuffer> writer) {
      return new TypedValues() {
        @Override
        public int count() {
          return count;
        }

        @Override
        public void put(ByteBuffer out, int index) {
          writer.accept(out, index);
        }
      };
    }
  }

  /** The proto enum for a dtype. */
  public static DataType toProtoType(DType dtype) {
    return DataType.forNumber(dtype.number());
  }
}
