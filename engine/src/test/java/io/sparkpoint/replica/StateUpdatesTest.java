package io.sparkpoint.replica;

import static io.sparkpoint.replica.BatchNormModel.MOVING_MEAN;
import static io.sparkpoint.replica.BatchNormModel.MOVING_VARIANCE;
import static io.sparkpoint.replica.BatchNormModel.UPDATE_OPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.model.ModelGenerator;
import io.sparkpoint.model.ModelSpec;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.DataType;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.replica.BatchNormModel.Updates;
import io.sparkpoint.replica.TrainOpSplit.StateUpdate;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Variable writes besides the Apply ops that need the batch, or that the chief's graph would no
 * longer run, become replica state updates: replicas run them, the chief's graph neither runs nor
 * waits for them, and writes the chief can run on its own stay with it.
 */
class StateUpdatesTest {
  @TempDir Path dir;

  private static TrainOpSplit split(MetaGraphDef meta) {
    return TrainOpSplit.of(meta, "train", "loss");
  }

  private static Map<String, NodeDef> nodes(MetaGraphDef meta) {
    Map<String, NodeDef> nodes = new LinkedHashMap<>();
    meta.getGraphDef().getNodeList().forEach(n -> nodes.put(n.getName(), n));
    return nodes;
  }

  /** {@code meta} with {@code added} nodes, and {@code control} made a control input of node {@code waiting}. */
  private static MetaGraphDef with(MetaGraphDef meta, String waiting, String control, NodeDef... added) {
    GraphDef.Builder graph = meta.getGraphDef().toBuilder().addAllNode(List.of(added));
    graph.getNodeBuilderList().stream().filter(n -> n.getName().equals(waiting)).forEach(n -> n.addInput("^" + control));
    return meta.toBuilder().setGraphDef(graph).build();
  }

  private static NodeDef node(String name, String op, DataType type, String... inputs) {
    String typeAttr = op.equals("VariableV2") || op.equals("Const") ? "dtype" : "T";
    NodeDef.Builder node = NodeDef.newBuilder().setName(name).setOp(op).putAttr(typeAttr, AttrValue.newBuilder().setType(type).build());
    if (op.equals("VariableV2")) {
      node.putAttr("shape", AttrValue.newBuilder().setShape(TensorShapeProto.getDefaultInstance()).build());
    }
    return node.addAllInput(List.of(inputs)).build();
  }

  /** A step counter the first Apply op waits for: {@code AssignAdd(name, 1)} of a {@code type} scalar, reading no placeholder. */
  private static MetaGraphDef withCounter(MetaGraphDef meta, DataType type) {
    String apply = split(meta).updates().get(0).applyOp();
    return with(meta, apply, "count_step", node("steps", "VariableV2", type), node("one", "Const", type), node("count_step", "AssignAdd", type,
        "steps", "one"));
  }

  @ParameterizedTest
  @EnumSource(Updates.class)
  void batchNormMovingAveragesAreStateUpdatesWhereverTheUpdateOpsIdiomPutsThem(Updates updates) {
    TrainOpSplit split = split(BatchNormModel.build(3, 2, updates));

    assertThat(split.stateUpdates()).containsExactly(new StateUpdate(UPDATE_OPS.get(0), "AssignSub", MOVING_MEAN),
        new StateUpdate(UPDATE_OPS.get(1), "AssignSub", MOVING_VARIANCE));
    assertThat(split.stateVariables()).containsExactly(MOVING_MEAN, MOVING_VARIANCE);
    assertThat(split.replicaVariables()).contains(MOVING_MEAN, MOVING_VARIANCE, "bn/gamma", "dense/kernel").doesNotContain("global_step");
    assertThat(split.gradients()).hasSize(4);
  }

  @ParameterizedTest
  @EnumSource(Updates.class)
  void theChiefGraphNeitherRunsNorWaitsForTheStateUpdatesButStillIncrementsTheGlobalStep(Updates updates) {
    Map<String, NodeDef> chief = nodes(split(BatchNormModel.build(3, 2, updates)).chiefMetaGraph());
    java.util.Set<String> runs = TrainOpSplit.reachable(chief, List.of("train"), true);

    assertThat(runs).doesNotContainAnyElementsOf(UPDATE_OPS).doesNotContain("x", "labels", "bn/moments/mean")
        .contains("GradientDescent", "GradientDescent/update_bn/gamma/ApplyGradientDescent");
    assertThat(chief.values()).flatMap(NodeDef::getInputList).noneMatch(in -> UPDATE_OPS.contains(TrainOpSplit.opName(in)));
  }

  @Test
  void aStateUpdateTheChiefReadsThroughADataEdgeIsReplacedByTheVariableItWrote() {
    MetaGraphDef meta = with(BatchNormModel.build(3, 2, Updates.APPLY_OPS), "train", "updated_mean",
        node("updated_mean", "Identity", DataType.DT_FLOAT, UPDATE_OPS.get(0)));
    TrainOpSplit split = split(meta);
    Map<String, NodeDef> chief = nodes(split.chiefMetaGraph());

    assertThat(split.stateVariables()).containsExactly(MOVING_MEAN, MOVING_VARIANCE);
    assertThat(chief.get("updated_mean").getInputList()).containsExactly(MOVING_MEAN);
    assertThat(TrainOpSplit.reachable(chief, List.of("train"), true)).contains("updated_mean", MOVING_MEAN).doesNotContainAnyElementsOf(UPDATE_OPS);
  }

  @Test
  void aWriteOnlyTheApplyOpsWaitForIsAStateUpdateEvenWithoutTheBatch() {
    TrainOpSplit split = split(withCounter(BatchNormModel.build(3, 2, Updates.MINIMIZE), DataType.DT_FLOAT));

    assertThat(split.stateUpdates()).extracting(StateUpdate::op).containsExactlyInAnyOrder("count_step", UPDATE_OPS.get(0), UPDATE_OPS.get(1));
    assertThat(split.stateVariables()).contains("steps");
    assertThat(split.replicaVariables()).contains("steps");
  }

  @Test
  void anIntegerWriteOnlyTheApplyOpsWaitForIsRefusedSayingTheChiefDoesNotRunIt() {
    MetaGraphDef meta = withCounter(BatchNormModel.build(3, 2, Updates.MINIMIZE), DataType.DT_INT64);

    assertThatThrownBy(() -> split(meta))
        .hasMessage("Cannot split train op 'train': update 'count_step' (AssignAdd) writes variable 'steps' only as a control input of ops the "
            + "chief does not run (the gradients, the Apply ops), so replicas run it and the chief sets the variable to the mean of their "
            + "values, but the variable is int64, and only float32 and float64 values can be averaged; sync mode refuses it");
  }

  @Test
  void writesTheChiefRunsOnItsOwnStayWithTheChief() throws Exception {
    String checkpoint = ModelGenerator.write(new ModelSpec(ModelSpec.Kind.MLP, List.of(4L), 3, List.of(5L), ModelSpec.Optimizer.ADAM, 0.1, 1),
        new LocalFileIO(), dir.toString()).checkpoint();
    TrainOpSplit split = split(MetaGraphs.read(new LocalFileIO(), checkpoint + ".meta"));
    Map<String, NodeDef> chief = nodes(split.chiefMetaGraph());

    assertThat(split.stateUpdates()).isEmpty();
    assertThat(split.stateVariables()).isEmpty();
    assertThat(TrainOpSplit.reachable(chief, List.of("train"), true)).contains("Adam", "Adam/Assign", "Adam/Assign_1");
  }
}
