package io.sparkpoint.spark.train;

import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorProtos;
import io.sparkpoint.proto.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Variable values as the chief broadcasts them (serialized TensorProtos), decoded once per executor
 * JVM. {@code version} tells a replica whether it already holds them.
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
              out.put(entry.getKey(), TensorProtos.fromProto(TensorProto.parseFrom(entry.getValue())));
            } catch (InvalidProtocolBufferException e) {
              throw new IllegalStateException("Cannot decode broadcast variable " + entry.getKey() + ": " + e.getMessage(), e);
            }
          }
          decoded = out;
        }
      }
    }
    return out;
  }

  long bytes() {
    return encoded.values().stream().mapToLong(b -> b.length).sum();
  }
}
