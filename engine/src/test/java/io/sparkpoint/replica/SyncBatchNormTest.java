package io.sparkpoint.replica;

import static io.sparkpoint.replica.BatchNormModel.MOMENTUM;
import static io.sparkpoint.replica.BatchNormModel.MOVING_MEAN;
import static io.sparkpoint.replica.BatchNormModel.MOVING_VARIANCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.replica.BatchNormModel.Updates;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A batch-norm graph trained by replicas and a chief: the moving mean moves exactly as in one
 * process on the global batch, the moving variance by the mean of the replicas' batch variances,
 * and the chief never runs the moving-average updates itself.
 */
class SyncBatchNormTest {
  private static final int FEATURES = 3;
  private static final int BATCH = 8;
  private static final int SPLIT = 5; // the first replica's share of each batch
  private static final int STEPS = 3;

  /** Step {@code step}'s global batch: features with per-column offsets and spreads, so the moments differ between slices. */
  private static float[] features(int step) {
    Random random = new Random(100 + step);
    float[] x = new float[BATCH * FEATURES];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (random.nextGaussian() * (1 + i % FEATURES) + i % FEATURES);
    }
    return x;
  }

  private static Map<String, Tensor> feeds(int step, int from, int to) {
    Random random = new Random(step);
    long[] labels = new long[BATCH];
    Arrays.setAll(labels, i -> random.nextInt(2));
    return Map.of("x:0", Tensor.ofFloats(Shape.of(to - from, FEATURES), Arrays.copyOfRange(features(step), from * FEATURES, to * FEATURES)),
        "labels:0", Tensor.ofLongs(Shape.of(to - from), Arrays.copyOfRange(labels, from, to)));
  }

  private static Session oneProcess(MetaGraphDef meta) {
    Graph graph = new Graph();
    MetaGraphs.importMetaGraph(graph, meta, MetaGraphs.ImportOptions.defaults());
    Session session = new Session(graph);
    session.initializeGlobalVariables();
    for (int step = 0; step < STEPS; step++) {
      session.run(feeds(step, 0, BATCH), List.of(), List.of("train"));
    }
    return session;
  }

  /** Trains with one replica per slice [0, cut) and [cut, BATCH) (one replica when cut is BATCH); returns the chief. */
  private static Chief replicated(MetaGraphDef meta, int cut) {
    TrainOpSplit split = TrainOpSplit.of(meta, "train", "loss");
    Chief chief = new Chief(split, TestFixtures.memory());
    chief.initialize();
    List<Replica> replicas = List.of(new Replica(split, meta), new Replica(split, meta));
    for (int step = 0; step < STEPS; step++) {
      Map<String, Tensor> variables = chief.read(split.replicaVariables());
      GradientSum sum = GradientSum.empty(split.gradients().size(), split.stateVariables().size());
      int[] bounds = cut == BATCH ? new int[] {0, BATCH} : new int[] {0, cut, BATCH};
      for (int r = 0; r + 1 < bounds.length; r++) {
        replicas.get(r).load(step, variables);
        GradientSum part = GradientSum.empty(split.gradients().size(), split.stateVariables().size());
        sum.merge(part.add(bounds[r + 1] - bounds[r], replicas.get(r).gradients(feeds(step, bounds[r], bounds[r + 1]))));
      }
      chief.apply(sum.mean(), sum.stateMean());
    }
    return chief;
  }

  /** Per column, the (biased) variance of rows [from, to) of step {@code step}'s batch. */
  private static double[] variance(int step, int from, int to) {
    float[] x = features(step);
    double[] out = new double[FEATURES];
    for (int c = 0; c < FEATURES; c++) {
      double mean = 0;
      for (int r = from; r < to; r++) {
        mean += x[r * FEATURES + c] / (double) (to - from);
      }
      for (int r = from; r < to; r++) {
        out[c] += Math.pow(x[r * FEATURES + c] - mean, 2) / (to - from);
      }
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(Updates.class)
  void theMovingMeanOfTwoReplicasEqualsOneProcessOnTheGlobalBatch(Updates updates) {
    MetaGraphDef meta = BatchNormModel.build(FEATURES, 2, updates);
    Session whole = oneProcess(meta);
    Chief chief = replicated(meta, SPLIT);

    Tensor expected = whole.variables().read(MOVING_MEAN);
    assertThat(expected.doubleAt(2)).as("the moving mean moved").isGreaterThan(0.3);
    assertThat(TestFixtures.relativeDifference(chief.read(List.of(MOVING_MEAN)).get(MOVING_MEAN), expected)).isLessThan(1e-6);
    assertThat(chief.globalStep()).isEqualTo(STEPS);
  }

  @ParameterizedTest
  @EnumSource(Updates.class)
  void theMovingVarianceOfTwoReplicasIsTheMeanOfTheirBatchVariancesBelowOneProcesss(Updates updates) {
    MetaGraphDef meta = BatchNormModel.build(FEATURES, 2, updates);
    Tensor moved = replicated(meta, SPLIT).read(List.of(MOVING_VARIANCE)).get(MOVING_VARIANCE);
    Tensor single = oneProcess(meta).variables().read(MOVING_VARIANCE);

    double[] expected = {1, 1, 1};
    for (int step = 0; step < STEPS; step++) {
      double[] first = variance(step, 0, SPLIT);
      double[] second = variance(step, SPLIT, BATCH);
      for (int c = 0; c < FEATURES; c++) {
        double mean = (SPLIT * first[c] + (BATCH - SPLIT) * second[c]) / BATCH;
        expected[c] -= (expected[c] - mean) * (1 - MOMENTUM);
      }
    }
    assertThat(TestFixtures.relativeDifference(moved, Tensor.ofDoubles(Shape.of(FEATURES), expected))).isLessThan(1e-5);
    for (int c = 0; c < FEATURES; c++) {
      assertThat(moved.doubleAt(c)).as("column %d", c).isLessThan(single.doubleAt(c));
    }
  }

  @ParameterizedTest
  @EnumSource(Updates.class)
  void oneReplicaOnTheWholeBatchTrainsExactlyAsOneProcessMovingAveragesIncluded(Updates updates) {
    MetaGraphDef meta = BatchNormModel.build(FEATURES, 2, updates);
    Session whole = oneProcess(meta);
    Chief chief = replicated(meta, BATCH);

    for (Map.Entry<String, Tensor> saved : chief.savedValues().entrySet()) {
      assertThat(TestFixtures.relativeDifference(saved.getValue(), whole.variables().read(saved.getKey()))).as(saved.getKey()).isLessThan(1e-6);
    }
    assertThat(chief.savedValues()).containsKeys(MOVING_MEAN, MOVING_VARIANCE, "bn/gamma", "global_step");
  }

  @Test
  void theChiefRefusesAStepWithoutTheStateValuesItsSplitNeeds() {
    TrainOpSplit split = TrainOpSplit.of(BatchNormModel.build(FEATURES, 2, Updates.MINIMIZE), "train", "loss");
    Chief chief = new Chief(split, TestFixtures.memory());

    assertThatThrownBy(() -> chief.apply(List.of()))
        .hasMessage("Cannot apply a step with 0 state values: the train op's state updates write 2 variables [bn/moving_mean, bn/moving_variance]");
  }

  @Test
  void stateValuesAreSummedWeightedByExamplesAndRefusedWhenTheirCountDiffers() {
    Replica.Result a = new Replica.Result(List.of(), List.of(Tensor.ofFloats(Shape.of(2), 1, 2)), Tensor.scalar(0f));
    Replica.Result b = new Replica.Result(List.of(), List.of(Tensor.ofFloats(Shape.of(2), 4, 8)), Tensor.scalar(0f));
    GradientSum sum = GradientSum.empty(0, 1).add(2, a).merge(GradientSum.empty(0, 1).add(1, b));

    assertThat(sum.stateMean()).containsExactly(Tensor.ofFloats(Shape.of(2), 2, 4));
    assertThat(sum.mean()).isEmpty();
    assertThatThrownBy(() -> GradientSum.empty(0, 2).add(1, a)).hasMessage("Cannot add 1 state values to a sum of 2");
    assertThatThrownBy(() -> sum.merge(GradientSum.empty(0, 2))).hasMessage("Cannot merge sums of 0 and 0 gradients, 2 and 1 state values");
    Replica.Result ints = new Replica.Result(List.of(), List.of(Tensor.ofInts(Shape.of(1), 3)), Tensor.scalar(0f));
    assertThatThrownBy(() -> GradientSum.empty(0, 1).add(1, ints)).hasMessage("Cannot average state value 0: its dtype is int32, expected float32 or float64");
  }
}
