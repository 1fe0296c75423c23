package io.sparkpoint.graph;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sparkpoint.proto.CollectionDef;
import io.sparkpoint.proto.SaverDef;
import io.sparkpoint.proto.VariableDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph's named collections, stored as TensorFlow stores them in a MetaGraphDef: node names
 * ({@code node_list}), serialized protos or bytes ({@code bytes_list}), int64s or floats. Items
 * come back typed: {@link Operation} and {@link Output} for node names, {@link VariableDef} for the
 * variable collections, {@link SaverDef} for {@code savers}, Long, Float or ByteString otherwise.
 */
public final class GraphCollections {
  /** Collections whose bytes are serialized VariableDefs. */
  public static final Set<String> VARIABLE_COLLECTIONS =
      Set.of("variables", "trainable_variables", "local_variables", "model_variables", "moving_average_variables", "metric_variables",
          "global_step");

  public static final String GLOBAL_VARIABLES = "variables";
  public static final String TRAINABLE_VARIABLES = "trainable_variables";
  public static final String GLOBAL_STEP = "global_step";

  private final Graph graph;
  private final Map<String, CollectionDef> collections = new LinkedHashMap<>();

  GraphCollections(Graph graph) {
    this.graph = graph;
  }

  /**
   * Appends an item: an Operation or Output (node_list), a VariableDef or SaverDef or ByteString or
   * byte[] or String (bytes_list), a Long or Integer (int64_list), a Float or Double (float_list).
   *
   * @throws IllegalArgumentException when the collection already holds another kind of item
   */
  public void add(String name, Object item) {
    CollectionDef existing = collections.getOrDefault(name, CollectionDef.getDefaultInstance());
    CollectionDef.Builder builder = existing.toBuilder();
    CollectionDef.KindCase kind = kindOf(item);
    if (existing.getKindCase() != CollectionDef.KindCase.KIND_NOT_SET && existing.getKindCase() != kind) {
      throw new IllegalArgumentException(
          "Cannot add a " + item.getClass().getSimpleName() + " to collection '" + name + "', which holds "
              + existing.getKindCase().name().toLowerCase());
    }
    switch (kind) {
      case NODE_LIST -> builder.getNodeListBuilder().addValue(
          item instanceof Operation op ? op.name() : ((Output) item).name());
      case BYTES_LIST -> builder.getBytesListBuilder().addValue(bytesOf(item));
      case INT64_LIST -> builder.getInt64ListBuilder().addValue(((Number) item).longValue());
      case FLOAT_LIST -> builder.getFloatListBuilder().addValue(((Number) item).floatValue());
      default -> throw new IllegalStateException("unreachable");
    }
    collections.put(name, builder.build());
  }

  /** The items of a collection, typed (see the class comment); empty if there is no such collection. */
  public List<Object> get(String name) {
    CollectionDef def = collections.get(name);
    List<Object> items = new ArrayList<>();
    if (def == null) {
      return items;
    }
    switch (def.getKindCase()) {
      case NODE_LIST -> def.getNodeList().getValueList().forEach(n -> items.add(n.contains(":") ? graph.getTensorByName(n) : graph.getOperationByName(n)));
      case BYTES_LIST -> def.getBytesList().getValueList().forEach(b -> items.add(parse(name, b)));
      case INT64_LIST -> def.getInt64List().getValueList().forEach(items::add);
      case FLOAT_LIST -> def.getFloatList().getValueList().forEach(items::add);
      default -> { }
    }
    return items;
  }

  public Set<String> names() {
    return java.util.Collections.unmodifiableSet(collections.keySet());
  }

  /** The collection as stored, or null. */
  public CollectionDef def(String name) {
    return collections.get(name);
  }

  /** Replaces a collection with its stored form (used when importing a MetaGraphDef). */
  public void put(String name, CollectionDef def) {
    collections.put(name, def);
  }

  public void clear(String name) {
    collections.remove(name);
  }

  private static Object parse(String name, ByteString bytes) {
    try {
      if (VARIABLE_COLLECTIONS.contains(name)) {
        return VariableDef.parseFrom(bytes);
      }
      if (name.equals("savers")) {
        return SaverDef.parseFrom(bytes);
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("Invalid item in collection '" + name + "': " + e.getMessage(), e);
    }
    return bytes;
  }

  private static CollectionDef.KindCase kindOf(Object item) {
    if (item instanceof Operation || item instanceof Output) {
      return CollectionDef.KindCase.NODE_LIST;
    }
    if (item instanceof VariableDef || item instanceof SaverDef || item instanceof ByteString || item instanceof byte[] || item instanceof String) {
      return CollectionDef.KindCase.BYTES_LIST;
    }
    if (item instanceof Long || item instanceof Integer) {
      return CollectionDef.KindCase.INT64_LIST;
    }
    if (item instanceof Float || item instanceof Double) {
      return CollectionDef.KindCase.FLOAT_LIST;
    }
    throw new IllegalArgumentException("Unsupported collection item: " + item.getClass().getName());
  }

  private static ByteString bytesOf(Object item) {
    if (item instanceof com.google.protobuf.Message message) {
      return message.toByteString();
    }
    if (item instanceof byte[] bytes) {
      return ByteString.copyFrom(bytes);
    }
    if (item instanceof String text) {
      return ByteString.copyFromUtf8(text);
    }
    return (ByteString) item;
  }
}
