package io.sparkpoint.spark.jobs;

import com.google.protobuf.Message;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.graph.GraphIO;
import io.sparkpoint.proto.CollectionDef;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.SavedModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a graph file (.meta, GraphDef .pb/.pbtxt, saved_model.pb), summarizes it and converts it. */
public final class GraphJob {
  private GraphJob() {}

  /** What a graph file holds. */
  public record Summary(
      String kind, int nodes, Map<String, Integer> ops, Map<String, String> collections, String versions, String saver,
      List<String> nodeNames) {}

  /** Reads the file as the kind its name says: {@code *.meta} MetaGraphDef, {@code saved_model.*} SavedModel, else GraphDef. */
  public static Message read(FileIO io, String location) throws IOException {
    String name = Locations.name(location);
    Message.Builder builder =
        name.endsWith(".meta") ? MetaGraphDef.newBuilder()
            : name.startsWith("saved_model.") ? SavedModel.newBuilder()
            : GraphDef.newBuilder();
    GraphIO.read(io, location, builder);
    return builder.build();
  }

  public static Summary summarize(Message message) {
    List<GraphDef> graphs = new ArrayList<>();
    Map<String, String> collections = new LinkedHashMap<>();
    String saver = null;
    List<MetaGraphDef> metas = new ArrayList<>();
    if (message instanceof SavedModel model) {
      metas.addAll(model.getMetaGraphsList());
    } else if (message instanceof MetaGraphDef meta) {
      metas.add(meta);
    } else {
      graphs.add((GraphDef) message);
    }
    for (MetaGraphDef meta : metas) {
      graphs.add(meta.getGraphDef());
      for (Map.Entry<String, CollectionDef> entry : new TreeMap<>(meta.getCollectionDefMap()).entrySet()) {
        collections.put(entry.getKey(), describe(entry.getValue()));
      }
      if (meta.hasSaverDef()) {
        saver = "restore " + meta.getSaverDef().getRestoreOpName() + ", save " + meta.getSaverDef().getSaveTensorName()
            + ", filename " + meta.getSaverDef().getFilenameTensorName() + ", version " + meta.getSaverDef().getVersion();
      }
    }
    Map<String, Integer> ops = new TreeMap<>();
    List<String> names = new ArrayList<>();
    int nodes = 0;
    String versions = "";
    for (GraphDef graph : graphs) {
      nodes += graph.getNodeCount();
      for (NodeDef node : graph.getNodeList()) {
        ops.merge(node.getOp(), 1, Integer::sum);
        names.add(node.getName() + " (" + node.getOp() + ")");
      }
      versions = "producer " + graph.getVersions().getProducer() + ", min_consumer " + graph.getVersions().getMinConsumer();
    }
    return new Summary(message.getDescriptorForType().getName(), nodes, ops, collections, versions, saver, names);
  }

  private static String describe(CollectionDef collection) {
    return switch (collection.getKindCase()) {
      case NODE_LIST -> "node_list of " + collection.getNodeList().getValueCount();
      case BYTES_LIST -> "bytes_list of " + collection.getBytesList().getValueCount();
      case INT64_LIST -> "int64_list of " + collection.getInt64List().getValueCount();
      case FLOAT_LIST -> "float_list of " + collection.getFloatList().getValueCount();
      case ANY_LIST -> "any_list of " + collection.getAnyList().getValueCount();
      default -> "empty";
    };
  }
}
