package io.sparkpoint.spark.jobs;

import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.exec.PartialShapes;
import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.GraphCollections;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.proto.SaverDef;
import io.sparkpoint.saver.Saver;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.SupportsDirectories;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.GraphIO;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.graph.Output;
import io.sparkpoint.npy.Npy;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TensorFlow 1's {@code sess.run} from files: a graph (a GraphDef, or a MetaGraphDef with its
 * variables restored from a checkpoint), feeds read from NumPy {@code .npy} files, fetches
 * returned and optionally written back as {@code .npy}. Runs on the driver.
 */
public final class RunJob {
  private static final Set<String> PLACEHOLDER_OPS = Set.of("Placeholder", "PlaceholderV2", "PlaceholderWithDefault");

  private RunJob() {}

  /**
   * What to run.
   *
   * @param graph a GraphDef ({@code .pb} binary, {@code .pbtxt} text), or null to use a MetaGraphDef
   * @param meta a MetaGraphDef, or null for the checkpoint's {@code <prefix>.meta}
   * @param checkpoint a checkpoint prefix, or a directory whose state file names one, to restore
   *     every variable from; or null
   * @param feeds tensor name ({@code op} or {@code op:port}) to the {@code .npy} file holding its value
   * @param fetches tensor names to return
   * @param targets op names to run for their effects
   * @param repeat how many times to run, with the same feeds (at least 1)
   * @param outDir a directory to write each fetch to as {@code .npy} (see {@link #npyName}), or null
   * @param save a checkpoint prefix to save every variable to after the runs (with its {@code .meta}), or null
   */
  public record Request(
      String graph, String meta, String checkpoint, Map<String, String> feeds, List<String> fetches, List<String> targets,
      int repeat, String outDir, String save) {}

  /**
   * @param fetched the values of the last run, in the order of the fetches
   * @param savedTo the prefix of the checkpoint written by {@code save}, or null
   * @param files where each fetch was written, in the order of the fetches; empty without an out directory
   */
  public record Result(List<Tensor> fetched, List<String> files, String savedTo) {}

  /**
   * Loads the graph, restores the variables, reads and checks the feeds, runs {@code repeat} times
   * and writes the fetches.
   *
   * @throws FileNotFoundException for a missing graph, MetaGraphDef, checkpoint or feed file
   * @throws IllegalArgumentException for an unknown feed, fetch or target (in TensorFlow's words),
   *     a feed whose dtype or shape does not fit its placeholder (naming the feed and its file), or
   *     two fetches that would be written to the same file
   * @throws io.sparkpoint.exec.UnsupportedOpException "Op X is not supported by Sparkpoint (node N)"
   * @throws io.sparkpoint.exec.KernelException when a node fails, naming it
   */
  public static Result run(FileIO io, Request request) throws IOException {
    List<String> files = request.outDir() == null ? List.of() : outputFiles(request.outDir(), request.fetches());
    String prefix = request.checkpoint() == null ? null : Checkpoints.resolvePrefix(io, request.checkpoint());
    Loaded loaded = loadGraph(io, request.graph(), request.meta(), prefix);
    Session session = new Session(loaded.graph()).withService(FileIO.class, io);
    Saver saver = prefix != null || request.save() != null ? saverFor(loaded) : null;
    if (prefix != null) {
      saver.restore(session, prefix);
    }
    Map<String, Tensor> feeds = readFeeds(io, session.graph(), request.feeds());
    List<Tensor> fetched = List.of();
    for (int run = 0; run < request.repeat(); run++) {
      fetched = session.run(feeds, request.fetches(), request.targets());
    }
    if (!files.isEmpty() && io instanceof SupportsDirectories dirs) {
      dirs.createDirectories(request.outDir());
    }
    for (int i = 0; i < files.size(); i++) {
      Npy.write(io.newOutputFile(files.get(i)), fetched.get(i));
    }
    String saved = request.save() == null ? null : saver.save(session, request.save());
    return new Result(fetched, files, saved);
  }

  /**
   * The graph's own Saver (from its SaverDef: restoring runs the graph's restore op, as TensorFlow
   * does), else a new one over the global variables (partitioned ones as their parts), else over
   * every variable node under its own name.
   */
  private static Saver saverFor(Loaded loaded) {
    if (loaded.saverDef() != null) {
      return Saver.fromSaverDef(loaded.graph(), loaded.saverDef());
    }
    if (!loaded.graph().getCollection(GraphCollections.GLOBAL_VARIABLES).isEmpty()) {
      return Saver.builder(loaded.graph()).build();
    }
    return Saver.builder(loaded.graph()).varList(variableNames(loaded.graph())).build();
  }

  private static List<String> variableNames(Graph graph) {
    List<String> names = new ArrayList<>();
    for (Operation op : graph.operations()) {
      if (op.type().equals("VariableV2") || op.type().equals("Variable") || op.type().equals("VarHandleOp")) {
        names.add(op.name());
      }
    }
    return names;
  }

  /** A graph and the SaverDef its MetaGraphDef carried (null for a GraphDef, or a MetaGraphDef without one). */
  private record Loaded(Graph graph, SaverDef saverDef) {}

  /**
   * The file name a fetch is written to: the tensor name with every character other than letters,
   * digits, {@code .}, {@code _} and {@code -} replaced by {@code _}, plus {@code .npy}
   * ({@code dense/BiasAdd:0} becomes {@code dense_BiasAdd_0.npy}).
   */
  public static String npyName(String fetch) {
    return fetch.replaceAll("[^A-Za-z0-9._-]", "_") + ".npy";
  }

  private static List<String> outputFiles(String outDir, List<String> fetches) {
    Map<String, String> fetchOfFile = new LinkedHashMap<>();
    List<String> files = new ArrayList<>();
    for (String fetch : fetches) {
      String file = Locations.join(outDir, npyName(fetch));
      String other = fetchOfFile.putIfAbsent(file, fetch);
      if (other != null && !other.equals(fetch)) {
        throw new IllegalArgumentException("Cannot write fetches " + other + " and " + fetch + " to " + outDir
            + ": both would be " + npyName(fetch));
      }
      files.add(file);
    }
    return files;
  }

  private static Loaded loadGraph(FileIO io, String graphFile, String metaFile, String prefix) throws IOException {
    if (graphFile != null) {
      requireFile(io, graphFile, "Cannot find the GraphDef " + graphFile);
      return new Loaded(Graph.fromGraphDef(GraphIO.readGraphDef(io, graphFile)), null);
    }
    String meta = metaFile != null ? metaFile : BundleNaming.metaFile(prefix);
    requireFile(io, meta, metaFile != null ? "Cannot find the MetaGraphDef " + meta
        : "Cannot find the MetaGraphDef " + meta + " of checkpoint " + prefix + "; give its location with --meta");
    Graph graph = new Graph();
    SaverDef saverDef = MetaGraphs.importMetaGraph(graph, MetaGraphs.read(io, meta), MetaGraphs.ImportOptions.defaults());
    return new Loaded(graph, saverDef == null || saverDef.getRestoreOpName().isEmpty() ? null : saverDef);
  }

  private static void requireFile(FileIO io, String location, String message) throws IOException {
    if (!io.newInputFile(location).exists()) {
      throw new FileNotFoundException(message);
    }
  }

  private static Map<String, Tensor> readFeeds(FileIO io, Graph graph, Map<String, String> files) throws IOException {
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    for (Map.Entry<String, String> feed : files.entrySet()) {
      Output fed = graph.getTensorByName(feed.getKey().contains(":") ? feed.getKey() : feed.getKey() + ":0");
      Tensor value = Npy.read(io.newInputFile(feed.getValue()));
      checkFeed(feed.getKey(), feed.getValue(), fed.op().toNodeDef(), value, graph.versions().getProducer());
      feeds.put(feed.getKey(), value);
    }
    return feeds;
  }

  /** Checks a placeholder's declared dtype and shape; the session checks other fed tensors. */
  private static void checkFeed(String name, String file, NodeDef node, Tensor value, int producer) {
    if (!PLACEHOLDER_OPS.contains(node.getOp())) {
      return;
    }
    String holds = "Cannot feed " + name + " from " + file + ": it holds " + value.dtype().pythonName() + " " + value.shape()
        + ", but placeholder " + node.getName() + " takes ";
    AttrValue dtype = node.getAttrMap().get("dtype");
    if (dtype != null && dtype.getTypeValue() != 0 && DType.fromNumber(dtype.getTypeValue()) != value.dtype()) {
      DType expected = DType.fromNumber(dtype.getTypeValue());
      String cast = expected == DType.STRING ? "'S'" : "'" + expected.pythonName() + "'";
      throw new IllegalArgumentException(holds + expected.pythonName() + "; save it with that dtype, e.g. np.save(path, arr.astype("
          + cast + "))");
    }
    TensorShapeProto shape = !node.getOp().equals("PlaceholderWithDefault") ? PartialShapes.placeholderShape(node, producer)
        : node.containsAttr("shape") ? node.getAttrOrThrow("shape").getShape() : null;
    if (shape != null && !PartialShapes.isCompatible(shape, value.shape())) {
      throw new IllegalArgumentException(holds + "shape " + PartialShapes.render(shape));
    }
  }
}
