package io.sparkpoint.exec;

import static io.sparkpoint.exec.TestGraphs.addV2;
import static io.sparkpoint.exec.TestGraphs.constant;
import static io.sparkpoint.exec.TestGraphs.floats;
import static io.sparkpoint.exec.TestGraphs.placeholder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Session.run: feeds, fetches and targets, pruning, ordering, and how failures are reported. */
class SessionTest {
  private final Graph graph = new Graph();
  private final KernelRegistry registry = TestGraphs.registry();
  private final List<String> ran = new CopyOnWriteArrayList<>();

  /** A test-only op "Record": notes that its node ran and outputs how many nodes ran before it. */
  private void registerRecorder() {
    registry.register("Record", node -> context -> {
      ran.add(node.getName());
      return List.of(Tensor.scalar((float) ran.size()));
    });
    registry.register("Fail", node -> context -> {
      throw new KernelException("this node must not run");
    });
  }

  private Operation record(String name, Operation... controls) {
    var builder = graph.opBuilder("Record", name);
    for (Operation control : controls) {
      builder.addControlInput(control);
    }
    return builder.build();
  }

  @Test
  void fetchesComeBackInOrderAndFeedsReplacePlaceholders() {
    Output x = placeholder(graph, "x", -1, 2);
    Output c = constant(graph, "c", Tensor.ofFloats(Shape.of(1, 2), 10, 20));
    addV2(graph, "sum", x, c);
    Session session = new Session(graph, registry);

    List<Tensor> out = session.run(Map.of("x", Tensor.ofFloats(Shape.of(1, 2), 1, 2)), List.of("sum:0", "c", "x:0"));

    assertThat(out).containsExactly(Tensor.ofFloats(Shape.of(1, 2), 11, 22), Tensor.ofFloats(Shape.of(1, 2), 10, 20),
        Tensor.ofFloats(Shape.of(1, 2), 1, 2));
  }

  @Test
  void anUnrelatedFailingNodeIsPrunedAway() {
    registerRecorder();
    graph.opBuilder("Fail", "broken").build();
    record("wanted");
    Session session = new Session(graph, registry);

    session.runTargets("wanted");

    assertThat(ran).containsExactly("wanted");
    assertThat(session.plan(List.of(), List.of(), List.of("wanted")).nodeNames()).containsExactly("wanted");
  }

  @Test
  void controlDependenciesRunFirstAndEachNodeRunsOnce() {
    registerRecorder();
    Operation first = record("first");
    Operation second = record("second", first);
    Operation third = record("third", second, first);
    graph.opBuilder("Fail", "after").addControlInput(third).build();
    Session session = new Session(graph, registry);

    Tensor count = session.run(Map.of(), List.of("third:0"), List.of("second", "first")).get(0);

    assertThat(ran).containsExactly("first", "second", "third");
    assertThat(count).isEqualTo(Tensor.scalar(3f));
  }

  @Test
  void feedingAnIntermediateTensorSkipsItsProducer() {
    registerRecorder();
    Output failing = graph.opBuilder("Fail", "expensive").build().output(0);
    addV2(graph, "sum", failing, constant(graph, "one", floats(1)));
    Session session = new Session(graph, registry);

    Tensor sum = session.run(Map.of("expensive:0", floats(41)), List.of("sum")).get(0);

    assertThat(sum).isEqualTo(floats(42));
    assertThat(session.plan(List.of("expensive"), List.of("sum"), List.of()).nodeNames()).containsExactly("one", "sum");
  }

  @Test
  void aControlInputStillRunsWhenItsOutputIsFed() {
    registerRecorder();
    Operation side = record("side");
    graph.opBuilder("Identity", "id").addInput(side.output(0)).addControlInput(side).setAttr("T", DType.FLOAT).build();
    Session session = new Session(graph, registry);

    Tensor out = session.run(Map.of("side:0", Tensor.scalar(7f)), List.of("id:0")).get(0);

    assertThat(out).isEqualTo(Tensor.scalar(7f));
    assertThat(ran).containsExactly("side");
  }

  @Test
  void aFedPlaceholderSatisfiesTheControlEdgesOutOfIt() {
    Output x = placeholder(graph, "x", -1, 4);
    graph.opBuilder("Identity", "id").addInput(x).addControlInput(x.op()).setAttr("T", DType.FLOAT).build();
    Session session = new Session(graph, registry);

    Tensor out = session.run(Map.of("x:0", Tensor.ofFloats(Shape.of(1, 4), 1, 2, 3, 4)), List.of("id:0")).get(0);

    assertThat(out.shape()).isEqualTo(Shape.of(1, 4));
    assertThat(session.plan(List.of("x:0"), List.of("id:0"), List.of()).nodeNames()).containsExactly("id");
  }

  @Test
  void aPlaceholderThatIsNotFedFailsInTensorFlowsWords() {
    placeholder(graph, "x", -1, 4);
    Session session = new Session(graph, registry);

    assertThatThrownBy(() -> session.fetch("x:0"))
        .isInstanceOf(KernelException.class)
        .hasMessage("Node 'x' (op Placeholder): You must feed a value for placeholder tensor 'x' with dtype float and shape [?,4]");
  }

  @Test
  void aPlaceholderWithDefaultUsesItsDefaultUnlessFed() {
    Output dflt = constant(graph, "dflt", floats(1, 2));
    graph.opBuilder("PlaceholderWithDefault", "p").addInput(dflt).setAttr("dtype", DType.FLOAT).setAttr("shape", Shape.of(2)).build();
    Session session = new Session(graph, registry);

    assertThat(session.fetch("p")).isEqualTo(floats(1, 2));
    assertThat(session.run(Map.of("p", floats(5, 6)), List.of("p")).get(0)).isEqualTo(floats(5, 6));
  }

  @Test
  void identityNStopGradientAndNoOpPassValuesThrough() {
    Output a = constant(graph, "a", floats(1));
    Output b = constant(graph, "b", Tensor.ofInts(Shape.scalar(), 2));
    graph.opBuilder("IdentityN", "n").addInput(a).addInput(b)
        .setAttr("T", io.sparkpoint.proto.AttrValue.newBuilder().setList(io.sparkpoint.proto.AttrValue.ListValue.newBuilder()
            .addTypeValue(DType.FLOAT.number()).addTypeValue(DType.INT32.number())).build()).build();
    graph.opBuilder("StopGradient", "stop").addInput(a).setAttr("T", DType.FLOAT).build();
    graph.opBuilder("NoOp", "nothing").build();
    Session session = new Session(graph, registry);

    assertThat(session.run(Map.of(), List.of("n:1", "n:0", "stop"), List.of("nothing")))
        .containsExactly(Tensor.ofInts(Shape.scalar(), 2), floats(1), floats(1));
  }

  @Test
  void anOpWithoutAKernelFailsWhenPlannedNotWhenImported() {
    Output a = constant(graph, "a", floats(1));
    graph.opBuilder("Erf", "erf").addInput(a).setAttr("T", DType.FLOAT).build();
    Session session = new Session(graph, registry);

    assertThat(session.fetch("a")).isEqualTo(floats(1));
    assertThatThrownBy(() -> session.fetch("erf:0"))
        .isInstanceOf(UnsupportedOpException.class)
        .hasMessage("Op Erf is not supported by Sparkpoint (node erf)");
  }

  @Test
  void aKernelFailureNamesTheNodeTheOpAndTheInputShapes() {
    registry.register("MatMul", node -> context -> {
      throw new KernelException("Matrix size-incompatible: In[0]: [2,3], In[1]: [4,5]");
    });
    Output a = constant(graph, "a", Tensor.ofFloats(Shape.of(2, 3), new float[6]));
    Output b = constant(graph, "b", Tensor.ofFloats(Shape.of(4, 5), new float[20]));
    graph.opBuilder("MatMul", "x").addInput(a).addInput(b).setAttr("T", DType.FLOAT).build();
    Session session = new Session(graph, registry);

    assertThatThrownBy(() -> session.fetch("x"))
        .isInstanceOf(KernelException.class)
        .hasMessage("Node 'x' (op MatMul, inputs [2,3] [4,5]): Matrix size-incompatible: In[0]: [2,3], In[1]: [4,5]")
        .hasCauseInstanceOf(KernelException.class);
  }

  @Test
  void unknownNamesUseTheGraphsWording() {
    constant(graph, "a", floats(1));
    Session session = new Session(graph, registry);

    assertThatThrownBy(() -> session.fetch("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The name 'nope:0' refers to a Tensor which does not exist. The operation, 'nope', does not exist in the graph.");
    assertThatThrownBy(() -> session.fetch("a:1"))
        .hasMessage("The name 'a:1' refers to a Tensor which does not exist. The operation, 'a', exists but only has 1 outputs.");
    assertThatThrownBy(() -> session.runTargets("gone"))
        .hasMessage("The name 'gone' refers to an Operation not in the graph.");
  }

  @Test
  void aFeedOfTheWrongDtypeOrShapeIsRefused() {
    placeholder(graph, "x", -1, 2);
    Session session = new Session(graph, registry);

    assertThatThrownBy(() -> session.run(Map.of("x", Tensor.ofInts(Shape.of(1, 2), 1, 2)), List.of("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot feed value of dtype int32 for Tensor 'x:0', which has dtype float32");
    assertThatThrownBy(() -> session.run(Map.of("x", floats(1, 2)), List.of("x")))
        .hasMessage("Cannot feed value of shape [2] for Tensor 'x:0', which has shape [?,2]");
  }

  @Test
  void aScalarPlaceholderShapeMeansUnknownInGraphsBeforeVersion22AsInTensorFlow() {
    placeholder(graph, "x");
    graph.setVersions(io.sparkpoint.proto.VersionDef.newBuilder().setProducer(21).build());
    assertThat(new Session(graph, registry).run(Map.of("x", floats(1, 2)), List.of("x"))).containsExactly(floats(1, 2));

    graph.setVersions(io.sparkpoint.proto.VersionDef.newBuilder().setProducer(22).build());
    assertThatThrownBy(() -> new Session(graph, registry).run(Map.of("x", floats(1, 2)), List.of("x")))
        .hasMessage("Cannot feed value of shape [2] for Tensor 'x:0', which has shape []");
  }

  @Test
  void eachKernelIsCreatedOncePerKindOfRun() {
    AtomicInteger created = new AtomicInteger();
    registry.register("Count", node -> {
      created.incrementAndGet();
      return context -> List.of(Tensor.scalar(1f));
    });
    graph.opBuilder("Count", "c").build();
    Session session = new Session(graph, registry);

    for (int i = 0; i < 3; i++) {
      session.fetch("c");
      session.run(Map.of(), List.of("c:0"));
    }

    assertThat(created).hasValue(1);
    session.run(Map.of(), List.of("c"), List.of("c"));
    assertThat(created).hasValue(2);
  }
}
