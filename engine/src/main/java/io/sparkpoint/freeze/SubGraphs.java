package io.sparkpoint.freeze;

import com.google.protobuf.ByteString;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.NodeDef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** TensorFlow's {@code extract_sub_graph}: the part of a GraphDef that some destination nodes depend on. */
public final class SubGraphs {
  private static final String COLOCATION_ATTR = "_class";
  private static final String COLOCATION_PREFIX = "loc:@";

  private SubGraphs() {}

  /**
   * Keeps the destination nodes and every node they depend on through data inputs, control inputs
   * ({@code ^name}) and colocation constraints ({@code _class: "loc:@name"}). Kept nodes stay in
   * their original order; {@code library} and {@code versions} are copied unchanged.
   *
   * @param destNodes node names, not tensor names: {@code add}, never {@code add:0}
   * @throws IllegalArgumentException "{@code <name> is not in graph}" for an unknown destination,
   *     TensorFlow's wording; also when a kept node depends on a node the graph lacks
   */
  public static GraphDef extract(GraphDef graph, List<String> destNodes) {
    Set<String> kept = reachable(graph, destNodes);
    GraphDef.Builder out = GraphDef.newBuilder();
    for (NodeDef node : graph.getNodeList()) {
      if (kept.contains(node.getName())) {
        out.addNode(node);
      }
    }
    if (graph.hasLibrary()) {
      out.setLibrary(graph.getLibrary());
    }
    if (graph.hasVersions()) {
      out.setVersions(graph.getVersions());
    }
    return out.build();
  }

  /** The names of the destination nodes and everything they depend on, found breadth first. */
  static Set<String> reachable(GraphDef graph, List<String> destNodes) {
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef node : graph.getNodeList()) {
      byName.put(node.getName(), node);
    }
    for (String dest : destNodes) {
      if (!byName.containsKey(dest)) {
        throw new IllegalArgumentException(dest + " is not in graph");
      }
    }
    Set<String> seen = new HashSet<>(destNodes);
    Deque<String> queue = new ArrayDeque<>(destNodes);
    while (!queue.isEmpty()) {
      NodeDef node = byName.get(queue.poll());
      for (String dependency : dependencies(node)) {
        if (!byName.containsKey(dependency)) {
          throw new IllegalArgumentException(
              "Cannot extract the sub-graph: node " + node.getName() + " depends on " + dependency + ", which is not in graph");
        }
        if (seen.add(dependency)) {
          queue.add(dependency);
        }
      }
    }
    return seen;
  }

  /** Inputs (data and control) by node name, then colocation targets. */
  static List<String> dependencies(NodeDef node) {
    List<String> names = new ArrayList<>();
    for (String input : node.getInputList()) {
      names.add(nodeName(input));
    }
    AttrValue colocation = node.getAttrMap().get(COLOCATION_ATTR);
    if (colocation != null) {
      for (ByteString entry : colocation.getList().getSList()) {
        String text = entry.toString(StandardCharsets.UTF_8);
        names.add(text.startsWith(COLOCATION_PREFIX) ? text.substring(COLOCATION_PREFIX.length()) : text);
      }
    }
    return names;
  }

  /** {@code ^x} and {@code x:1} name node {@code x}. */
  static String nodeName(String input) {
    if (input.startsWith("^")) {
      return input.substring(1);
    }
    int colon = input.indexOf(':');
    return colon < 0 ? input : input.substring(0, colon);
  }
}
