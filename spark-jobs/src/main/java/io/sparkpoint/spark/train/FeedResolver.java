package io.sparkpoint.spark.train;

import io.sparkpoint.exec.PartialShapes;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.replica.TrainOpSplit;
import io.sparkpoint.tensor.DType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/** Matches {@code --feed} flags to the graph's placeholders and the dataset's columns, checking both. */
final class FeedResolver {
  private FeedResolver() {}

  static List<FeedSpec> resolve(MetaGraphDef meta, TrainOpSplit split, Map<String, List<String>> flags, Dataset<Row> data) {
    Map<String, NodeDef> nodes = new LinkedHashMap<>();
    meta.getGraphDef().getNodeList().forEach(n -> nodes.put(n.getName(), n));
    int producer = meta.getGraphDef().getVersions().getProducer();
    List<FeedSpec> feeds = new ArrayList<>();
    Set<String> fed = new HashSet<>();
    for (Map.Entry<String, List<String>> flag : flags.entrySet()) {
      String op = flag.getKey().contains(":") ? flag.getKey().substring(0, flag.getKey().lastIndexOf(':')) : flag.getKey();
      NodeDef node = nodes.get(op);
      if (node == null) {
        throw new IllegalArgumentException("--feed " + flag.getKey() + ": the graph has no placeholder named '" + op + "'");
      }
      if (!node.getOp().startsWith("Placeholder")) {
        throw new IllegalArgumentException("--feed " + flag.getKey() + ": node '" + op + "' (" + node.getOp() + ") is not a placeholder; "
            + "training feeds placeholders only");
      }
      DType dtype = DType.fromNumber(node.getAttrOrThrow("dtype").getTypeValue());
      if (!FeedSpec.SUPPORTED.contains(dtype)) {
        throw new IllegalArgumentException("--feed " + flag.getKey() + ": placeholder " + op + " takes " + dtype.pythonName()
            + "; training feeds float32, float64, int32 or int64");
      }
      for (String column : flag.getValue()) {
        if (!Arrays.asList(data.columns()).contains(column)) {
          throw new IllegalArgumentException("--feed " + flag.getKey() + ": the dataset has no column '" + column + "'; its columns are "
              + Arrays.toString(data.columns()));
        }
        checkType(flag.getKey(), column, data.schema().apply(column).dataType(), flag.getValue().size() > 1);
      }
      feeds.add(new FeedSpec(op + ":0", dtype, elementShape(flag.getKey(), node, producer, flag.getValue(), data), flag.getValue()));
      fed.add(op);
    }
    for (String placeholder : placeholdersNeeded(nodes, split)) {
      if (!fed.contains(placeholder)) {
        throw new IllegalArgumentException("Placeholder '" + placeholder + "' is read by the step (its gradients, loss or batch-dependent updates), so it needs a column; add --feed " + placeholder + "=COLUMN");
      }
    }
    return feeds;
  }

  /** What {@link RowValues} reads: a number per column when several feed a placeholder, else a number, an array of numbers or a vector. */
  private static void checkType(String flag, String column, DataType type, boolean several) {
    if (type instanceof NumericType) {
      return;
    }
    if (several) {
      throw new IllegalArgumentException("--feed " + flag + ": column '" + column + "' is " + type.simpleString()
          + "; several columns feed one number each, so each must be numeric");
    }
    if (!(type instanceof ArrayType array && array.elementType() instanceof NumericType) && !type.typeName().equals("vector")) {
      throw new IllegalArgumentException("--feed " + flag + ": column '" + column + "' is " + type.simpleString()
          + "; expected a numeric column, an array of numbers or an ML vector");
    }
  }

  private static long[] elementShape(String flag, NodeDef node, int producer, List<String> columns, Dataset<Row> data) {
    TensorShapeProto shape = PartialShapes.placeholderShape(node, producer);
    if (shape != null && !shape.getUnknownRank()) {
      if (shape.getDimCount() == 0) {
        throw new IllegalArgumentException("--feed " + flag + ": placeholder " + node.getName() + " is a scalar; training feeds a batch, "
            + "so it needs a first dimension of None");
      }
      if (shape.getDim(0).getSize() >= 0) {
        throw new IllegalArgumentException("--feed " + flag + ": placeholder " + node.getName() + " has a fixed batch dimension "
            + shape.getDim(0).getSize() + "; replicas feed slices of the batch, so its first dimension must be None");
      }
      long[] dims = new long[shape.getDimCount() - 1];
      for (int i = 1; i < shape.getDimCount(); i++) {
        dims[i - 1] = shape.getDim(i).getSize();
        if (dims[i - 1] < 0) {
          return inferred(flag, node.getName(), columns, data);
        }
      }
      return dims;
    }
    return inferred(flag, node.getName(), columns, data);
  }

  /** Without a fully known shape: [k] for k numeric columns, [] for one numeric column, [n] for an array column (n from its first row). */
  private static long[] inferred(String flag, String placeholder, List<String> columns, Dataset<Row> data) {
    if (columns.size() > 1) {
      return new long[] {columns.size()};
    }
    StructField field = data.schema().apply(columns.get(0));
    if (field.dataType() instanceof NumericType) {
      return new long[0];
    }
    // an array or a vector (checkType allowed nothing else): its length, from the first row
    List<Row> first = data.select(columns.get(0)).limit(1).collectAsList();
    String from = "--feed " + flag + ": placeholder " + placeholder + "'s example shape must be read from the first row of column '"
        + columns.get(0) + "', but ";
    if (first.isEmpty()) {
      throw new IllegalArgumentException(from + "the dataset is empty");
    }
    Object value = first.get(0).get(0);
    if (value == null) {
      throw new IllegalArgumentException(from + "it is null there");
    }
    int length = RowValues.isVector(value) ? vectorSize(value) : first.get(0).getList(0).size();
    return new long[] {length};
  }

  private static int vectorSize(Object vector) {
    try {
      return (Integer) vector.getClass().getMethod("size").invoke(vector);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("Cannot read vector size: " + e.getMessage(), e);
    }
  }

  private static Set<String> placeholdersNeeded(Map<String, NodeDef> nodes, TrainOpSplit split) {
    Set<String> needed = new HashSet<>();
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    split.gradients().forEach(g -> todo.push(g.substring(0, g.lastIndexOf(':'))));
    todo.push(split.loss().substring(0, split.loss().lastIndexOf(':')));
    split.stateUpdates().forEach(u -> todo.push(u.op()));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      NodeDef node = nodes.get(name);
      if (node == null || !seen.add(name)) {
        continue;
      }
      if (node.getOp().equals("Placeholder") || node.getOp().equals("PlaceholderV2")) {
        needed.add(name);
      }
      for (String input : node.getInputList()) {
        String op = input.startsWith("^") ? input.substring(1) : input;
        todo.push(op.contains(":") ? op.substring(0, op.lastIndexOf(':')) : op);
      }
    }
    return needed;
  }

}
