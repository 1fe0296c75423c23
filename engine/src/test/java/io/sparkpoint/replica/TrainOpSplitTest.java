package io.sparkpoint.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.exec.Session;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.model.ModelGenerator;
import io.sparkpoint.model.ModelSpec;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.saver.Saver;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Splitting a training step into replicas' gradients and the chief's update gives one process's result. */
class TrainOpSplitTest {
  private static final int FEATURES = 6;
  private static final int BATCH = 8;
  @TempDir Path dir;
  private final FileIO io = new LocalFileIO();

  private String model(ModelSpec.Optimizer optimizer) {
    return ModelGenerator.write(new ModelSpec(ModelSpec.Kind.MLP, List.of((long) FEATURES), 3, List.of(5L), optimizer, 0.1, 11), io,
        dir.toString()).checkpoint();
  }

  private static Map<String, Tensor> batch(int step, int from, int to) {
    Random random = new Random(step);
    float[] x = new float[BATCH * FEATURES];
    long[] labels = new long[BATCH];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < BATCH; i++) {
      labels[i] = random.nextInt(3);
    }
    float[] xs = java.util.Arrays.copyOfRange(x, from * FEATURES, to * FEATURES);
    long[] ys = java.util.Arrays.copyOfRange(labels, from, to);
    return Map.of(ModelGenerator.INPUT, Tensor.ofFloats(Shape.of(to - from, FEATURES), xs), ModelGenerator.LABELS,
        Tensor.ofLongs(Shape.of(to - from), ys));
  }

  @ParameterizedTest
  @EnumSource(ModelSpec.Optimizer.class)
  void averagedReplicaGradientsTrainAsOneProcessOnTheWholeBatch(ModelSpec.Optimizer optimizer) throws Exception {
    String checkpoint = model(optimizer);
    MetaGraphDef meta = MetaGraphs.read(io, checkpoint + ".meta");

    Graph graph = new Graph();
    Saver saver = Saver.fromSaverDef(graph, MetaGraphs.importMetaGraph(graph, meta, MetaGraphs.ImportOptions.defaults()));
    Session whole = new Session(graph).withService(FileIO.class, io);
    saver.restore(whole, checkpoint);

    TrainOpSplit split = TrainOpSplit.of(meta, ModelGenerator.TRAIN, ModelGenerator.LOSS);
    Chief chief = new Chief(split, io);
    chief.restore(checkpoint);
    Replica first = new Replica(split, meta);
    Replica second = new Replica(split, meta);
    for (int step = 0; step < 4; step++) {
      double loss = whole.run(batch(step, 0, BATCH), List.of(ModelGenerator.LOSS), List.of(ModelGenerator.TRAIN)).get(0).doubleAt(0);
      Map<String, Tensor> variables = chief.read(split.replicaVariables());
      first.load(step, variables);
      second.load(step, variables);
      GradientSum sum = GradientSum.empty(split.gradients().size())
          .add(5, first.gradients(batch(step, 0, 5)))
          .merge(GradientSum.empty(split.gradients().size()).add(3, second.gradients(batch(step, 5, BATCH))));
      assertThat(sum.meanLoss()).as("loss of step %d", step).isCloseTo(loss, org.assertj.core.data.Percentage.withPercentage(1e-4));
      chief.apply(sum.mean());
    }
    Map<String, Tensor> split4 = chief.savedValues();
    assertThat(split4).containsKeys("dense/kernel", "dense_1/bias", "global_step");
    assertThat(chief.globalStep()).isEqualTo(4L);
    for (Map.Entry<String, Tensor> entry : split4.entrySet()) {
      Tensor expected = whole.variables().read(entry.getKey());
      assertThat(TestFixtures.relativeDifference(entry.getValue(), expected)).as(entry.getKey()).isLessThan(1e-5);
    }
  }

  @Test
  void theChiefGraphFeedsEachApplyOpItsGradientAndDropsTheWaitOnGradients() throws Exception {
    MetaGraphDef meta = MetaGraphs.read(io, model(ModelSpec.Optimizer.ADAM) + ".meta");
    TrainOpSplit split = TrainOpSplit.of(meta, "train", "loss");

    assertThat(split.loss()).isEqualTo("loss:0");
    assertThat(split.updates()).extracting(TrainOpSplit.Update::opType).containsOnly("ApplyAdam");
    assertThat(split.updates()).hasSize(4);
    assertThat(split.replicaVariables()).containsExactlyInAnyOrder("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias");
    for (TrainOpSplit.Update update : split.updates()) {
      NodeDef apply = split.chiefMetaGraph().getGraphDef().getNodeList().stream().filter(n -> n.getName().equals(update.applyOp())).findFirst().orElseThrow();
      assertThat(apply.getInput(9)).isEqualTo(TrainOpSplit.FEED_PREFIX + update.gradient());
      assertThat(apply.getInputList()).noneMatch(in -> in.startsWith("^"));
    }
  }

  @Test
  void aGraphThatCannotBeSplitIsRefusedNamingWhatIsWrong() throws Exception {
    MetaGraphDef meta = MetaGraphs.read(io, model(ModelSpec.Optimizer.SGD) + ".meta");
    assertThatThrownBy(() -> TrainOpSplit.of(meta, "no_such_op", "loss"))
        .hasMessage("Cannot find the train op 'no_such_op' in the graph; name it with --train-op");
    assertThatThrownBy(() -> TrainOpSplit.of(meta, "train", "lost:0"))
        .hasMessage("Cannot find the loss tensor 'lost:0' in the graph; name it with --loss");
    assertThatThrownBy(() -> TrainOpSplit.of(meta, "init", "loss"))
        .hasMessageStartingWith("Train op 'init' runs no Apply op");
  }

  @Test
  void gradientSumsRefuseWhatCannotBeAveragedNamingTheGradient() {
    Replica.Result ints = new Replica.Result(List.of(Tensor.ofInts(Shape.of(2), 1, 2)), Tensor.scalar(1f));
    assertThatThrownBy(() -> GradientSum.empty(1).add(1, ints)).hasMessage("Cannot average gradient 0: its dtype is int32, expected float32 or float64");
    GradientSum sum = GradientSum.empty(1).add(1, new Replica.Result(List.of(Tensor.ofFloats(Shape.of(2), 1, 2)), Tensor.scalar(1f)));
    assertThatThrownBy(() -> sum.add(1, new Replica.Result(List.of(Tensor.ofFloats(Shape.of(3), 1, 2, 3)), Tensor.scalar(1f))))
        .hasMessage("Cannot add gradient 0 of float32 [3] to a sum of float32 [2]");
    assertThatThrownBy(() -> GradientSum.empty(1).mean()).hasMessage("No examples were added: the batch is empty");
  }
}
