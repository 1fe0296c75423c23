package io.sparkpoint.graph;

import com.google.protobuf.TextFormat;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.OpDef;
import io.sparkpoint.proto.OpList;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The OpDefs of every op the engine knows (TensorFlow 2.18's own, without their prose; see
 * {@code known-ops.txt} and {@code ops.pbtxt} next to this class). It supplies attr defaults,
 * checks a node's attrs and input arity against its OpDef, and builds a MetaGraphDef's
 * {@code stripped_op_list}. Ops it does not know are never refused here: they pass unchecked and
 * unchanged, so unknown graphs can be imported, kept and exported.
 *
 * <p>Immutable and thread-safe.
 */
public final class OpRegistry {
  /** The classpath resource {@link #standard()} reads, relative to this class. */
  static final String STANDARD_RESOURCE = "ops.pbtxt";

  /** Op name to OpDef; sorted, so lists built from it come out sorted by name. */
  private final Map<String, OpDef> ops;

  private OpRegistry(Map<String, OpDef> ops) {
    this.ops = ops;
  }

  /** The registry of the ops Sparkpoint knows, read once from {@code ops.pbtxt} on the classpath. */
  public static OpRegistry standard() {
    return Standard.INSTANCE;
  }

  /**
   * A registry of the given OpDefs.
   *
   * @throws IllegalArgumentException if two OpDefs share a name
   */
  public static OpRegistry of(OpList opList) {
    Map<String, OpDef> ops = new TreeMap<>();
    for (OpDef op : opList.getOpList()) {
      if (ops.put(op.getName(), op) != null) {
        throw new IllegalArgumentException("Invalid op list: op " + op.getName() + " is defined twice");
      }
    }
    return new OpRegistry(ops);
  }

  /** Loaded on first use (class initialization is thread-safe and happens once). */
  private static final class Standard {
    static final OpRegistry INSTANCE = of(load());

    private static OpList load() {
      try (InputStream in = OpRegistry.class.getResourceAsStream(STANDARD_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("Cannot find the op registry resource " + STANDARD_RESOURCE + " next to " + OpRegistry.class.getName());
        }
        OpList.Builder builder = OpList.newBuilder();
        TextFormat.getParser().merge(new String(in.readAllBytes(), StandardCharsets.UTF_8), builder);
        return builder.build();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the op registry resource " + STANDARD_RESOURCE, e);
      }
    }
  }

  /** The OpDef of {@code type}, or null when the op is not known. */
  public OpDef opDef(String type) {
    return ops.get(type);
  }

  public boolean knows(String type) {
    return ops.containsKey(type);
  }

  /** The names of every known op, sorted. */
  public List<String> opNames() {
    return List.copyOf(ops.keySet());
  }

  /** {@code node} with every attr its OpDef defaults and the node lacks; unknown ops come back unchanged. */
  public NodeDef withDefaults(NodeDef node) {
    OpDef op = ops.get(node.getOp());
    if (op == null) {
      return node;
    }
    NodeDef.Builder builder = null;
    for (OpDef.AttrDef attr : op.getAttrList()) {
      if (attr.hasDefaultValue() && !node.containsAttr(attr.getName())) {
        builder = builder != null ? builder : node.toBuilder();
        builder.putAttr(attr.getName(), attr.getDefaultValue());
      }
    }
    return builder != null ? builder.build() : node;
  }

  /**
   * {@code node} without the attrs whose value equals their OpDef default (TF's
   * {@code strip_default_attrs}); unknown ops come back unchanged.
   */
  public NodeDef strippedOfDefaults(NodeDef node) {
    OpDef op = ops.get(node.getOp());
    if (op == null) {
      return node;
    }
    NodeDef.Builder builder = null;
    for (OpDef.AttrDef attr : op.getAttrList()) {
      AttrValue value = node.getAttrMap().get(attr.getName());
      if (attr.hasDefaultValue() && attr.getDefaultValue().equals(value)) {
        builder = builder != null ? builder : node.toBuilder();
        builder.removeAttr(attr.getName());
      }
    }
    return builder != null ? builder.build() : node;
  }

  /**
   * Checks a node of a known op against its OpDef: no attr the OpDef does not declare (names
   * starting with {@code _} are free), every value of the declared kind and within the allowed
   * values and minimum, every attr without a default present, and as many data inputs as the
   * input args need. Nodes of unknown ops pass.
   *
   * @throws IllegalArgumentException "Node 'x' (op MatMul) is missing attr 'T'" and the like
   */
  public void check(NodeDef node) {
    OpDef op = ops.get(node.getOp());
    if (op == null) {
      return;
    }
    Map<String, OpDef.AttrDef> declared = op.getAttrList().stream()
        .collect(Collectors.toMap(OpDef.AttrDef::getName, a -> a, (a, b) -> a, TreeMap::new));
    for (Map.Entry<String, AttrValue> attr : new TreeMap<>(node.getAttrMap()).entrySet()) {
      if (attr.getKey().startsWith("_")) {
        continue;
      }
      OpDef.AttrDef def = declared.get(attr.getKey());
      if (def == null) {
        throw invalid(node, "has unknown attr '" + attr.getKey() + "'");
      }
      String problem = AttrChecks.problem(def, attr.getValue());
      if (problem != null) {
        throw invalid(node, "attr '" + attr.getKey() + "' " + problem);
      }
    }
    for (OpDef.AttrDef def : op.getAttrList()) {
      if (!def.hasDefaultValue() && !node.containsAttr(def.getName())) {
        throw invalid(node, "is missing attr '" + def.getName() + "'");
      }
    }
    int expected = 0;
    for (OpDef.ArgDef arg : op.getInputArgList()) {
      expected += count(node, op, arg);
    }
    int actual = 0;
    for (String input : node.getInputList()) {
      actual += input.startsWith("^") ? 0 : 1;
    }
    if (actual != expected) {
      throw invalid(node, "expects " + expected + " input" + (expected == 1 ? "" : "s") + ", has " + actual);
    }
  }

  /** How many tensors an arg stands for: N of its number_attr, the length of its type_list_attr, or 1. */
  private static int count(NodeDef node, OpDef op, OpDef.ArgDef arg) {
    if (!arg.getNumberAttr().isEmpty()) {
      return Math.toIntExact(attrOrDefault(node, op, arg.getNumberAttr()).getI());
    }
    if (!arg.getTypeListAttr().isEmpty()) {
      return attrOrDefault(node, op, arg.getTypeListAttr()).getList().getTypeCount();
    }
    return 1;
  }

  private static AttrValue attrOrDefault(NodeDef node, OpDef op, String name) {
    AttrValue value = node.getAttrMap().get(name);
    if (value != null) {
      return value;
    }
    for (OpDef.AttrDef def : op.getAttrList()) {
      if (def.getName().equals(name)) {
        return def.getDefaultValue();
      }
    }
    return AttrValue.getDefaultInstance();
  }

  private static IllegalArgumentException invalid(NodeDef node, String problem) {
    return new IllegalArgumentException("Node '" + node.getName() + "' (op " + node.getOp() + ") " + problem);
  }

  /**
   * A MetaGraphDef's {@code stripped_op_list}: the OpDefs of the known ops among {@code opTypes},
   * sorted by name; unknown types are left out.
   */
  public OpList strippedOpList(Collection<String> opTypes) {
    OpList.Builder list = OpList.newBuilder();
    for (String type : new TreeSet<>(opTypes)) {
      OpDef op = ops.get(type);
      if (op != null) {
        list.addOp(op);
      }
    }
    return list.build();
  }
}
