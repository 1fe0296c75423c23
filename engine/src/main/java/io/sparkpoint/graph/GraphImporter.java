package io.sparkpoint.graph;

import com.google.protobuf.ByteString;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.FunctionDef;
import io.sparkpoint.proto.FunctionDefLibrary;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.NodeDef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * import_graph_def: copies a GraphDef's nodes into a graph under a name prefix, remapping inputs
 * and returning the requested operations and tensors. Everything is checked before the graph
 * changes, so a failed import leaves the graph as it was.
 */
public final class GraphImporter {
  /** TensorFlow's default prefix for imported names. */
  public static final String DEFAULT_PREFIX = "import";

  private GraphImporter() {}

  /**
   * @param prefix names become {@code prefix/name}; empty imports the names as they are (they must
   *     not exist in the graph); an already used prefix is made unique ({@code import_1})
   * @param inputMap imported tensor names ({@code x:0}, or {@code ^x} for a control input) to outputs
   *     of the existing graph that replace them
   * @param returnElements names in the GraphDef of operations ({@code add}) or tensors ({@code add:0})
   * @return the requested elements, each an {@link Operation} or an {@link Output}, in order
   */
  public static List<Object> importGraphDef(
      Graph graph, GraphDef def, String prefix, Map<String, Output> inputMap, List<String> returnElements) {
    return importScoped(graph, def, prefix, inputMap, returnElements).elements();
  }

  /** What an import did: the scope names were placed under (empty or ending in '/') and the returned elements. */
  record Imported(String scope, List<Object> elements) {}

  static Imported importScoped(
      Graph graph, GraphDef def, String prefix, Map<String, Output> inputMap, List<String> returnElements) {
    Map<String, NodeDef> nodes = new LinkedHashMap<>();
    for (NodeDef node : def.getNodeList()) {
      GraphNames.checkOpName(node.getName());
      if (nodes.put(node.getName(), node) != null) {
        throw new IllegalArgumentException("Node '" + node.getName() + "' is not unique");
      }
    }
    for (Map.Entry<String, Output> mapped : inputMap.entrySet()) {
      if (mapped.getValue().op().graph() != graph) {
        throw new IllegalArgumentException("Cannot map " + mapped.getKey() + " to " + mapped.getValue() + ": it belongs to another graph");
      }
    }
    checkAcyclic(nodes);
    String scope = prefix.isEmpty() ? "" : graph.uniqueName(prefix) + "/";
    Set<String> usedKeys = new HashSet<>();
    List<NodeDef> renamed = new ArrayList<>();
    for (NodeDef node : nodes.values()) {
      NodeDef.Builder copy = node.toBuilder().setName(scope + node.getName()).clearInput();
      for (String input : node.getInputList()) {
        copy.addInput(rewriteInput(input, node.getName(), nodes, scope, inputMap, usedKeys));
      }
      AttrValue colocation = node.getAttrMap().get("_class");
      if (colocation != null && !scope.isEmpty()) {
        copy.putAttr("_class", prefixColocation(colocation, scope, nodes));
      }
      if (scope.isEmpty() && graph.operation(node.getName()) != null) {
        throw new IllegalArgumentException(
            "Cannot import node '" + node.getName() + "' without a prefix: the graph already has an operation with that name");
      }
      renamed.add(copy.build());
    }
    Set<String> unused = new TreeSet<>(inputMap.keySet());
    unused.removeAll(usedKeys);
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException("Attempted to map inputs that were not found in graph_def: " + unused);
    }
    List<String> resolved = new ArrayList<>();
    for (String element : returnElements) {
      resolved.add(resolveReturn(element, nodes, scope));
    }
    graph.setLibrary(mergeLibrary(graph.library(), def.getLibrary()));
    graph.addAll(renamed);
    List<Object> results = new ArrayList<>();
    for (String name : resolved) {
      results.add(name.contains(":") ? graph.getTensorByName(name) : graph.operation(name));
    }
    return new Imported(scope, results);
  }

  private static String rewriteInput(
      String input, String consumer, Map<String, NodeDef> nodes, String scope, Map<String, Output> inputMap, Set<String> used) {
    GraphNames.Reference ref = GraphNames.Reference.parse(input);
    String key = ref.control() ? "^" + ref.op() : ref.op() + ":" + ref.port();
    Output mapped = inputMap.get(key);
    if (mapped == null && !ref.control() && ref.port() == 0) {
      mapped = inputMap.get(ref.op());
      key = mapped != null ? ref.op() : key;
    }
    if (mapped != null) {
      used.add(key);
      return ref.control() ? "^" + mapped.op().name() : mapped.inputString();
    }
    if (!nodes.containsKey(ref.op())) {
      throw new IllegalArgumentException(
          "Node '" + consumer + "': Unknown input node '" + input + "' (it is not in the GraphDef and not in input_map)");
    }
    if (ref.control()) {
      return "^" + scope + ref.op();
    }
    return scope + (ref.port() == 0 && !input.endsWith(":0") ? ref.op() : ref.op() + ":" + ref.port());
  }

  private static AttrValue prefixColocation(AttrValue colocation, String scope, Map<String, NodeDef> nodes) {
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    for (ByteString entry : colocation.getList().getSList()) {
      String text = entry.toString(StandardCharsets.UTF_8);
      if (text.startsWith("loc:@") && nodes.containsKey(text.substring(5))) {
        text = "loc:@" + scope + text.substring(5);
      }
      list.addS(ByteString.copyFrom(text, StandardCharsets.UTF_8));
    }
    return colocation.toBuilder().setList(list).build();
  }

  private static String resolveReturn(String element, Map<String, NodeDef> nodes, String scope) {
    GraphNames.Reference ref = GraphNames.Reference.parse(element);
    boolean tensor = element.contains(":") && !ref.op().equals(element);
    if (!nodes.containsKey(ref.op()) || ref.control()) {
      throw new IllegalArgumentException(
          "Requested return " + (tensor ? "tensor" : "node") + " '" + element + "' not found in graph def");
    }
    return tensor ? scope + ref.op() + ":" + ref.port() : scope + ref.op();
  }

  /** Kahn's algorithm; edges from NextIteration into Merge are loop back edges and allowed. */
  private static void checkAcyclic(Map<String, NodeDef> nodes) {
    Map<String, Integer> pending = new HashMap<>();
    Map<String, List<String>> consumers = new HashMap<>();
    for (NodeDef node : nodes.values()) {
      int count = 0;
      boolean merge = node.getOp().equals("Merge") || node.getOp().equals("RefMerge");
      for (String input : node.getInputList()) {
        String producer = GraphNames.Reference.parse(input).op();
        NodeDef from = nodes.get(producer);
        if (from == null || (merge && from.getOp().endsWith("NextIteration"))) {
          continue;
        }
        count++;
        consumers.computeIfAbsent(producer, k -> new ArrayList<>()).add(node.getName());
      }
      pending.put(node.getName(), count);
    }
    Deque<String> ready = new ArrayDeque<>();
    pending.forEach((name, count) -> {
      if (count == 0) {
        ready.add(name);
      }
    });
    int visited = 0;
    while (!ready.isEmpty()) {
      String name = ready.poll();
      visited++;
      for (String consumer : consumers.getOrDefault(name, List.of())) {
        if (pending.merge(consumer, -1, Integer::sum) == 0) {
          ready.add(consumer);
        }
      }
    }
    if (visited < nodes.size()) {
      Set<String> cycle = new LinkedHashSet<>();
      for (String name : nodes.keySet()) {
        if (pending.get(name) > 0 && cycle.size() < 10) {
          cycle.add(name);
        }
      }
      throw new IllegalArgumentException("GraphDef contains a cycle through the nodes " + cycle);
    }
  }

  private static FunctionDefLibrary mergeLibrary(FunctionDefLibrary existing, FunctionDefLibrary added) {
    if (added.equals(FunctionDefLibrary.getDefaultInstance())) {
      return existing;
    }
    if (existing.equals(FunctionDefLibrary.getDefaultInstance())) {
      return added;
    }
    FunctionDefLibrary.Builder merged = existing.toBuilder();
    Map<String, FunctionDef> byName = new HashMap<>();
    for (FunctionDef function : existing.getFunctionList()) {
      byName.put(function.getSignature().getName(), function);
    }
    for (FunctionDef function : added.getFunctionList()) {
      FunctionDef old = byName.get(function.getSignature().getName());
      if (old == null) {
        merged.addFunction(function);
      } else if (!old.equals(function)) {
        throw new IllegalArgumentException(
            "Cannot import function " + function.getSignature().getName() + ": the graph has a different function of that name");
      }
    }
    merged.addAllGradient(added.getGradientList());
    return merged.build();
  }
}
