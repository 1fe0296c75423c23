package io.sparkpoint.saver;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.proto.SaverDef;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorProtos;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a SaverDef's save op writes, read from its {@code SaveV2} nodes: each checkpoint key and the
 * tensor that holds its value. It lets a caller compute those values and write the checkpoint by
 * other means (for example in parallel tasks) with exactly the keys the graph's own Saver uses,
 * for graphs exported by TensorFlow as for ours.
 */
public final class SavedTensors {
  /** One key of the checkpoint and the tensor ({@code op:port}) it saves. */
  public record Entry(String key, String tensor) {}

  private SavedTensors() {}

  /**
   * @throws IllegalArgumentException when the save tensor is not in the graph, no SaveV2 node feeds
   *     it, or a key saves a slice (partitioned variables are not supported here yet)
   */
  public static List<Entry> of(Graph graph, SaverDef saverDef) {
    String saveTensor = saverDef.getSaveTensorName();
    Operation root = graph.operation(Graph.opNameOf(saveTensor));
    if (root == null) {
      throw new IllegalArgumentException("Cannot find the saver's save tensor '" + saveTensor + "' in the graph");
    }
    List<Entry> entries = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Deque<Operation> todo = new ArrayDeque<>(List.of(root));
    List<Operation> saves = new ArrayList<>();
    while (!todo.isEmpty()) {
      Operation op = todo.pop();
      if (!seen.add(op.name())) {
        continue;
      }
      if (op.type().equals("SaveV2")) {
        saves.add(op);
        continue;
      }
      op.inputs().forEach(in -> todo.push(in.op()));
      op.controlInputs().forEach(todo::push);
    }
    if (saves.isEmpty()) {
      throw new IllegalArgumentException("The saver's save tensor '" + saveTensor + "' is not written by a SaveV2 op");
    }
    saves.sort((a, b) -> a.name().compareTo(b.name()));
    for (Operation save : saves) {
      List<Output> inputs = save.inputs();
      List<String> keys = strings(inputs.get(1), save);
      List<String> slices = strings(inputs.get(2), save);
      for (int i = 0; i < keys.size(); i++) {
        if (!slices.get(i).isEmpty()) {
          throw new IllegalArgumentException("Cannot save key '" + keys.get(i) + "' of " + save.name() + " from " + inputs.get(3 + i).name()
              + ": it is a slice ('" + slices.get(i) + "') of a partitioned variable, which is not supported here yet");
        }
        entries.add(new Entry(keys.get(i), inputs.get(3 + i).name()));
      }
    }
    return entries;
  }

  private static List<String> strings(Output output, Operation save) {
    Operation op = output.op();
    while (op.type().equals("Identity") && !op.inputs().isEmpty()) {
      op = op.inputs().get(0).op();
    }
    if (!op.type().equals("Const")) {
      throw new IllegalArgumentException("Cannot read the keys of " + save.name() + ": input " + output.name() + " is not a constant");
    }
    Tensor value = TensorProtos.fromProto(op.attr("value").getTensor());
    List<String> out = new ArrayList<>();
    for (int i = 0; i < value.numElements(); i++) {
      out.add(new String(value.string(i), StandardCharsets.UTF_8));
    }
    return out;
  }
}
