package io.sparkpoint.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** KernelContext.nodeState: one state per node and session, whichever plan runs the node. */
class NodeStateTest {
  private final Graph graph = new Graph();
  private final KernelRegistry registry = TestGraphs.registry();

  /** A test-only stateful op "Count": outputs how many times its node has run in the session. */
  NodeStateTest() {
    registry.register("Count", node -> context ->
        List.of(Tensor.scalar(context.nodeState(AtomicLong.class, AtomicLong::new).incrementAndGet())));
    graph.opBuilder("Count", "a").build();
    graph.opBuilder("Count", "b").build();
  }

  private static long count(Session session, List<String> fetches, int index) {
    return session.run(Map.of(), fetches).get(index).longAt(0);
  }

  @Test
  void aNodeCountsOnAcrossRunsOfOneSession() {
    Session session = new Session(graph, registry);

    assertThat(count(session, List.of("a"), 0)).isEqualTo(1);
    assertThat(count(session, List.of("a"), 0)).isEqualTo(2);
    assertThat(count(session, List.of("a"), 0)).isEqualTo(3);
  }

  @Test
  void everyPlanHoldingTheNodeSharesItsState() {
    Session session = new Session(graph, registry);

    assertThat(count(session, List.of("a"), 0)).isEqualTo(1);
    assertThat(count(session, List.of("b", "a"), 1)).isEqualTo(2);
    session.runTargets("a");
    assertThat(count(session, List.of("a:0"), 0)).isEqualTo(4);
  }

  @Test
  void eachNodeHasItsOwnStateAndANewSessionStartsAfresh() {
    Session first = new Session(graph, registry);
    count(first, List.of("a"), 0);
    count(first, List.of("a"), 0);

    assertThat(count(first, List.of("b"), 0)).isEqualTo(1);
    assertThat(count(new Session(graph, registry), List.of("a"), 0)).isEqualTo(1);
  }

  @Test
  void concurrentFirstRunsMakeTheStateOnce() throws Exception {
    Session session = new Session(graph, registry);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<List<Long>>> results = new ArrayList<>();
    try {
      for (int thread = 0; thread < 4; thread++) {
        results.add(pool.submit(() -> {
          List<Long> seen = new ArrayList<>();
          for (int i = 0; i < 250; i++) {
            seen.add(count(session, List.of("a"), 0));
          }
          return seen;
        }));
      }
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> result : results) {
        all.addAll(result.get());
      }
      assertThat(all).doesNotHaveDuplicates().hasSize(1000).allMatch(n -> n >= 1 && n <= 1000);
    } finally {
      pool.shutdownNow();
    }
  }
}
