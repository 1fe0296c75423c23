package io.sparkpoint.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.graph.Output;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Train ops that data-parallel training cannot split are refused, naming the train op, the update
 * and what it needs. Each graph is the smallest SGD graph ({@code loss = sum(x * w)}, one dense
 * ApplyGradientDescent) plus the update under test, grouped into {@code train}.
 */
class TrainOpSplitRefusalTest {
  private final Graph graph = new Graph();
  private final Output x = placeholder("x", DType.FLOAT, -1, 2);
  private final Output ids = placeholder("ids", DType.INT32, -1);
  private final Output lr = graph.constant("learning_rate", Tensor.scalar(0.1f));
  private final Operation denseUpdate = denseUpdate();

  private Output placeholder(String name, DType dtype, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long dim : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
    }
    return graph.opBuilder("Placeholder", name).setAttr("dtype", dtype).setAttr("shape", AttrValue.newBuilder().setShape(shape).build()).build()
        .output(0);
  }

  private Output floats(String op, String name, Output a, Output b) {
    return graph.opBuilder(op, name).addInput(a).addInput(b).setAttr("T", DType.FLOAT).build().output(0);
  }

  /** w's SGD step; its gradient sum(x, 0) is what replicas would compute. */
  private Operation denseUpdate() {
    Output w = Variables.variable(graph, "w", Tensor.ofFloats(Shape.of(2), 0, 0));
    Output rows = graph.constant("axis_rows", Tensor.ofInts(Shape.of(1), 0));
    floats("Sum", "loss", floats("Mul", "xw", x, w), graph.constant("axis_all", Tensor.ofInts(Shape.of(2), 0, 1)));
    Output grad = floats("Sum", "gradients/w", x, rows);
    return graph.opBuilder("ApplyGradientDescent", "update_w").addInput(graph.operation("w").output(0)).addInput(lr).addInput(grad)
        .setAttr("T", DType.FLOAT).build();
  }

  /** The train op grouping w's update and {@code other}, as a MetaGraphDef. */
  private MetaGraphDef trainingWith(Operation other) {
    graph.opBuilder("NoOp", "train").addControlInput(denseUpdate).addControlInput(other).build();
    return MetaGraphDef.newBuilder().setGraphDef(graph.toGraphDef()).build();
  }

  /** An embedding's sparse update of the rows {@code ids} looks up, by {@code op} (ref or resource variant). */
  private Operation sparseUpdate(String op) {
    Tensor zeros = Tensor.ofFloats(Shape.of(4, 2), new float[8]);
    Output embedding = (op.startsWith("Resource") ? Variables.resourceVariable(graph, "emb", zeros) : Variables.variable(graph, "emb", zeros))
        .op().inputs().get(0);
    Output values = graph.opBuilder("Identity", "gradients/emb_values").addInput(x).setAttr("T", DType.FLOAT).build().output(0);
    OperationBuilder update = graph.opBuilder(op, "update_emb").addInput(embedding);
    if (op.contains("Adagrad") || op.contains("Momentum")) {
      update.addInput(embedding); // the accumulator slot; which variable does not matter here
    }
    return update.addInput(lr).addInput(values).addInput(ids).setAttr("T", DType.FLOAT).setAttr("Tindices", DType.INT32).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"SparseApplyAdagrad", "ResourceSparseApplyAdagrad", "SparseApplyMomentum"})
  void aSparseApplyOpIsRefusedNamingItAndTheTrainOp(String op) {
    MetaGraphDef meta = trainingWith(sparseUpdate(op));

    assertThatThrownBy(() -> TrainOpSplit.of(meta, "train", "loss"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot split train op 'train': update 'update_emb' (" + op + ") applies a sparse gradient (embedding lookups); "
            + "data-parallel training averages dense gradients only, sparse ones are not supported yet");
  }

  private static final String REPLICAS_AVERAGE = ", so replicas run it and the chief sets the variable to the mean of their values, but ";

  @Test
  void tf1SparseGradientDescentAScatterSubOfTheLookedUpRowsIsRefusedNamingItAndItsVariable() {
    Output embedding = Variables.variable(graph, "emb", Tensor.ofFloats(Shape.of(4, 2), new float[8]));
    Output values = floats("Mul", "emb_update/mul", graph.opBuilder("Identity", "gradients/emb_values").addInput(x).setAttr("T", DType.FLOAT)
        .build().output(0), lr);
    Operation scatter = graph.opBuilder("ScatterSub", "update_emb").addInput(embedding.op().inputs().get(0)).addInput(ids).addInput(values)
        .setAttr("T", DType.FLOAT).setAttr("Tindices", DType.INT32).build();
    MetaGraphDef meta = trainingWith(scatter);

    assertThatThrownBy(() -> TrainOpSplit.of(meta, "train", "loss"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot split train op 'train': update 'update_emb' (ScatterSub) writes variable 'emb' from the batch (it reads placeholder 'x')"
            + REPLICAS_AVERAGE + "it writes only part of the variable (a sparse or sliced write), and only whole variables can be averaged; "
            + "sync mode refuses it");
  }

  @Test
  void aBatchDependentWriteOfAnIntegerVariableIsRefusedNamingItAndItsDtype() {
    Output seen = Variables.variable(graph, "examples_seen", Tensor.scalar(0L));
    Output size = graph.opBuilder("Size", "batch_size").addInput(x).setAttr("T", DType.FLOAT).setAttr("out_type", DType.INT64).build().output(0);
    Operation count = graph.opBuilder("AssignAdd", "count_examples").addInput(seen.op().inputs().get(0)).addInput(size).setAttr("T", DType.INT64)
        .build();
    MetaGraphDef meta = trainingWith(count);

    assertThatThrownBy(() -> TrainOpSplit.of(meta, "train", "loss"))
        .hasMessage("Cannot split train op 'train': update 'count_examples' (AssignAdd) writes variable 'examples_seen' from the batch "
            + "(it reads placeholder 'x')" + REPLICAS_AVERAGE + "the variable is int64, and only float32 and float64 values can be averaged; "
            + "sync mode refuses it");
  }

  @Test
  void aWriteOfAVariableAnApplyOpAlsoUpdatesIsRefusedNamingBoth() {
    Output mean = floats("Mean", "x_mean", x, graph.constant("x_mean/axis", Tensor.ofInts(Shape.of(1), 0)));
    Operation reset = graph.opBuilder("Assign", "reset_w").addInput(graph.operation("w").output(0)).addInput(mean).setAttr("T", DType.FLOAT)
        .build();
    MetaGraphDef meta = trainingWith(reset);

    assertThatThrownBy(() -> TrainOpSplit.of(meta, "train", "loss"))
        .hasMessage("Cannot split train op 'train': update 'reset_w' (Assign) writes variable 'w' from the batch (it reads placeholder 'x')"
            + REPLICAS_AVERAGE + "'update_w' (ApplyGradientDescent), which the chief runs, writes the same variable; sync mode refuses it");
  }

  @Test
  void aTrainOpThatIsItselfABatchDependentWriteIsRefusedSuggestingAGroup() {
    Output movingMean = Variables.variable(graph, "moving_mean", Tensor.ofFloats(Shape.of(2), 0, 0));
    Output batchMean = floats("Mean", "batch_mean", x, graph.constant("batch_mean/axis", Tensor.ofInts(Shape.of(1), 0)));
    graph.opBuilder("AssignSub", "train").addInput(movingMean.op().inputs().get(0)).addInput(batchMean).setAttr("T", DType.FLOAT)
        .addControlInput(denseUpdate).build();
    MetaGraphDef meta = MetaGraphDef.newBuilder().setGraphDef(graph.toGraphDef()).build();

    assertThatThrownBy(() -> TrainOpSplit.of(meta, "train", "loss"))
        .hasMessage("Cannot split train op 'train': update 'train' (AssignSub) writes variable 'moving_mean' from the batch (it reads placeholder 'x')"
            + REPLICAS_AVERAGE + "it is the train op itself, which the chief runs; sync mode refuses it; make the train op a NoOp grouping it with "
            + "the optimizer's update (tf.group)");
  }

  @Test
  void aWriteThroughSomethingOtherThanAVariableIsRefusedNamingIt() {
    Output notAVariable = graph.constant("not_a_variable", Tensor.ofFloats(Shape.of(2), 0, 0));
    Operation write = graph.opBuilder("AssignSub", "odd_update").addInput(notAVariable).addInput(x).setAttr("T", DType.FLOAT).build();
    MetaGraphDef meta = trainingWith(write);

    assertThatThrownBy(() -> TrainOpSplit.of(meta, "train", "loss"))
        .hasMessage("Cannot split train op 'train': update 'odd_update' (AssignSub) writes through 'not_a_variable', which is not a VariableV2 "
            + "or VarHandleOp, so the chief cannot tell which variable to set to the replicas' mean; sync mode refuses it");
  }

  @Test
  void anOpOtherThanAWriteThatReadsTheBatchForTheChiefIsRefusedNamingItAndThePlaceholder() {
    Operation check = graph.opBuilder("Identity", "check_inputs").addInput(x).setAttr("T", DType.FLOAT).build();
    MetaGraphDef meta = trainingWith(check);

    assertThatThrownBy(() -> TrainOpSplit.of(meta, "train", "loss"))
        .hasMessage("Cannot split train op 'train': besides the gradients, op 'check_inputs' (Identity) needs placeholder 'x', which only "
            + "replicas are fed; sync mode moves the gradients and variable writes (such as batch-norm moving averages) to the replicas, "
            + "but not other ops reading the batch, so it refuses this graph");
  }

  @Test
  void anApplyOpTheRegistryDoesNotKnowIsRefusedNamingIt() {
    Output v = Variables.variable(graph, "v", Tensor.ofFloats(Shape.of(2), 0, 0));
    Operation magic = graph.opBuilder("ApplyMagic", "update_v").addInput(v.op().inputs().get(0)).addInput(lr).addInput(x).setAttr("T", DType.FLOAT)
        .build();
    MetaGraphDef meta = trainingWith(magic);

    assertThatThrownBy(() -> TrainOpSplit.of(meta, "train", "loss"))
        .hasMessage("Cannot split train op 'train': update 'update_v' (ApplyMagic) uses an op that is not in Sparkpoint's op registry, "
            + "so its gradient input cannot be found");
  }

  @Test
  void theSameGraphWithoutTheRefusedUpdateSplits() {
    graph.opBuilder("NoOp", "train").addControlInput(denseUpdate).build();
    TrainOpSplit split = TrainOpSplit.of(MetaGraphDef.newBuilder().setGraphDef(graph.toGraphDef()).build(), "train", "loss");

    assertThat(split.gradients()).containsExactly("gradients/w:0");
    assertThat(split.replicaVariables()).containsExactly("w");
  }
}
