package io.sparkpoint.exec;

import static io.sparkpoint.exec.TestGraphs.addV2;
import static io.sparkpoint.exec.TestGraphs.floats;
import static io.sparkpoint.exec.TestGraphs.placeholder;
import static io.sparkpoint.exec.TestGraphs.refVariable;
import static io.sparkpoint.exec.TestGraphs.resourceVariable;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One Session, four threads, runs that read variables: every thread sees the same results. */
class ConcurrentRunsTest {
  @Test
  void fourThreadsRunningOneSessionGetIdenticalResults() throws Exception {
    Graph graph = new Graph();
    Output v1 = refVariable(graph, "v1", floats(1, 2, 3));
    Output w = resourceVariable(graph, "w", floats(10, 20, 30));
    Output x = placeholder(graph, "x", 3);
    addV2(graph, "out", addV2(graph, "vars", v1, w), x);
    Session session = new Session(graph, TestGraphs.registry());
    session.initializeGlobalVariables();

    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<Tensor>>> results = new ArrayList<>();
    try {
      for (int thread = 0; thread < 4; thread++) {
        results.add(pool.submit(() -> {
          start.await();
          List<Tensor> seen = new ArrayList<>();
          for (int i = 0; i < 200; i++) {
            Tensor feed = Tensor.ofFloats(Shape.of(3), i, i, i);
            seen.add(session.run(Map.of("x", feed), List.of("out", "vars:0")).get(0));
          }
          return seen;
        }));
      }
      start.countDown();
      List<Tensor> expected = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        expected.add(floats(11 + i, 22 + i, 33 + i));
      }
      for (Future<List<Tensor>> result : results) {
        assertThat(result.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
