package io.sparkpoint.graph;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sparkpoint.proto.CollectionDef;
import io.sparkpoint.proto.VariableDef;

/** Collections moved into a scope on import, and filtered to a scope on export. */
final class ScopedCollections {
  private ScopedCollections() {}

  /** The collection with every node name and variable name placed under {@code scope} (empty, or ending in '/'). */
  static CollectionDef importInto(String name, CollectionDef collection, String scope) {
    if (scope.isEmpty()) {
      return collection;
    }
    CollectionDef.Builder out = collection.toBuilder();
    if (collection.hasNodeList()) {
      out.getNodeListBuilder().clearValue();
      collection.getNodeList().getValueList().forEach(n -> out.getNodeListBuilder().addValue(scope + n));
    } else if (collection.hasBytesList() && GraphCollections.VARIABLE_COLLECTIONS.contains(name)) {
      out.getBytesListBuilder().clearValue();
      for (ByteString bytes : collection.getBytesList().getValueList()) {
        out.getBytesListBuilder().addValue(MetaGraphs.rescopeVariable(parse(name, bytes), scope, null).toByteString());
      }
    }
    return out.build();
  }

  /**
   * The collection as exported: with a scope (ending in '/'), only items under it, scope removed;
   * null when nothing is left.
   */
  static CollectionDef export(String name, CollectionDef collection, String scope) {
    if (scope == null) {
      return collection;
    }
    CollectionDef.Builder out = collection.toBuilder();
    if (collection.hasNodeList()) {
      out.getNodeListBuilder().clearValue();
      collection.getNodeList().getValueList().stream().filter(n -> n.startsWith(scope))
          .forEach(n -> out.getNodeListBuilder().addValue(n.substring(scope.length())));
      return out.getNodeList().getValueCount() == 0 ? null : out.build();
    }
    if (collection.hasBytesList() && GraphCollections.VARIABLE_COLLECTIONS.contains(name)) {
      out.getBytesListBuilder().clearValue();
      for (ByteString bytes : collection.getBytesList().getValueList()) {
        VariableDef variable = parse(name, bytes);
        if (variable.getVariableName().startsWith(scope)) {
          out.getBytesListBuilder().addValue(MetaGraphs.rescopeVariable(variable, null, scope).toByteString());
        }
      }
      return out.getBytesList().getValueCount() == 0 ? null : out.build();
    }
    return collection;
  }

  private static VariableDef parse(String name, ByteString bytes) {
    try {
      return VariableDef.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("Invalid VariableDef in collection '" + name + "': " + e.getMessage(), e);
    }
  }
}
