package io.sparkpoint.saver;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.graph.Output;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.SaverDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Adds a Saver's nodes to a graph with TensorFlow's names (reference §6.3), so the graph and its
 * SaverDef work in TensorFlow too. Unsharded:
 * <pre>
 * save/filename/input, save/filename, save/Const           the checkpoint prefix (fed at save and restore)
 * save/SaveV2/{tensor_names,shape_and_slices}, save/SaveV2
 * save/control_dependency                                  the save tensor: save/Const after the save
 * save/RestoreV2/{tensor_names,shape_and_slices}, save/RestoreV2
 * save/Assign, save/Assign_1 ... (ref variables)           or save/Identity_k + save/AssignVariableOp_k (resource)
 * save/restore_all
 * </pre>
 * Sharded (TF1's layout): each shard {@code i} saves to {@code ShardedFilename(prefix + "_temp_<uuid>/part", i, n)},
 * then {@code save/MergeV2Checkpoints} merges the parts into the prefix, and {@code save/Identity} is
 * the save tensor; the restore side has one {@code save/restore_shard} per shard.
 */
final class SaverGraph {
  private SaverGraph() {}

  /** What to build. */
  record Spec(String name, String filename, boolean sharded, int numShards, boolean reshape, boolean restoreSequentially,
      int maxToKeep, float keepCheckpointEveryNHours) {}

  static SaverDef build(Graph graph, List<Saveable> saveables, Spec spec) {
    try (Graph.NameScope scope = graph.nameScope(spec.name())) {
      Output prefix = prefixInputs(graph, spec.filename());
      List<List<Saveable>> shards = spec.sharded() ? Shards.split(saveables, spec.numShards()) : List.of(saveables);
      String saveTensor;
      if (!spec.sharded()) {
        Operation save = saveOp(graph, prefix, saveables);
        saveTensor = graph.opBuilder("Identity", "control_dependency").addInput(prefix).addControlInput(save)
            .setAttr("T", DType.STRING).setAttr("_class", colocation(prefix.op())).build().output(0).name();
      } else {
        saveTensor = shardedSave(graph, prefix, shards);
      }
      List<Operation> restores = new ArrayList<>();
      for (List<Saveable> shard : shards) {
        List<Operation> assigns = restoreOps(graph, prefix, shard, spec);
        if (spec.sharded()) {
          OperationBuilder group = graph.opBuilder("NoOp", "restore_shard");
          assigns.forEach(group::addControlInput);
          restores.add(group.build());
        } else {
          restores.addAll(assigns);
        }
      }
      OperationBuilder all = graph.opBuilder("NoOp", "restore_all");
      restores.forEach(all::addControlInput);
      Operation restoreAll = all.build();
      return SaverDef.newBuilder()
          .setFilenameTensorName(prefix.name())
          .setSaveTensorName(saveTensor)
          .setRestoreOpName(restoreAll.name())
          .setMaxToKeep(spec.maxToKeep())
          .setSharded(spec.sharded())
          .setKeepCheckpointEveryNHours(spec.keepCheckpointEveryNHours())
          .setVersion(SaverDef.CheckpointFormatVersion.V2)
          .build();
    }
  }

  /** save/filename/input (the default prefix), save/filename and save/Const, both PlaceholderWithDefault. */
  private static Output prefixInputs(Graph graph, String filename) {
    Output input = graph.constant("filename/input", Tensor.ofStrings(Shape.scalar(), filename));
    Output named = graph.opBuilder("PlaceholderWithDefault", "filename").addInput(input)
        .setAttr("dtype", DType.STRING).setAttr("shape", Shape.scalar()).build().output(0);
    return graph.opBuilder("PlaceholderWithDefault", "Const").addInput(named)
        .setAttr("dtype", DType.STRING).setAttr("shape", Shape.scalar()).build().output(0);
  }

  private static Operation saveOp(Graph graph, Output prefix, List<Saveable> saveables) {
    try (Graph.NameScope scope = graph.nameScope("SaveV2")) {
      Output names = graph.constant("tensor_names", keys(saveables));
      Output slices = graph.constant("shape_and_slices", specs(saveables));
      OperationBuilder save = graph.opBuilderNamedAfter(scope, "SaveV2").addInput(prefix).addInput(names).addInput(slices);
      for (Saveable s : saveables) {
        save.addInput(valueOf(graph, s));
      }
      return save.setAttr("dtypes", dtypes(saveables)).build();
    }
  }

  /** TF1's sharded layout; returns the save tensor (save/Identity: the prefix, after the merge). */
  private static String shardedSave(Graph graph, Output prefix, List<List<Saveable>> shards) {
    Output suffix = graph.constant("StringJoin/inputs_1",
        Tensor.ofStrings(Shape.scalar(), "_temp_" + UUID.randomUUID().toString().replace("-", "") + "/part"));
    Output temp = graph.opBuilder("StringJoin", "StringJoin").addInput(prefix).addInput(suffix)
        .setAttr("N", 2).setAttr("separator", "").build().output(0);
    Output count = graph.constant("num_shards", Tensor.ofInts(Shape.scalar(), shards.size()));
    OperationBuilder pack = null;
    List<Output> parts = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      Output part;
      try (Graph.NameScope scope = graph.nameScope("ShardedFilename")) {
        Output shard = graph.constant("shard", Tensor.ofInts(Shape.scalar(), i));
        part = graph.opBuilderNamedAfter(scope, "ShardedFilename").addInput(temp).addInput(shard).addInput(count)
            .build().output(0);
      }
      Operation save = saveOp(graph, part, shards.get(i));
      parts.add(graph.opBuilder("Identity", "control_dependency").addInput(part).addControlInput(save)
          .setAttr("T", DType.STRING).setAttr("_class", colocation(part.op())).build().output(0));
    }
    Operation merge;
    try (Graph.NameScope scope = graph.nameScope("MergeV2Checkpoints")) {
      pack = graph.opBuilder("Pack", "checkpoint_prefixes");
      parts.forEach(pack::addInput);
      Output prefixes = pack.setAttr("N", parts.size()).setAttr("T", DType.STRING).setAttr("axis", 0).build().output(0);
      merge = graph.opBuilderNamedAfter(scope, "MergeV2Checkpoints").addInput(prefixes).addInput(prefix)
          .setAttr("delete_old_dirs", true).build();
    }
    return graph.opBuilder("Identity", "Identity").addInput(prefix).addControlInput(merge).setAttr("T", DType.STRING)
        .build().output(0).name();
  }

  /** RestoreV2 (one for all, or one per variable when sequential) and an assign per saveable; returns the assigns. */
  private static List<Operation> restoreOps(Graph graph, Output prefix, List<Saveable> saveables, Spec spec) {
    List<Operation> assigns = new ArrayList<>();
    if (saveables.isEmpty()) {
      return assigns;
    }
    if (!spec.restoreSequentially()) {
      Operation restore = restoreOp(graph, prefix, saveables, null);
      for (int i = 0; i < saveables.size(); i++) {
        assigns.add(assign(graph, saveables.get(i), restore.output(i), spec.reshape()));
      }
      return assigns;
    }
    Operation previous = null;
    for (Saveable saveable : saveables) {
      Operation restore = restoreOp(graph, prefix, List.of(saveable), previous);
      previous = assign(graph, saveable, restore.output(0), spec.reshape());
      assigns.add(previous);
    }
    return assigns;
  }

  private static Operation restoreOp(Graph graph, Output prefix, List<Saveable> saveables, Operation after) {
    try (Graph.NameScope scope = graph.nameScope("RestoreV2")) {
      Output names = graph.constant("tensor_names", keys(saveables));
      Output slices = graph.constant("shape_and_slices", specs(saveables));
      OperationBuilder restore = graph.opBuilderNamedAfter(scope, "RestoreV2").addInput(prefix).addInput(names).addInput(slices)
          .setAttr("dtypes", dtypes(saveables)).setDevice("/device:CPU:0");
      if (after != null) {
        restore.addControlInput(after);
      }
      return restore.build();
    }
  }

  /** Assign (ref) or Identity + AssignVariableOp (resource), reshaped first when asked and the variable's shape is known. */
  private static Operation assign(Graph graph, Saveable saveable, Output restored, boolean reshape) {
    Output value = restored;
    if (reshape && saveable.shape() != null) {
      Output shape = graph.constant("Reshape/shape", Tensor.ofInts(Shape.of(saveable.shape().rank()), toInts(saveable.shape())));
      value = graph.opBuilder("Reshape", "Reshape").addInput(value).addInput(shape).setAttr("T", saveable.dtype())
          .setAttr("Tshape", DType.INT32).build().output(0);
    }
    if (saveable.resource()) {
      Output identity = graph.opBuilder("Identity", "Identity").addInput(value).setAttr("T", saveable.dtype()).build().output(0);
      return graph.opBuilder("AssignVariableOp", "AssignVariableOp").addInput(saveable.variable().output(0)).addInput(identity)
          .setAttr("dtype", saveable.dtype()).build();
    }
    return graph.opBuilder("Assign", "Assign").addInput(saveable.variable().output(0)).addInput(value)
        .setAttr("T", saveable.dtype()).setAttr("validate_shape", !reshape && saveable.shape() != null)
        .setAttr("use_locking", true).setAttr("_class", colocation(saveable.variable())).build();
  }

  /** The tensor SaveV2 reads: the ref variable, or a resource variable's snapshot (else a new ReadVariableOp). */
  private static Output valueOf(Graph graph, Saveable saveable) {
    if (saveable.value() != null) {
      return saveable.value();
    }
    return graph.opBuilder("ReadVariableOp", "ReadVariableOp").addInput(saveable.variable().output(0))
        .setAttr("dtype", saveable.dtype()).build().output(0);
  }


  private static Tensor keys(List<Saveable> saveables) {
    return Tensor.ofStrings(Shape.of(saveables.size()), saveables.stream().map(Saveable::key).toArray(String[]::new));
  }

  private static Tensor specs(List<Saveable> saveables) {
    return Tensor.ofStrings(Shape.of(saveables.size()), saveables.stream().map(Saveable::sliceSpec).toArray(String[]::new));
  }

  private static AttrValue dtypes(List<Saveable> saveables) {
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    saveables.forEach(s -> list.addTypeValue(s.dtype().number()));
    return AttrValue.newBuilder().setList(list).build();
  }

  private static AttrValue colocation(Operation op) {
    return AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()
        .addS(com.google.protobuf.ByteString.copyFromUtf8("loc:@" + op.name()))).build();
  }

  private static int[] toInts(Shape shape) {
    int[] dims = new int[shape.rank()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Math.toIntExact(shape.dim(i));
    }
    return dims;
  }
}
