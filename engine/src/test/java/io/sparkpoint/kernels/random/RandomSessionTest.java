package io.sparkpoint.kernels.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The seeded random ops in a Session, against values TensorFlow 2.18 printed for the same graph
 * (the tf-oracle's {@code run --runs 2}): first and second runs, restarts, plans and threads.
 */
class RandomSessionTest {
  private final Graph graph = new Graph();

  // TF 2.18, seed 1 / seed2 2, RandomUniform float32 [5] and float64 [3], runs 1 and 2
  private static final Tensor TF_UNIFORM_RUN1 = floats(0.406396747f, 0.857599616f, 0.0553958416f, 0.0858722925f, 0.412153602f);
  private static final Tensor TF_UNIFORM_RUN2 = floats(0.159829855f, 0.391263723f, 0.952384710f, 0.584368110f, 0.726921678f);
  private static final Tensor TF_UNIFORM_DOUBLE_RUN1 = doubles(0.25117449808418680, 0.44316677020093853, 0.29722962907819240);
  private static final Tensor TF_UNIFORM_DOUBLE_RUN2 = doubles(0.34725887121466203, 0.28397618048562000, 0.15394488122016758);
  // seed 42 / seed2 0, float32 [6]: the normal's and the truncated normal's first group agree
  private static final Tensor TF_NORMAL_RUN1 = floats(-0.301015675f, 0.518591642f, -0.156939775f, -1.17608738f, 0.222750306f, -0.793649614f);
  private static final Tensor TF_NORMAL_RUN2 = floats(0.219508946f, -0.684623897f, 0.787350059f, -0.990203083f, -0.0355566107f, 2.37817550f);
  private static final Tensor TF_TRUNCATED_RUN1 = floats(-0.301015675f, 0.518591642f, -0.156939775f, -1.17608738f, 1.18872011f, 0.350266963f);
  private static final Tensor TF_TRUNCATED_RUN2 = floats(0.219508946f, -0.684623897f, 0.787350059f, -0.990203083f, 0.245440096f, 0.907251239f);
  // seed 7 / seed2 8, RandomUniformInt int32 [5] in [-10, 10) and int64 [3] in [-5e18, 5e18)
  private static final Tensor TF_INT_RUN1 = Tensor.ofInts(Shape.of(5), -4, -2, -3, 2, -2);
  private static final Tensor TF_INT_RUN2 = Tensor.ofInts(Shape.of(5), -6, -10, 7, -9, -8);
  private static final Tensor TF_LONG_RUN1 = Tensor.ofLongs(Shape.of(3), -2886213855230419506L, 95073197567980399L, 738669472434535144L);
  private static final Tensor TF_LONG_RUN2 = Tensor.ofLongs(Shape.of(3), -1213612495061154291L, 4522813519051551013L, -3696328326276455472L);

  static Tensor floats(float... values) {
    return Tensor.ofFloats(Shape.of(values.length), values);
  }

  static Tensor doubles(double... values) {
    return Tensor.ofDoubles(Shape.of(values.length), values);
  }

  static Output constant(Graph graph, String name, Tensor value) {
    return graph.opBuilder("Const", name).setAttr("value", value).setAttr("dtype", value.dtype()).build().output(0);
  }

  /** A random op of {@code dtype} whose shape input is a Const int32 vector. */
  static void random(Graph graph, String op, String name, DType dtype, long seed, long seed2, int... dims) {
    Output shape = constant(graph, name + "/shape", Tensor.ofInts(Shape.of(dims.length), dims));
    graph.opBuilder(op, name).addInput(shape).setAttr("dtype", dtype).setAttr("T", DType.INT32)
        .setAttr("seed", seed).setAttr("seed2", seed2).build();
  }

  private void uniformInt(String name, Tensor lo, Tensor hi, int... dims) {
    Output shape = constant(graph, name + "/shape", Tensor.ofInts(Shape.of(dims.length), dims));
    graph.opBuilder("RandomUniformInt", name).addInput(shape).addInput(constant(graph, name + "/lo", lo))
        .addInput(constant(graph, name + "/hi", hi)).setAttr("Tout", lo.dtype()).setAttr("T", DType.INT32)
        .setAttr("seed", 7L).setAttr("seed2", 8L).build();
  }

  private void tfGoldenGraph() {
    random(graph, "RandomUniform", "u", DType.FLOAT, 1, 2, 5);
    random(graph, "RandomUniform", "ud", DType.DOUBLE, 1, 2, 3);
    random(graph, "RandomStandardNormal", "n", DType.FLOAT, 42, 0, 6);
    random(graph, "TruncatedNormal", "t", DType.FLOAT, 42, 0, 6);
    uniformInt("i", Tensor.ofInts(Shape.scalar(), -10), Tensor.ofInts(Shape.scalar(), 10), 5);
    uniformInt("i64", Tensor.ofLongs(Shape.scalar(), -5_000_000_000_000_000_000L), Tensor.ofLongs(Shape.scalar(), 5_000_000_000_000_000_000L), 3);
  }

  private static final List<String> ALL = List.of("u", "ud", "n", "t", "i", "i64");

  @Test
  void theFirstTwoRunsGiveTensorFlowsNumbers() {
    tfGoldenGraph();
    Session session = new Session(graph);

    assertThat(session.run(Map.of(), ALL))
        .containsExactly(TF_UNIFORM_RUN1, TF_UNIFORM_DOUBLE_RUN1, TF_NORMAL_RUN1, TF_TRUNCATED_RUN1, TF_INT_RUN1, TF_LONG_RUN1);
    assertThat(session.run(Map.of(), ALL))
        .containsExactly(TF_UNIFORM_RUN2, TF_UNIFORM_DOUBLE_RUN2, TF_NORMAL_RUN2, TF_TRUNCATED_RUN2, TF_INT_RUN2, TF_LONG_RUN2);
  }

  @Test
  void aNewSessionStartsTheSequenceOver() {
    tfGoldenGraph();
    Session first = new Session(graph);
    first.fetch("u");
    first.fetch("u");

    assertThat(new Session(graph).fetch("u")).isEqualTo(TF_UNIFORM_RUN1);
  }

  @Test
  void everyPlanThatRunsTheNodeContinuesTheSameSequence() {
    tfGoldenGraph();
    Session session = new Session(graph);

    assertThat(session.fetch("u")).isEqualTo(TF_UNIFORM_RUN1);
    assertThat(session.run(Map.of(), List.of("n", "u")).get(1)).isEqualTo(TF_UNIFORM_RUN2);
  }

  @Test
  void twoNodesWithTheSameSeedsMakeTheSameNumbers() {
    random(graph, "RandomUniform", "a", DType.FLOAT, 1, 2, 5);
    random(graph, "RandomUniform", "b", DType.FLOAT, 1, 2, 5);

    assertThat(new Session(graph).run(Map.of(), List.of("a", "b"))).containsExactly(TF_UNIFORM_RUN1, TF_UNIFORM_RUN1);
  }

  @Test
  void concurrentRunsTakeDisjointStretchesOfTheSequence() throws Exception {
    random(graph, "TruncatedNormal", "t", DType.FLOAT, 3, 4, 7);
    List<Tensor> sequential = new ArrayList<>();
    Session reference = new Session(graph);
    for (int i = 0; i < 200; i++) {
      sequential.add(reference.fetch("t"));
    }

    Session session = new Session(graph);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<List<Tensor>>> results = new ArrayList<>();
    try {
      for (int thread = 0; thread < 4; thread++) {
        results.add(pool.submit(() -> {
          List<Tensor> seen = new ArrayList<>();
          for (int i = 0; i < 50; i++) {
            seen.add(session.fetch("t"));
          }
          return seen;
        }));
      }
      List<Tensor> concurrent = new ArrayList<>();
      for (Future<List<Tensor>> result : results) {
        concurrent.addAll(result.get());
      }
      assertThat(concurrent).containsExactlyInAnyOrderElementsOf(sequential);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedRunTakesNothingFromTheSequence() {
    Output shape = graph.opBuilder("Placeholder", "shape").setAttr("dtype", DType.INT32).build().output(0);
    graph.opBuilder("RandomUniform", "u").addInput(shape).setAttr("dtype", DType.FLOAT).setAttr("T", DType.INT32)
        .setAttr("seed", 1L).setAttr("seed2", 2L).build();
    Session session = new Session(graph);

    assertThatThrownBy(() -> session.run(Map.of("shape", Tensor.ofInts(Shape.of(1), -5)), List.of("u")))
        .hasMessageEndingWith("Dimension -5 must be >= 0");
    assertThat(session.run(Map.of("shape", Tensor.ofInts(Shape.of(1), 5)), List.of("u")).get(0)).isEqualTo(TF_UNIFORM_RUN1);
  }
}
