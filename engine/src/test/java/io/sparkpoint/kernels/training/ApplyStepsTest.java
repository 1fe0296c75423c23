package io.sparkpoint.kernels.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.exec.Session;
import io.sparkpoint.exec.VariableStore;
import io.sparkpoint.graph.Output;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An Apply op inside a session, step after step: the ref output, the values fetched along the way
 * (never changed by a later step, even when a step writes its new variable into the gradient's
 * memory), and identical bits from identical runs.
 */
class ApplyStepsTest {
  /** w [2,3] = 1..6; grad = MatMul([2,1] [[1],[2]], [1,3] [[0.5, 1, 2]]), made fresh by MatMul, read by the step alone. */
  private static TrainingGraphs gradientDescentOnAMatMulGradient(VariableStyle style) {
    TrainingGraphs g = new TrainingGraphs(style, DType.FLOAT);
    Output w = g.variable("w", Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6));
    Output grad = g.graph.opBuilder("MatMul", "grad").addInput(g.constant("a", Tensor.ofFloats(Shape.of(2, 1), 1, 2)))
        .addInput(g.constant("b", Tensor.ofFloats(Shape.of(1, 3), 0.5f, 1, 2))).setAttr("T", DType.FLOAT).build().output(0);
    g.update("GradientDescent", "sgd", w, g.scalar("alpha", 0.5), grad).build();
    return g;
  }

  @ParameterizedTest
  @EnumSource(VariableStyle.class)
  void valuesFetchedBeforeAStepNeverChange(VariableStyle style) {
    Session session = gradientDescentOnAMatMulGradient(style).initialized();
    Tensor[] seen = new Tensor[4];
    byte[][] bytes = new byte[4][];
    for (int step = 0; step < 4; step++) {
      seen[step] = session.variables().read("w");
      bytes[step] = seen[step].bytes();
      session.runTargets("sgd");
    }

    for (int step = 0; step < 4; step++) {
      assertThat(seen[step].bytes()).as("value before step %d", step).isEqualTo(bytes[step]);
    }
    assertThat(session.variables().read("w"))
        .isEqualTo(Tensor.ofFloats(Shape.of(2, 3), 1 - 4 * 0.25f, 2 - 4 * 0.5f, 3 - 4 * 1f, 4 - 4 * 0.5f, 5 - 4 * 1f, 6 - 4 * 2f));
  }

  @ParameterizedTest
  @EnumSource(VariableStyle.class)
  void slotValuesFetchedBeforeAStepNeverChangeThoughSlotsRecycleTheirMemory(VariableStyle style) {
    TrainingGraphs g = new TrainingGraphs(style, DType.FLOAT);
    g.update("Momentum", "step", g.variable("w", g.values(1, 2)), g.variable("accum", g.values(0, 0)), g.scalar("lr", 0.5),
        g.constant("grad", g.values(1, -1)), g.scalar("momentum", 1)).build();
    Session session = g.initialized();
    Tensor[] seen = new Tensor[6];
    for (int step = 0; step < 6; step++) {
      session.runTargets("step");
      if (step % 2 == 0) {
        seen[step] = session.variables().read("accum"); // read every other step: recycled only in between
      }
    }

    for (int step = 0; step < 6; step += 2) {
      assertThat(seen[step]).as("accum after step %d", step + 1).isEqualTo(g.values(step + 1, -(step + 1)));
    }
    assertThat(session.variables().read("accum")).isEqualTo(g.values(6, -6));
    assertThat(session.variables().read("w")).isEqualTo(g.values(1 - 0.5 * 21, 2 + 0.5 * 21));
  }

  @ParameterizedTest
  @EnumSource(VariableStyle.class)
  void slotsNoOneReadsAreUpdatedInPlaceAsInTensorFlow(VariableStyle style) {
    TrainingGraphs g = new TrainingGraphs(style, DType.DOUBLE);
    g.update("Momentum", "step", g.variable("w", g.values(1, 2)), g.variable("accum", g.values(0, 0)), g.scalar("lr", 0.5),
        g.constant("grad", g.values(1, -1)), g.scalar("momentum", 1)).build();
    Session session = g.initialized();
    VariableStore store = session.variables();
    session.runTargets("step"); // the initial value came from outside: new memory

    Tensor[] unseen = new Tensor[3]; // looked at as an update does, which does not count as a read
    for (int step = 0; step < 3; step++) {
      session.runTargets("step");
      unseen[step] = store.readForUpdate("accum");
      store.release("accum");
    }

    assertThat(unseen[1]).isSameAs(unseen[0]);
    assertThat(unseen[2]).isSameAs(unseen[0]).isEqualTo(g.values(4, -4));
  }

  @ParameterizedTest
  @EnumSource(VariableStyle.class)
  void aGradientFetchedWithTheStepKeepsItsValue(VariableStyle style) {
    Session session = gradientDescentOnAMatMulGradient(style).initialized();

    Tensor grad = session.run(Map.of(), List.of("grad"), List.of("sgd")).get(0);

    assertThat(grad).isEqualTo(Tensor.ofFloats(Shape.of(2, 3), 0.5f, 1, 2, 1, 2, 4));
    assertThat(session.variables().read("w")).isEqualTo(Tensor.ofFloats(Shape.of(2, 3), 0.75f, 1.5f, 2, 3.5f, 4, 4));
  }

  @ParameterizedTest
  @EnumSource(VariableStyle.class)
  void theNewVariableGoesIntoTheGradientsMemoryOnlyWhenNothingElseReadsTheGradient(VariableStyle style) {
    Session alone = gradientDescentOnAMatMulGradient(style).initialized();
    Session fetched = gradientDescentOnAMatMulGradient(style).initialized();

    alone.runTargets("sgd");
    fetched.run(Map.of(), List.of("grad"), List.of("sgd"));

    assertThat(NdArrays.overwritableData(alone.variables().read("w"))).as("the MatMul's own memory").isNotNull();
    assertThat(NdArrays.overwritableData(fetched.variables().read("w"))).as("new memory").isNull();
    assertThat(alone.variables().read("w")).isEqualTo(fetched.variables().read("w"));
  }

  @Test
  void aRefStyleStepOutputsItsVariable() {
    TrainingGraphs g = gradientDescentOnAMatMulGradient(VariableStyle.REF);
    g.graph.opBuilder("Identity", "after").addInput(g.graph.operation("sgd").output(0)).setAttr("T", DType.FLOAT).build();
    Session session = g.initialized();

    Tensor updated = session.fetch("sgd:0");

    assertThat(updated).isEqualTo(session.variables().read("w"));
    assertThat(session.fetch("after")).isEqualTo(Tensor.ofFloats(Shape.of(2, 3), 0.5f, 1, 1, 3, 3, 2));
  }

  @ParameterizedTest
  @EnumSource(VariableStyle.class)
  void twentyAdamStepsGiveTheSameBitsInEverySession(VariableStyle style) {
    Tensor[] finals = new Tensor[2];
    for (int run = 0; run < 2; run++) {
      TrainingGraphs g = new TrainingGraphs(style, DType.FLOAT);
      g.update("Adam", "step", g.variable("w", g.values(1, -2, 3)), g.variable("m", g.values(0, 0, 0)), g.variable("v", g.values(0, 0, 0)),
          g.scalar("b1p", 0.9), g.scalar("b2p", 0.999), g.scalar("lr", 0.01), g.scalar("b1", 0.9), g.scalar("b2", 0.999),
          g.scalar("eps", 1e-8), g.constant("grad", g.values(0.3, -0.1, 2))).build();
      Session session = g.initialized();
      for (int step = 0; step < 20; step++) {
        session.runTargets("step");
      }
      finals[run] = session.variables().read("w");
    }
    assertThat(finals[1].bytes()).isEqualTo(finals[0].bytes());
    assertThat(finals[0].doubleAt(0)).isLessThan(1 - 0.19);
  }
}
