package io.sparkpoint.kernels.training;

import static io.sparkpoint.kernels.KernelRunner.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each optimizer's update, in both variable styles and both float dtypes: one step from known
 * values, the variable and every slot checked against the optimizer's formula (evaluated here in
 * float64; TensorFlow's own results are compared bit for bit in the conformance suite).
 */
class ApplyOpsTest {
  static Stream<Arguments> styles() {
    return Stream.of(VariableStyle.values())
        .flatMap(style -> Stream.of(DType.FLOAT, DType.DOUBLE).map(dtype -> Arguments.of(style, dtype)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("styles")
  void gradientDescentSubtractsTheScaledGradient(VariableStyle style, DType dtype) {
    TrainingGraphs g = new TrainingGraphs(style, dtype);
    Output w = g.variable("w", g.values(1, 2, 3));
    g.update("GradientDescent", "sgd", w, g.scalar("alpha", 0.5), g.constant("delta", g.values(2, 4, -2))).build();
    Session session = g.initialized();

    session.runTargets("sgd");

    assertClose(session.variables().read("w"), g.values(0, 0, 4));
  }

  @Test
  void largeVariablesAreSplitAcrossThreadsWithTheBitsOfOneLoop() {
    int n = ApplyKernel.PARALLEL_MIN * 2 + 3;
    float[] w = new float[n];
    float[] grad = new float[n];
    float[] expected = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = i * 0.001f;
      grad[i] = (i % 17) - 8.5f;
      expected[i] = w[i] - grad[i] * 0.1f;
    }
    TrainingGraphs g = new TrainingGraphs(VariableStyle.RESOURCE, DType.FLOAT);
    g.update("GradientDescent", "sgd", g.variable("w", Tensor.ofFloats(Shape.of(n), w)), g.scalar("alpha", 0.1),
        g.constant("delta", Tensor.ofFloats(Shape.of(n), grad))).build();
    Session session = g.initialized();

    session.runTargets("sgd");

    assertThat(session.variables().read("w")).isEqualTo(Tensor.ofFloats(Shape.of(n), expected));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("styles")
  void momentumAccumulatesTheGradientAndStepsAlongTheAccumulator(VariableStyle style, DType dtype) {
    TrainingGraphs g = new TrainingGraphs(style, dtype);
    g.update("Momentum", "step", g.variable("w", g.values(1, 2)), g.variable("w/Momentum", g.values(0.5, -1)),
        g.scalar("lr", 0.1), g.constant("grad", g.values(1, 2)), g.scalar("momentum", 0.9)).build();
    Session session = g.initialized();

    session.runTargets("step");

    assertClose(session.variables().read("w/Momentum"), g.values(0.5 * 0.9 + 1, -1 * 0.9 + 2));
    assertClose(session.variables().read("w"), g.values(1 - 0.1 * 1.45, 2 - 0.1 * 1.1));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("styles")
  void nesterovMomentumStepsAlongTheGradientAndTheDampedAccumulator(VariableStyle style, DType dtype) {
    TrainingGraphs g = new TrainingGraphs(style, dtype);
    g.update("Momentum", "step", g.variable("w", g.values(1, 2)), g.variable("w/Momentum", g.values(0.5, -1)),
        g.scalar("lr", 0.1), g.constant("grad", g.values(1, 2)), g.scalar("momentum", 0.9))
        .setAttr("use_nesterov", true).build();
    Session session = g.initialized();

    session.runTargets("step");

    assertClose(session.variables().read("w/Momentum"), g.values(1.45, 1.1));
    assertClose(session.variables().read("w"), g.values(1 - (0.1 + 1.45 * 0.9 * 0.1), 2 - (0.2 + 1.1 * 0.9 * 0.1)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("styles")
  void adamMovesByTheBiasCorrectedRatioOfTheMoments(VariableStyle style, DType dtype) {
    for (boolean nesterov : new boolean[] {false, true}) {
      TrainingGraphs g = new TrainingGraphs(style, dtype);
      double[] w = {1, -2, 3};
      double[] m = {0.125, 0.25, -0.375};
      double[] v = {0.015625, 0.0625, 0.03125};
      double[] grad = {0.5, -4, 2};
      // exact in float32 too, so that the float64 formula below is the float32 one's exact reference
      double b1p = 0.765625;
      double b2p = 0.998046875;
      double lr = 0.0078125;
      double b1 = 0.875;
      double b2 = 0.9990234375;
      double eps = 0x1p-23;
      g.update("Adam", "step", g.variable("w", g.values(w)), g.variable("w/Adam", g.values(m)), g.variable("w/Adam_1", g.values(v)),
          g.scalar("beta1_power", b1p), g.scalar("beta2_power", b2p), g.scalar("lr", lr), g.scalar("beta1", b1),
          g.scalar("beta2", b2), g.scalar("epsilon", eps), g.constant("grad", g.values(grad)))
          .setAttr("use_nesterov", nesterov).build();
      Session session = g.initialized();

      session.runTargets("step");

      double alpha = lr * Math.sqrt(1 - b2p) / (1 - b1p);
      double[] newM = new double[3];
      double[] newV = new double[3];
      double[] newW = new double[3];
      for (int i = 0; i < 3; i++) {
        newM[i] = m[i] + (grad[i] - m[i]) * (1 - b1);
        newV[i] = v[i] + (grad[i] * grad[i] - v[i]) * (1 - b2);
        double direction = nesterov ? grad[i] * (1 - b1) + b1 * newM[i] : newM[i];
        newW[i] = w[i] - direction * alpha / (Math.sqrt(newV[i]) + eps);
      }
      assertClose(session.variables().read("w/Adam"), g.values(newM));
      assertClose(session.variables().read("w/Adam_1"), g.values(newV));
      assertClose(session.variables().read("w"), g.values(newW));
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("styles")
  void adagradAccumulatesSquaresAndScalesByTheirInverseRoot(VariableStyle style, DType dtype) {
    TrainingGraphs g = new TrainingGraphs(style, dtype);
    g.update("Adagrad", "step", g.variable("w", g.values(1, 2)), g.variable("w/Adagrad", g.values(0.1, 0.1)),
        g.scalar("lr", 0.5), g.constant("grad", g.values(0.3, -0.4))).build();
    Session session = g.initialized();

    session.runTargets("step");

    assertClose(session.variables().read("w/Adagrad"), g.values(0.19, 0.26));
    assertClose(session.variables().read("w"), g.values(1 - 0.5 * 0.3 / Math.sqrt(0.19), 2 + 0.5 * 0.4 / Math.sqrt(0.26)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("styles")
  void adagradWithoutSlotUpdatesKeepsItsAccumulator(VariableStyle style, DType dtype) {
    TrainingGraphs g = new TrainingGraphs(style, dtype);
    g.update("Adagrad", "step", g.variable("w", g.values(1, 2)), g.variable("w/Adagrad", g.values(4, 9)),
        g.scalar("lr", 1), g.constant("grad", g.values(2, 3))).setAttr("update_slots", false).build();
    Session session = g.initialized();

    session.runTargets("step");

    assertClose(session.variables().read("w/Adagrad"), g.values(4, 9));
    assertClose(session.variables().read("w"), g.values(0, 1));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("styles")
  void adagradV2AddsEpsilonToTheRoot(VariableStyle style, DType dtype) {
    TrainingGraphs g = new TrainingGraphs(style, dtype);
    g.update("AdagradV2", "step", g.variable("w", g.values(1, 2)), g.variable("w/Adagrad", g.values(0.1, 0)),
        g.scalar("lr", 0.5), g.scalar("epsilon", 0.25), g.constant("grad", g.values(0.3, 0))).build();
    Session session = g.initialized();

    session.runTargets("step");

    assertClose(session.variables().read("w/Adagrad"), g.values(0.19, 0));
    assertClose(session.variables().read("w"), g.values(1 - 0.5 * 0.3 / (Math.sqrt(0.19) + 0.25), 2));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("styles")
  void rmsPropDividesByTheRootMeanSquareWithMomentum(VariableStyle style, DType dtype) {
    TrainingGraphs g = new TrainingGraphs(style, dtype);
    g.update("RMSProp", "step", g.variable("w", g.values(1, 2)), g.variable("w/RMSProp", g.values(1, 1)),
        g.variable("w/RMSProp_1", g.values(0, 0.5)), g.scalar("lr", 0.01), g.scalar("rho", 0.9), g.scalar("momentum", 0.5),
        g.scalar("epsilon", 1e-6), g.constant("grad", g.values(0.5, -1))).build();
    Session session = g.initialized();

    session.runTargets("step");

    double[] ms = {1 + (0.25 - 1) * 0.1, 1 + (1 - 1) * 0.1};
    double[] mom = {0.01 * 0.5 / Math.sqrt(ms[0] + 1e-6), 0.5 * 0.5 - 0.01 / Math.sqrt(ms[1] + 1e-6)};
    assertClose(session.variables().read("w/RMSProp"), g.values(ms));
    assertClose(session.variables().read("w/RMSProp_1"), g.values(mom));
    assertClose(session.variables().read("w"), g.values(1 - mom[0], 2 - mom[1]));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("styles")
  void centeredRmsPropSubtractsTheSquaredMeanGradient(VariableStyle style, DType dtype) {
    TrainingGraphs g = new TrainingGraphs(style, dtype);
    g.update("CenteredRMSProp", "step", g.variable("w", g.values(1, 2)), g.variable("mg", g.values(0.1, -0.1)),
        g.variable("ms", g.values(1, 1)), g.variable("mom", g.values(0, 0.5)), g.scalar("lr", 0.01), g.scalar("rho", 0.9),
        g.scalar("momentum", 0.5), g.scalar("epsilon", 1e-6), g.constant("grad", g.values(0.5, -1))).build();
    Session session = g.initialized();

    session.runTargets("step");

    double[] ms = {1 + (0.25 - 1) * 0.1, 1};
    double[] mg = {0.1 + (0.5 - 0.1) * 0.1, -0.1 + (-1 + 0.1) * 0.1};
    double[] mom = {0.005 / Math.sqrt(ms[0] - mg[0] * mg[0] + 1e-6), 0.25 - 0.01 / Math.sqrt(ms[1] - mg[1] * mg[1] + 1e-6)};
    assertClose(session.variables().read("mg"), g.values(mg));
    assertClose(session.variables().read("ms"), g.values(ms));
    assertClose(session.variables().read("mom"), g.values(mom));
    assertClose(session.variables().read("w"), g.values(1 - mom[0], 2 - mom[1]));
  }
}
