package io.sparkpoint.spark.train;

import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorProtos;
import io.sparkpoint.proto.TensorProto;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Variable values as the chief broadcasts them (serialized TensorProtos), decoded once per executor
 * JVM. Decoding copies no numeric tensor: each wraps its content where the encoded bytes hold it, so
 * an executor holds a broadcast checkpoint once, not twice, and decoding it costs no copy.
 * {@code version} tells a replica whether it already holds them.
 */
final class VariableValues implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long version;
  private final LinkedHashMap<String, byte[]> encoded = new LinkedHashMap<>();
  private transient volatile Map<String, Tensor> decoded;

  VariableValues(long version, Map<String, Tensor> values) {
    this.version = version;
    values.forEach((name, value) -> encoded.put(name, TensorProtos.toProto(value, TensorProtos.Encoding.CONTENT).toByteArray()));
  }

  long version() {
    return version;
  }

  Map<String, Tensor> values() {
    Map<String, Tensor> out = decoded;
    if (out == null) {
      synchronized (this) {
        out = decoded;
        if (out == null) {
          out = new LinkedHashMap<>();
          for (Map.Entry<String, byte[]> entry : encoded.entrySet()) {
            try {
              out.put(entry.getKey(), decode(entry.getValue()));
            } catch (IOException e) {
              throw new IllegalStateException("Cannot decode broadcast variable " + entry.getKey() + ": " + e.getMessage(), e);
            }
          }
          decoded = out;
        }
      }
    }
    return out;
  }

  /** The proto parsed with aliasing, so its content is a view of {@code bytes}; numeric tensors wrap that view (never written to). */
  private static Tensor decode(byte[] bytes) throws IOException {
    CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes).newCodedInput();
    in.enableAliasing(true);
    TensorProto proto = TensorProto.parseFrom(in);
    DType dtype = DType.fromNumber(proto.getDtypeValue());
    if (dtype.isFixedWidth() && !proto.getTensorContent().isEmpty()) {
      return Tensor.wrap(dtype, Shape.fromProto(proto.getTensorShape()), proto.getTensorContent().asReadOnlyByteBuffer());
    }
    return TensorProtos.fromProto(proto);
  }

  long bytes() {
    return encoded.values().stream().mapToLong(b -> b.length).sum();
  }
}
