package io.sparkpoint.graph;

import io.sparkpoint.proto.FunctionDefLibrary;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.VersionDef;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A TensorFlow graph: operations in the order they were added, the graph's versions and its
 * function library (kept as is). Names follow TensorFlow: unique within the graph ({@code add},
 * {@code add_1}), prefixed by the open name scopes.
 *
 * <p>Not thread-safe while it is being built; reads of a finished graph may be concurrent.
 */
public final class Graph {
  /** The GraphDef version new graphs declare (a TensorFlow 2.x producer). */
  public static final int PRODUCER = 1882;

  private final Map<String, Operation> operations = new LinkedHashMap<>();
  /** Lower-cased names (ops and scopes) already handed out, with the next suffix to try. */
  private final Map<String, Integer> usedNames = new HashMap<>();
  private final Deque<String> scopes = new ArrayDeque<>();
  private VersionDef versions = VersionDef.newBuilder().setProducer(PRODUCER).build();
  private FunctionDefLibrary library = FunctionDefLibrary.getDefaultInstance();
  /** GraphDef fields the graph does not interpret (the deprecated {@code version}, debug info). */
  private GraphDef extras = GraphDef.getDefaultInstance();
  /** Whether an empty versions or library field is written (imported GraphDefs keep what they had). */
  private boolean writeVersions = true;
  private boolean writeLibrary;
  private final GraphCollections collections = new GraphCollections(this);

  /**
   * Starts a new operation named {@code name} inside the current scope, made unique ({@code add}
   * becomes {@code add_1} when taken).
   */
  public OperationBuilder opBuilder(String type, String name) {
    GraphNames.checkOpName(name);
    return new OperationBuilder(this, type, uniqueName(name));
  }

  /**
   * Starts an operation named exactly as {@code scope} (TensorFlow's {@code with name_scope(n) as
   * name: op(..., name=name)}), so an op and the nodes made for it share one name: {@code
   * save/SaveV2} and {@code save/SaveV2/tensor_names}.
   *
   * @throws IllegalArgumentException when an operation already has that name
   */
  public OperationBuilder opBuilderNamedAfter(NameScope scope, String type) {
    if (operations.containsKey(scope.name())) {
      throw new IllegalArgumentException("Duplicate node name in graph: '" + scope.name() + "'");
    }
    return new OperationBuilder(this, type, scope.name());
  }

  /** {@code tf.constant(value, name=name)}: a Const op (its name made unique in the current scope); returns its output. */
  public Output constant(String name, Tensor value) {
    return opBuilder("Const", name).setAttr("dtype", value.dtype()).setAttr("value", value).build().output(0);
  }

  /**
   * The op name in a tensor name: {@code add} for {@code add:0} or {@code add:1}; an op name stays as
   * it is.
   */
  public static String opNameOf(String tensorName) {
    return GraphNames.Reference.parse(tensorName).op();
  }

  /** The operation named exactly {@code name}, or null. */
  public Operation operation(String name) {
    return operations.get(name);
  }

  public List<Operation> operations() {
    return new ArrayList<>(operations.values());
  }

  public int size() {
    return operations.size();
  }

  /**
   * @throws IllegalArgumentException in TensorFlow's words when there is no such operation, or
   *     when the name is a tensor name
   */
  public Operation getOperationByName(String name) {
    if (name.contains(":")) {
      throw new IllegalArgumentException(
          "The name '" + name + "' appears to refer to a Tensor, not an Operation.");
    }
    Operation op = operations.get(name);
    if (op == null) {
      throw new IllegalArgumentException("The name '" + name + "' refers to an Operation not in the graph.");
    }
    return op;
  }

  /**
   * @throws IllegalArgumentException in TensorFlow's words when the name is not {@code op:index}
   *     or names no existing output
   */
  public Output getTensorByName(String name) {
    int colon = name.lastIndexOf(':');
    String opName = colon < 0 ? name : name.substring(0, colon);
    String port = colon < 0 ? "" : name.substring(colon + 1);
    if (colon < 0 || port.isEmpty() || !port.chars().allMatch(Character::isDigit) || port.length() > 9) {
      throw new IllegalArgumentException(
          "The name '" + name + "' looks like an (invalid) Operation name, not a Tensor. "
              + "Tensor names must be of the form \"<op_name>:<output_index>\".");
    }
    Operation op = operations.get(opName);
    if (op == null) {
      throw new IllegalArgumentException(
          "The name '" + name + "' refers to a Tensor which does not exist. The operation, '" + opName
              + "', does not exist in the graph.");
    }
    return op.output(Integer.parseInt(port));
  }

  /** {@code name} within the current scope, made unique in the graph. */
  public String uniqueName(String name) {
    String scoped = scopes.isEmpty() ? name : scopes.peek() + "/" + name;
    String key = scoped.toLowerCase(Locale.ROOT);
    Integer next = usedNames.get(key);
    if (next == null) {
      usedNames.put(key, 1);
      return scoped;
    }
    String candidate;
    int suffix = next;
    do {
      candidate = scoped + "_" + suffix++;
    } while (usedNames.containsKey(candidate.toLowerCase(Locale.ROOT)));
    usedNames.put(key, suffix);
    usedNames.put(candidate.toLowerCase(Locale.ROOT), 1);
    return candidate;
  }

  /**
   * Opens a name scope; close it to leave. A scope name that is already taken is made unique, as
   * in TensorFlow ({@code layer}, then {@code layer_1}).
   */
  public NameScope nameScope(String name) {
    GraphNames.checkScopeName(name);
    String scope = uniqueName(name);
    scopes.push(scope);
    return new NameScope(this, scope);
  }

  void closeScope(String scope) {
    if (scopes.isEmpty() || !scopes.peek().equals(scope)) {
      throw new IllegalStateException("Cannot close name scope " + scope + ": it is not the innermost one");
    }
    scopes.pop();
  }

  /** The current scope prefix, empty at the top level. */
  public String currentScope() {
    return scopes.isEmpty() ? "" : scopes.peek();
  }

  /** The graph's named collections. */
  public GraphCollections collections() {
    return collections;
  }

  /** tf.add_to_collection. */
  public void addToCollection(String name, Object item) {
    collections.add(name, item);
  }

  /** tf.get_collection: the items, typed; empty when there is no such collection. */
  public List<Object> getCollection(String name) {
    return collections.get(name);
  }

  public VersionDef versions() {
    return versions;
  }

  public void setVersions(VersionDef versions) {
    this.versions = versions;
  }

  public FunctionDefLibrary library() {
    return library;
  }

  void setLibrary(FunctionDefLibrary library) {
    this.library = library;
  }

  /** The graph as a GraphDef: nodes in the order they were added, then versions and library. */
  public GraphDef toGraphDef() {
    GraphDef.Builder def = extras.toBuilder();
    for (Operation op : operations.values()) {
      def.addNode(op.toNodeDef());
    }
    if (writeVersions || !versions.equals(VersionDef.getDefaultInstance())) {
      def.setVersions(versions); // very old GraphDefs have none; keep it that way
    }
    if (writeLibrary || !library.equals(FunctionDefLibrary.getDefaultInstance())) {
      def.setLibrary(library);
    }
    return def.build();
  }

  /** A new graph holding the GraphDef's nodes under their own names. */
  public static Graph fromGraphDef(GraphDef def) {
    Graph graph = new Graph();
    GraphImporter.importGraphDef(graph, def, "", Map.of(), List.of());
    graph.versions = def.getVersions();
    graph.extras = def.toBuilder().clearNode().clearVersions().clearLibrary().build();
    graph.writeVersions = def.hasVersions();
    graph.writeLibrary = def.hasLibrary();
    return graph;
  }

  /** Adds a finished NodeDef; names were made unique by the caller. */
  Operation add(NodeDef node) {
    if (operations.containsKey(node.getName())) {
      throw new IllegalArgumentException("Duplicate node name in graph: '" + node.getName() + "'");
    }
    for (String input : node.getInputList()) {
      requireOperation(GraphNames.Reference.parse(input).op(), node.getName());
    }
    Operation op = new Operation(this, node);
    operations.put(node.getName(), op);
    usedNames.putIfAbsent(node.getName().toLowerCase(Locale.ROOT), 1);
    return op;
  }

  /** Registers names of a node that will be added later (import resolves forward references). */
  void reserve(String name) {
    usedNames.putIfAbsent(name.toLowerCase(Locale.ROOT), 1);
  }

  /** Adds nodes whose inputs refer to each other in any order, once all are checked. */
  void addAll(List<NodeDef> nodes) {
    for (NodeDef node : nodes) {
      if (operations.containsKey(node.getName())) {
        throw new IllegalArgumentException("Duplicate node name in graph: '" + node.getName() + "'");
      }
      operations.put(node.getName(), new Operation(this, node));
      reserve(node.getName());
    }
  }

  Operation requireOperation(String name, String consumer) {
    Operation op = operations.get(name);
    if (op == null) {
      throw new IllegalArgumentException("Node '" + consumer + "': Unknown input node '" + name + "'");
    }
    return op;
  }

  /** A name scope; closing it returns to the enclosing scope. */
  public static final class NameScope implements AutoCloseable {
    private final Graph graph;
    private final String name;

    NameScope(Graph graph, String name) {
      this.graph = graph;
      this.name = name;
    }

    public String name() {
      return name;
    }

    @Override
    public void close() {
      graph.closeScope(name);
    }
  }
}
