package io.sparkpoint.exec;

import static io.sparkpoint.exec.TestGraphs.constant;
import static io.sparkpoint.exec.TestGraphs.floats;
import static io.sparkpoint.exec.TestGraphs.placeholder;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a kernel may overwrite an input in place: only a value made fresh by its producer, read by
 * this one node, and not fetched. Test-only ops: {@code Fresh} copies its input into a new tensor
 * and declares it fresh; {@code Probe} records what {@code mayOverwrite} said for each input;
 * {@code Pass} returns its input 0 and declares it fresh (laundering it when it was not allowed);
 * {@code Twice} returns one fresh tensor on two ports.
 */
class OverwriteTest {
  private final Graph graph = new Graph();
  private final KernelRegistry registry = TestGraphs.registry();
  private final Map<String, List<Boolean>> seen = new ConcurrentHashMap<>();

  @BeforeEach
  void registerTestOps() {
    registry.register("Fresh", node -> context -> List.of(context.fresh(Tensor.wrap(context.input(0).dtype(),
        context.input(0).shape(), java.nio.ByteBuffer.wrap(context.input(0).bytes())))));
    registry.register("Probe", node -> context -> {
      Boolean[] may = new Boolean[context.inputs().size()];
      for (int i = 0; i < may.length; i++) {
        may[i] = context.mayOverwrite(i);
      }
      seen.put(node.getName(), List.of(may));
      return List.of(context.input(0));
    });
    registry.register("Pass", node -> context -> List.of(context.fresh(context.input(0))));
    registry.register("Twice", node -> context -> {
      Tensor t = context.fresh(Tensor.ofFloats(context.input(0).shape(), 1f));
      return List.of(t, t);
    });
  }

  private Output op(String type, String name, Output... inputs) {
    var builder = graph.opBuilder(type, name);
    for (Output input : inputs) {
      builder.addInput(input);
    }
    return builder.build().output(0);
  }

  private void run(List<String> fetches) {
    new Session(graph, registry).run(Map.of(), fetches);
  }

  @Test
  void theOnlyReaderOfAFreshValueMayOverwriteIt() {
    Output fresh = op("Fresh", "fresh", constant(graph, "c", floats(1, 2)));
    op("Probe", "probe", fresh);
    run(List.of("probe"));
    assertThat(seen.get("probe")).containsExactly(true);
  }

  @Test
  void aFetchedValueIsNeverOverwritten() {
    Output fresh = op("Fresh", "fresh", constant(graph, "c", floats(1, 2)));
    op("Probe", "probe", fresh);
    run(List.of("probe", "fresh"));
    assertThat(seen.get("probe")).containsExactly(false);
  }

  @Test
  void aValueWithTwoReadersOrReadTwiceByOneNodeIsNeverOverwritten() {
    Output fresh = op("Fresh", "fresh", constant(graph, "c", floats(1, 2)));
    op("Probe", "a", fresh);
    op("Probe", "b", fresh);
    Output other = op("Fresh", "other", constant(graph, "d", floats(3)));
    op("Probe", "both", other, other);
    run(List.of("a", "b", "both"));
    assertThat(seen.get("a")).containsExactly(false);
    assertThat(seen.get("b")).containsExactly(false);
    assertThat(seen.get("both")).containsExactly(false, false);
  }

  @Test
  void constsFeedsAndPassedThroughInputsAreNeverFresh() {
    Output c = constant(graph, "c", floats(1, 2));
    op("Probe", "ofConst", c);
    op("Probe", "ofFeed", placeholder(graph, "x", 2));
    op("Probe", "ofIdentity", graph.opBuilder("Identity", "id").addInput(op("Fresh", "fresh", c)).setAttr("T",
        io.sparkpoint.tensor.DType.FLOAT).build().output(0));
    new Session(graph, registry).run(Map.of("x", floats(5, 6)), List.of("ofConst", "ofFeed", "ofIdentity"));
    assertThat(seen.get("ofConst")).containsExactly(false);
    assertThat(seen.get("ofFeed")).containsExactly(false);
    assertThat(seen.get("ofIdentity")).containsExactly(false);
  }

  @Test
  void aKernelCannotDeclareFreshAnInputItWasNotAllowedToOverwrite() {
    op("Probe", "probe", op("Pass", "launder", constant(graph, "c", floats(1, 2))));
    run(List.of("probe"));
    assertThat(seen.get("probe")).containsExactly(false);
  }

  @Test
  void anInputOverwrittenInPlaceStaysFreshForTheNextNode() {
    op("Probe", "probe", op("Pass", "inPlace", op("Fresh", "fresh", constant(graph, "c", floats(1, 2)))));
    run(List.of("probe"));
    assertThat(seen.get("probe")).containsExactly(true);
  }

  @Test
  void oneTensorOnTwoOutputPortsIsShared() {
    var twice = graph.opBuilder("Twice", "twice").addInput(constant(graph, "c", floats(1))).build();
    op("Probe", "first", twice.output(0));
    op("Probe", "second", twice.output(1));
    run(List.of("first", "second"));
    assertThat(seen.get("first")).containsExactly(false);
    assertThat(seen.get("second")).containsExactly(false);
  }
}
