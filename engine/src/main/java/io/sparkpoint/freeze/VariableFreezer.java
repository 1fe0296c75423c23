package io.sparkpoint.freeze;

import com.google.protobuf.CodedOutputStream;
import io.sparkpoint.bundle.KeyNotFoundException;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.FunctionDefLibrary;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorProtos;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TensorFlow's {@code convert_variables_to_constants}: the sub-graph the outputs need, with its
 * variables replaced by Const nodes holding their values.
 */
public final class VariableFreezer {
  /** The largest message protobuf can serialize or parse: 2 GiB minus one byte. */
  public static final long PROTOBUF_LIMIT_BYTES = Integer.MAX_VALUE;

  private static final Set<String> VARIABLE_OPS = Set.of("Variable", "VariableV2", "VarHandleOp");
  private static final String RESOURCE_VARIABLE_OP = "VarHandleOp";

  private VariableFreezer() {}

  /**
   * What freezing produced.
   *
   * @param graphDef the frozen graph
   * @param frozenVariables the names of the variables that became Const nodes, in graph order
   * @param nodesKept the number of nodes in {@code graphDef}
   */
  public record Result(GraphDef graphDef, List<String> frozenVariables, int nodesKept) {}

  /**
   * Freezes {@code graph} for {@code outputs}, TensorFlow's way:
   *
   * <ul>
   *   <li>only the nodes the outputs depend on are kept ({@link SubGraphs#extract}), so Assign,
   *       initializer and save/restore nodes go unless an output needs them;
   *   <li>each kept Variable, VariableV2 and VarHandleOp becomes a Const of the same name, with its
   *       {@code dtype} attr and the value read from {@code values} (by node name, then by its
   *       {@code shared_name}); everything else about the variable is dropped;
   *   <li>a ReadVariableOp of a converted VarHandleOp becomes an Identity ({@code T} = its dtype,
   *       {@code _class} kept), and Identity nodes between the two get {@code T} set to the dtype;
   *   <li>{@code library} is copied and {@code versions} left empty, as TensorFlow 2.x does.
   * </ul>
   *
   * <p>Values are read one at a time and go straight into the output: memory holds the output and
   * at most one value beyond it.
   *
   * @param allowlist if not null, only these variables are frozen
   * @param denylist if not null, these variables are not frozen
   * @throws IllegalArgumentException "{@code <name> is not in graph}" for an unknown output
   * @throws FreezeException when a variable is missing from {@code values} (naming both), has the
   *     wrong dtype there, or the frozen graph would exceed protobuf's 2 GiB limit
   */
  public static Result convertVariablesToConstants(
      ValueSource values, GraphDef graph, List<String> outputs, Set<String> allowlist, Set<String> denylist)
      throws IOException {
    return convert(values, graph, outputs, allowlist, denylist, PROTOBUF_LIMIT_BYTES);
  }

  /** As above, with the size limit as a parameter so tests can reach it. */
  static Result convert(
      ValueSource values, GraphDef graph, List<String> outputs, Set<String> allowlist, Set<String> denylist,
      long limitBytes) throws IOException {
    GraphDef.Builder out = GraphDef.newBuilder();
    Streamed streamed = convert(values, graph, outputs, allowlist, denylist, limitBytes, false /* read in turn */, new NodeSink() {
      @Override
      public void library(FunctionDefLibrary library) {
        out.setLibrary(library);
      }

      @Override
      public void node(NodeDef node) {
        out.addNode(node);
      }
    });
    return new Result(out.build(), streamed.frozenVariables(), streamed.nodesKept());
  }

  /**
   * Freezes like {@link #convertVariablesToConstants} but writes the frozen GraphDef straight to
   * {@code out} in protobuf's binary format, node by node, so memory holds one value at a time
   * rather than the whole graph. Returns what was frozen.
   */
  public static Streamed convertVariablesToConstants(
      ValueSource values, GraphDef graph, List<String> outputs, Set<String> allowlist, Set<String> denylist,
      CodedOutputStream out) throws IOException {
    return convert(values, graph, outputs, allowlist, denylist, PROTOBUF_LIMIT_BYTES, true /* read ahead */, new NodeSink() {
      @Override
      public void library(FunctionDefLibrary library) throws IOException {
        out.writeMessage(GraphDef.LIBRARY_FIELD_NUMBER, library);
      }

      @Override
      public void node(NodeDef node) throws IOException {
        out.writeMessage(GraphDef.NODE_FIELD_NUMBER, node);
      }
    });
  }

  /** What a streamed freeze wrote. */
  public record Streamed(List<String> frozenVariables, int nodesKept, long bytes) {}

  /** Receives the frozen graph's fields as they are produced. */
  private interface NodeSink {
    void library(FunctionDefLibrary library) throws IOException;

    void node(NodeDef node) throws IOException;
  }

  private static Streamed convert(
      ValueSource values, GraphDef graph, List<String> outputs, Set<String> allowlist, Set<String> denylist,
      long limitBytes, boolean readAhead, NodeSink sink) throws IOException {
    GraphDef inference = SubGraphs.extract(graph, outputs);
    Map<String, NodeDef> toFreeze = new LinkedHashMap<>();
    for (NodeDef node : inference.getNodeList()) {
      boolean allowed = allowlist == null || allowlist.contains(node.getName());
      boolean denied = denylist != null && denylist.contains(node.getName());
      if (VARIABLE_OPS.contains(node.getOp()) && allowed && !denied) {
        if (!node.getAttrMap().containsKey("dtype")) {
          throw new FreezeException("Cannot freeze variable " + node.getName() + ": it has no dtype attr", null);
        }
        toFreeze.put(node.getName(), node);
      }
    }
    ResourceReads reads = new ResourceReads(inference, toFreeze);
    long bytes = 0;
    int kept = 0;
    if (inference.hasLibrary()) {
      sink.library(inference.getLibrary());
      bytes += CodedOutputStream.computeMessageSize(GraphDef.LIBRARY_FIELD_NUMBER, inference.getLibrary());
    }
    List<String> frozen = new ArrayList<>();
    ReadAhead ahead = readAhead
        ? new ReadAhead(name -> lookup(toFreeze.get(name), values::value), new ArrayList<>(toFreeze.keySet()))
        : null;
    try {
      for (NodeDef node : inference.getNodeList()) {
        NodeDef converted;
        if (toFreeze.containsKey(node.getName())) {
          converted = constant(values, ahead, node, bytes, limitBytes);
          frozen.add(node.getName());
        } else {
          converted = reads.convert(node);
        }
        bytes += CodedOutputStream.computeMessageSize(GraphDef.NODE_FIELD_NUMBER, converted);
        if (bytes > limitBytes) {
          throw FreezeException.tooLarge(node.getName(), bytes, limitBytes);
        }
        sink.node(converted);
        kept++;
      }
    } finally {
      if (ahead != null) {
        ahead.close();
      }
    }
    return new Streamed(List.copyOf(frozen), kept, bytes);
  }

  /**
   * The Const that replaces {@code variable}; reads its value (from {@code ahead} when reading
   * ahead, else directly) only when it can still fit.
   */
  private static NodeDef constant(ValueSource values, ReadAhead ahead, NodeDef variable, long bytesSoFar, long limitBytes)
      throws IOException {
    String name = variable.getName();
    AttrValue dtype = variable.getAttrMap().get("dtype");
    long hint = lookup(variable, values::byteSizeHint);
    if (bytesSoFar + hint > limitBytes) {
      throw FreezeException.tooLarge(name, bytesSoFar + hint, limitBytes);
    }
    Tensor value = ahead != null ? ahead.value(name) : lookup(variable, values::value);
    if (value.dtype().number() != dtype.getTypeValue()) {
      throw new FreezeException(
          "Cannot freeze variable " + name + ": its value is " + value.dtype().pythonName() + " but the variable is "
              + DType.fromNumber(dtype.getTypeValue()).pythonName(), null);
    }
    return NodeDef.newBuilder()
        .setName(name)
        .setOp("Const")
        .putAttr("dtype", dtype)
        .putAttr("value", AttrValue.newBuilder().setTensor(TensorProtos.toProto(value, TensorProtos.Encoding.PYTHON)).build())
        .build();
  }

  /** Reads by node name, then by a different {@code shared_name}; a miss names variable and checkpoint. */
  private static <T> T lookup(NodeDef variable, Read<T> read) throws IOException {
    try {
      return read.apply(variable.getName());
    } catch (KeyNotFoundException missing) {
      AttrValue shared = variable.getAttrMap().get("shared_name");
      String sharedName = shared == null ? "" : shared.getS().toStringUtf8();
      if (!sharedName.isEmpty() && !sharedName.equals(variable.getName())) {
        try {
          return read.apply(sharedName);
        } catch (KeyNotFoundException alsoMissing) {
          missing.addSuppressed(alsoMissing);
        }
      }
      throw new FreezeException("Cannot freeze variable " + variable.getName() + ": " + missing.getMessage(), missing);
    }
  }

  private interface Read<T> {
    T apply(String key) throws IOException;
  }

  /** Rewrites the reads of converted resource variables: ReadVariableOp and the Identity nodes before it. */
  private static final class ResourceReads {
    private final Map<String, NodeDef> byName = new HashMap<>();
    private final Map<String, NodeDef> converted;
    /** Node name to the converted VarHandleOp it passes on (itself, or through Identity nodes); absent if none. */
    private final Map<String, NodeDef> variableBehind = new HashMap<>();

    ResourceReads(GraphDef graph, Map<String, NodeDef> converted) {
      this.converted = converted;
      for (NodeDef node : graph.getNodeList()) {
        byName.put(node.getName(), node);
      }
      for (NodeDef node : graph.getNodeList()) {
        NodeDef variable = resolve(node, new HashSet<>());
        if (variable != null) {
          variableBehind.put(node.getName(), variable);
        }
      }
    }

    private NodeDef resolve(NodeDef node, Set<String> visiting) {
      if (node.getOp().equals(RESOURCE_VARIABLE_OP)) {
        return converted.containsKey(node.getName()) ? node : null;
      }
      if (!node.getOp().equals("Identity") || node.getInputCount() == 0 || !visiting.add(node.getName())) {
        return null;
      }
      NodeDef input = byName.get(SubGraphs.nodeName(node.getInput(0)));
      return input == null ? null : resolve(input, visiting);
    }

    NodeDef convert(NodeDef node) {
      if (node.getOp().equals("ReadVariableOp") && node.getInputCount() > 0
          && variableBehind.containsKey(SubGraphs.nodeName(node.getInput(0)))) {
        NodeDef.Builder identity = NodeDef.newBuilder().setName(node.getName()).setOp("Identity").addInput(node.getInput(0));
        if (node.getAttrMap().containsKey("dtype")) {
          identity.putAttr("T", node.getAttrMap().get("dtype"));
        }
        if (node.getAttrMap().containsKey("_class")) {
          identity.putAttr("_class", node.getAttrMap().get("_class"));
        }
        return identity.build();
      }
      if (node.getOp().equals("Identity") && variableBehind.containsKey(node.getName())) {
        return node.toBuilder().putAttr("T", variableBehind.get(node.getName()).getAttrMap().get("dtype")).build();
      }
      return node;
    }
  }
}
