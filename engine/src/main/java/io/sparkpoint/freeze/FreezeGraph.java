package io.sparkpoint.freeze;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.graph.GraphCollections;
import io.sparkpoint.graph.GraphIO;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.proto.CollectionDef;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.VariableDef;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * TensorFlow's {@code freeze_graph} flow: checkpoint directory, state file, latest prefix, its
 * {@code .meta}, the frozen GraphDef written as one file.
 */
public final class FreezeGraph {
  private FreezeGraph() {}

  /** How the frozen GraphDef is written. */
  public enum Format {
    /** Binary protobuf, TensorFlow's {@code .pb}. */
    BINARY,
    /** Protobuf text format, TensorFlow's {@code .pbtxt}. */
    TEXT
  }

  /**
   * What was written.
   *
   * @param out the frozen graph's location
   * @param prefix the checkpoint the values came from
   * @param metaGraph the MetaGraphDef the graph came from
   * @param bytes the size of the written file
   */
  public record Result(String out, String prefix, String metaGraph, int nodesKept, List<String> frozenVariables, long bytes) {}

  /** {@link #freeze(FileIO, String, String, List, String, Format, Set, Set)} freezing every variable. */
  public static Result freeze(
      FileIO io, String checkpointDirOrPrefix, String metaOverride, List<String> outputs, String out, Format format)
      throws IOException {
    return freeze(io, checkpointDirOrPrefix, metaOverride, outputs, out, format, null, null);
  }

  /**
   * Freezes a checkpoint's graph for {@code outputs} (see {@link VariableFreezer}) and writes it to
   * {@code out}. The file appears atomically when the FileIO can rename (written under a temporary
   * name, then renamed over {@code out}); nothing is left behind on failure.
   *
   * @param checkpointDirOrPrefix a checkpoint prefix, or a directory whose state file names one
   * @param metaOverride the MetaGraphDef to use instead of {@code <prefix>.meta}, or null; read as
   *     text when its name ends in {@code .pbtxt} or {@code .txt}
   * @param outputs output node names
   * @throws FileNotFoundException when there is no checkpoint or no MetaGraphDef
   * @throws IllegalArgumentException when an output is not in the graph
   * @throws FreezeException when a variable cannot be frozen or the graph would exceed 2 GiB
   */
  public static Result freeze(
      FileIO io, String checkpointDirOrPrefix, String metaOverride, List<String> outputs, String out, Format format,
      Set<String> allowlist, Set<String> denylist) throws IOException {
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("Cannot freeze without output nodes: give at least one output node name");
    }
    String prefix = Checkpoints.resolvePrefix(io, checkpointDirOrPrefix);
    String meta = metaOverride != null ? metaOverride : BundleNaming.metaFile(prefix);
    MetaGraphDef metaGraph = readMetaGraph(io, meta);
    GraphDef graph = metaGraph.getGraphDef();
    try (CheckpointValueSource values = CheckpointValueSource.open(io, prefix, variables(metaGraph))) {
      if (format == Format.TEXT) {
        VariableFreezer.Result frozen = VariableFreezer.convertVariablesToConstants(values, graph, outputs, allowlist, denylist);
        long bytes = write(io, frozen.graphDef(), out, format);
        return new Result(out, prefix, meta, frozen.nodesKept(), frozen.frozenVariables(), bytes);
      }
      // Binary: node by node from the checkpoint to the file, one value in memory at a time.
      VariableFreezer.Streamed[] frozen = new VariableFreezer.Streamed[1];
      long bytes = GraphIO.writeStreamed(io, out, coded ->
          frozen[0] = VariableFreezer.convertVariablesToConstants(values, graph, outputs, allowlist, denylist, coded));
      return new Result(out, prefix, meta, frozen[0].nodesKept(), frozen[0].frozenVariables(), bytes);
    }
  }

  /** The VariableDefs of the MetaGraphDef's global variables collection (for partitioned variables). */
  static List<VariableDef> variables(MetaGraphDef meta) {
    CollectionDef collection = meta.getCollectionDefMap().get(GraphCollections.GLOBAL_VARIABLES);
    List<VariableDef> variables = new ArrayList<>();
    if (collection == null || !collection.hasBytesList()) {
      return variables;
    }
    for (ByteString bytes : collection.getBytesList().getValueList()) {
      try {
        variables.add(VariableDef.parseFrom(bytes));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("Invalid VariableDef in the variables collection: " + e.getMessage(), e);
      }
    }
    return variables;
  }

  /** Reads a binary or text MetaGraphDef, with a hint when it is missing. */
  static MetaGraphDef readMetaGraph(FileIO io, String location) throws IOException {
    if (!io.newInputFile(location).exists()) {
      throw new FileNotFoundException(
          "Cannot find the MetaGraphDef " + location + " that holds the graph to freeze; give its location with --meta");
    }
    return MetaGraphs.read(io, location);
  }

  /** Writes the graph, atomically where the FileIO can rename; returns the file's size. */
  static long write(FileIO io, GraphDef graph, String out, Format format) throws IOException {
    return GraphIO.write(io, graph, out, format == Format.TEXT);
  }
}
