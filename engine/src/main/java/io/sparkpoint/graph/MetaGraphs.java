package io.sparkpoint.graph;

import io.sparkpoint.fs.FileIO;
import io.sparkpoint.proto.CollectionDef;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.SaverDef;
import io.sparkpoint.proto.VariableDef;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** export_meta_graph and import_meta_graph: a graph with its collections and saver, as one MetaGraphDef. */
public final class MetaGraphs {
  /** Name scopes TensorFlow's Savers use: {@code save}, {@code save_1}, ... */
  private static final Pattern SAVER_SCOPE = Pattern.compile("save(_\\d+)?");
  /** How TensorFlow marks inputs that come from outside an exported scope. */
  static final String UNBOUND_INPUT_PREFIX = "$unbound_inputs_";

  private MetaGraphs() {}

  /**
   * Options of export_meta_graph; build with {@link #defaults()} and the {@code with} methods.
   *
   * @param filename where to write, or null to only return the MetaGraphDef
   * @param collectionList collections to export, or null for all
   * @param exportScope export only nodes under this scope, with the scope stripped; null for all
   * @param saverDef the saver to record, or null
   */
  public record ExportOptions(
      String filename, List<String> collectionList, boolean asText, String exportScope, boolean clearDevices,
      boolean clearExtraneousSavers, boolean stripDefaultAttrs, SaverDef saverDef) {
    public static ExportOptions defaults() {
      return new ExportOptions(null, null, false, null, false, false, false, null);
    }

    public ExportOptions withFilename(String value) {
      return new ExportOptions(value, collectionList, asText, exportScope, clearDevices, clearExtraneousSavers, stripDefaultAttrs, saverDef);
    }

    public ExportOptions withCollectionList(List<String> value) {
      return new ExportOptions(filename, value, asText, exportScope, clearDevices, clearExtraneousSavers, stripDefaultAttrs, saverDef);
    }

    public ExportOptions withAsText(boolean value) {
      return new ExportOptions(filename, collectionList, value, exportScope, clearDevices, clearExtraneousSavers, stripDefaultAttrs, saverDef);
    }

    public ExportOptions withExportScope(String value) {
      return new ExportOptions(filename, collectionList, asText, value, clearDevices, clearExtraneousSavers, stripDefaultAttrs, saverDef);
    }

    public ExportOptions withClearDevices(boolean value) {
      return new ExportOptions(filename, collectionList, asText, exportScope, value, clearExtraneousSavers, stripDefaultAttrs, saverDef);
    }

    public ExportOptions withClearExtraneousSavers(boolean value) {
      return new ExportOptions(filename, collectionList, asText, exportScope, clearDevices, value, stripDefaultAttrs, saverDef);
    }

    public ExportOptions withStripDefaultAttrs(boolean value) {
      return new ExportOptions(filename, collectionList, asText, exportScope, clearDevices, clearExtraneousSavers, value, saverDef);
    }

    public ExportOptions withSaverDef(SaverDef value) {
      return new ExportOptions(filename, collectionList, asText, exportScope, clearDevices, clearExtraneousSavers, stripDefaultAttrs, value);
    }
  }

  /** Options of import_meta_graph. */
  public record ImportOptions(boolean clearDevices, String importScope) {
    public static ImportOptions defaults() {
      return new ImportOptions(false, "");
    }
  }

  /** Exports the graph; writes it too when the options name a file. */
  public static MetaGraphDef exportMetaGraph(FileIO io, Graph graph, ExportOptions options) throws IOException {
    MetaGraphDef meta = export(graph, options);
    if (options.filename() != null) {
      GraphIO.write(io, meta, options.filename(), options.asText());
    }
    return meta;
  }

  static MetaGraphDef export(Graph graph, ExportOptions options) {
    String scope = options.exportScope() == null || options.exportScope().isEmpty() ? null : options.exportScope() + "/";
    String saverScope = options.saverDef() == null ? null : firstSegment(options.saverDef().getFilenameTensorName());
    GraphDef.Builder def = graph.toGraphDef().toBuilder().clearNode();
    for (Operation op : graph.operations()) {
      NodeDef node = op.toNodeDef();
      if (scope != null && !node.getName().startsWith(scope)) {
        continue;
      }
      if (options.clearExtraneousSavers() && isOtherSaver(node.getName(), saverScope)) {
        continue;
      }
      NodeDef.Builder copy = node.toBuilder();
      if (options.clearDevices()) {
        copy.clearDevice();
      }
      if (scope != null) {
        unscope(copy, scope);
      }
      NodeDef out = copy.build();
      def.addNode(options.stripDefaultAttrs() ? OpRegistry.standard().strippedOfDefaults(out) : out);
    }
    MetaGraphDef.Builder meta = MetaGraphDef.newBuilder().setGraphDef(def);
    meta.getMetaInfoDefBuilder()
        .setStrippedOpList(OpRegistry.standard().strippedOpList(def.getNodeList().stream().map(NodeDef::getOp).toList()))
        .setStrippedDefaultAttrs(options.stripDefaultAttrs());
    if (options.saverDef() != null) {
      meta.setSaverDef(scope == null ? options.saverDef() : SaverDefs.unscoped(options.saverDef(), scope));
    }
    for (String name : graph.collections().names()) {
      if (options.collectionList() != null && !options.collectionList().contains(name)) {
        continue;
      }
      CollectionDef collection = ScopedCollections.export(name, graph.collections().def(name), scope);
      if (collection != null) {
        meta.putCollectionDef(name, collection);
      }
    }
    return meta.build();
  }

  /**
   * Imports a MetaGraphDef into {@code graph}: its nodes under the import scope, its collections
   * (names scoped to match), and returns its saver with scoped names, or null when it has none.
   */
  public static SaverDef importMetaGraph(Graph graph, MetaGraphDef meta, ImportOptions options) {
    GraphDef def = meta.getGraphDef();
    if (options.clearDevices()) {
      GraphDef.Builder cleared = def.toBuilder();
      cleared.getNodeBuilderList().forEach(NodeDef.Builder::clearDevice);
      def = cleared.build();
    }
    if (meta.getMetaInfoDef().getStrippedDefaultAttrs()) {
      def = restoreDefaultAttrs(def, OpRegistry.of(meta.getMetaInfoDef().getStrippedOpList()));
    }
    GraphImporter.Imported imported = GraphImporter.importScoped(graph, def, options.importScope(), Map.of(), List.of());
    if (graph.size() == def.getNodeCount()) {
      graph.setVersions(def.getVersions());
    }
    String scope = imported.scope();
    for (Map.Entry<String, CollectionDef> entry : meta.getCollectionDefMap().entrySet()) {
      CollectionDef scoped = ScopedCollections.importInto(entry.getKey(), entry.getValue(), scope);
      CollectionDef existing = graph.collections().def(entry.getKey());
      graph.collections().put(entry.getKey(), existing == null ? scoped : existing.toBuilder().mergeFrom(scoped).build());
    }
    return meta.hasSaverDef() ? SaverDefs.scoped(meta.getSaverDef(), scope) : null;
  }

  /**
   * Puts back the attrs a graph exported with strip_default_attrs left out: from our registry for
   * the ops it knows, else from the MetaGraphDef's own stripped_op_list.
   */
  static GraphDef restoreDefaultAttrs(GraphDef def, OpRegistry exported) {
    OpRegistry standard = OpRegistry.standard();
    GraphDef.Builder out = def.toBuilder().clearNode();
    for (NodeDef node : def.getNodeList()) {
      OpRegistry registry = standard.knows(node.getOp()) ? standard : exported;
      out.addNode(registry.knows(node.getOp()) ? registry.withDefaults(node) : node);
    }
    return out.build();
  }

  /** Reads a MetaGraphDef (binary {@code .meta}, or text for {@code .pbtxt}/{@code .txt} names). */
  public static MetaGraphDef read(FileIO io, String location) throws IOException {
    MetaGraphDef.Builder meta = MetaGraphDef.newBuilder();
    GraphIO.read(io, location, meta);
    return meta.build();
  }

  private static boolean isOtherSaver(String name, String saverScope) {
    String first = firstSegment(name);
    return name.contains("/") && SAVER_SCOPE.matcher(first).matches() && !first.equals(saverScope);
  }

  static String firstSegment(String name) {
    int slash = name.indexOf('/');
    return slash < 0 ? name : name.substring(0, slash);
  }

  private static void unscope(NodeDef.Builder node, String scope) {
    node.setName(node.getName().substring(scope.length()));
    for (int i = 0; i < node.getInputCount(); i++) {
      String input = node.getInput(i);
      boolean control = input.startsWith("^");
      String target = control ? input.substring(1) : input;
      String rewritten = target.startsWith(scope) ? target.substring(scope.length()) : UNBOUND_INPUT_PREFIX + target;
      node.setInput(i, control ? "^" + rewritten : rewritten);
    }
  }

  /** VariableDef names under a scope: added on import, removed on export. */
  static VariableDef rescopeVariable(VariableDef variable, String add, String remove) {
    VariableDef.Builder builder = variable.toBuilder();
    builder.setVariableName(rescope(variable.getVariableName(), add, remove));
    builder.setInitializerName(rescope(variable.getInitializerName(), add, remove));
    builder.setSnapshotName(rescope(variable.getSnapshotName(), add, remove));
    builder.setInitialValueName(rescope(variable.getInitialValueName(), add, remove));
    if (variable.hasSaveSliceInfoDef()) {
      builder.getSaveSliceInfoDefBuilder().setFullName(rescope(variable.getSaveSliceInfoDef().getFullName(), add, remove));
    }
    return builder.build();
  }

  static String rescope(String name, String add, String remove) {
    if (name.isEmpty()) {
      return name;
    }
    String base = remove != null && name.startsWith(remove) ? name.substring(remove.length()) : name;
    return add == null ? base : add + base;
  }
}
