package io.sparkpoint.replica;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.train.GlobalStep;
import io.sparkpoint.train.GradientDescentOptimizer;
import io.sparkpoint.train.TrainableVariable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A TF1 training graph with batch normalization, built as {@code tf.layers.batch_normalization}
 * and the usual {@code UPDATE_OPS} idiom build it: {@code x} (float32 [batch, features]) is
 * normalized by its batch moments ({@code bn/moments/mean}, {@code bn/moments/variance}), scaled by
 * {@code bn/gamma} and shifted by {@code bn/beta}, then a dense layer gives the logits of
 * {@code labels} (int64 [batch]); {@code loss} is the mean cross-entropy. The moving averages
 * {@code bn/moving_mean} and {@code bn/moving_variance} move by
 * {@code AssignSub(v, (v - batch_value) * (1 - MOMENTUM))} ({@code bn/AssignMovingAvg} and
 * {@code bn/AssignMovingAvg_1}); {@link Updates} says what runs them. A GradientDescent step with
 * a global step, and a NoOp {@code train} running it.
 */
public final class BatchNormModel {
  public static final String MOVING_MEAN = "bn/moving_mean";
  public static final String MOVING_VARIANCE = "bn/moving_variance";
  public static final List<String> UPDATE_OPS = List.of("bn/AssignMovingAvg", "bn/AssignMovingAvg_1");
  public static final double MOMENTUM = 0.9;
  public static final double EPSILON = 1e-3;

  /** What makes the train op run the moving-average updates. */
  public enum Updates {
    /**
     * {@code with tf.control_dependencies(update_ops): opt.minimize(loss)}: as TensorFlow does, every
     * op minimize makes that has no data input made inside the block waits for the updates (the
     * gradients' first ops and Consts, the global step's increment).
     */
    MINIMIZE,
    /** Control inputs of the Apply ops only. */
    APPLY_OPS,
    /** Grouped into the train op: {@code tf.group(minimize, *update_ops)}. */
    TRAIN_OP
  }

  private BatchNormModel() {}

  public static MetaGraphDef build(int features, int classes, Updates updates) {
    Graph graph = new Graph();
    Output x = placeholder(graph, "x", DType.FLOAT, -1, features);
    Output labels = placeholder(graph, "labels", DType.INT64, -1);
    Output gamma = Variables.variable(graph, "bn/gamma", ones(features));
    Output beta = Variables.variable(graph, "bn/beta", Tensor.ofFloats(Shape.of(features), new float[features]));
    Output movingMean = Variables.variable(graph, MOVING_MEAN, graph.constant(MOVING_MEAN + "/initial_value",
        Tensor.ofFloats(Shape.of(features), new float[features])), false);
    Output movingVariance = Variables.variable(graph, MOVING_VARIANCE, graph.constant(MOVING_VARIANCE + "/initial_value", ones(features)), false);
    Output axis = graph.constant("bn/moments/axis", Tensor.ofInts(Shape.of(1), 0));
    Output mean = floats(graph, "Mean", "bn/moments/mean", x, axis);
    Output centered = floats(graph, "Sub", "bn/moments/centered", x, mean);
    Output variance = floats(graph, "Mean", "bn/moments/variance", unary(graph, "Square", "bn/moments/Square", centered), axis);
    Output scale = unary(graph, "Rsqrt", "bn/batchnorm/Rsqrt", floats(graph, "AddV2", "bn/batchnorm/add", variance,
        graph.constant("bn/batchnorm/epsilon", Tensor.scalar((float) EPSILON))));
    Output normalized = floats(graph, "AddV2", "bn/batchnorm/add_1", floats(graph, "Mul", "bn/batchnorm/mul_1",
        floats(graph, "Mul", "bn/batchnorm/mul", centered, scale), gamma), beta);
    Output decay = graph.constant("bn/decay", Tensor.scalar((float) (1 - MOMENTUM)));
    movingAverage(graph, UPDATE_OPS.get(0), movingMean, mean, decay);
    movingAverage(graph, UPDATE_OPS.get(1), movingVariance, variance, decay);
    Random random = new Random(17);
    float[] kernel = new float[features * classes];
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = (float) (random.nextGaussian() * 0.5);
    }
    Output w = Variables.variable(graph, "dense/kernel", Tensor.ofFloats(Shape.of(features, classes), kernel));
    Output b = Variables.variable(graph, "dense/bias", Tensor.ofFloats(Shape.of(classes), new float[classes]));
    Output logits = graph.opBuilder("BiasAdd", "dense/BiasAdd").addInput(floats(graph, "MatMul", "dense/MatMul", normalized, w)).addInput(b)
        .setAttr("T", DType.FLOAT).build().output(0);
    Output xent = graph.opBuilder("SparseSoftmaxCrossEntropyWithLogits", "xent").addInput(logits).addInput(labels).setAttr("T", DType.FLOAT)
        .setAttr("Tlabels", DType.INT64).build().output(0);
    Output loss = floats(graph, "Mean", "loss", xent, graph.constant("loss/axis", Tensor.ofInts(Shape.scalar(), 0)));
    Output step = GlobalStep.getOrCreate(graph);
    Set<String> before = new HashSet<>();
    graph.operations().forEach(op -> before.add(op.name()));
    Operation minimize = new GradientDescentOptimizer(0.5).minimize(graph, loss, TrainableVariable.all(graph), step);
    graph.opBuilder("NoOp", "train").addControlInput(minimize).build();
    Variables.globalVariablesInitializer(graph);
    MetaGraphDef meta;
    try {
      meta = MetaGraphs.exportMetaGraph(null, graph, MetaGraphs.ExportOptions.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GraphDef.Builder def = meta.getGraphDef().toBuilder();
    for (NodeDef.Builder node : def.getNodeBuilderList()) {
      if (waitsForUpdates(node, updates, before)) {
        UPDATE_OPS.forEach(u -> node.addInput("^" + u));
      }
    }
    return meta.toBuilder().setGraphDef(def).build();
  }

  private static boolean waitsForUpdates(NodeDef.Builder node, Updates updates, Set<String> before) {
    return switch (updates) {
      case MINIMIZE -> !before.contains(node.getName()) && !node.getName().equals("train") && !node.getName().equals("init")
          && node.getInputList().stream().filter(in -> !in.startsWith("^")).allMatch(in -> before.contains(TrainOpSplit.opName(in)));
      case APPLY_OPS -> node.getOp().startsWith("Apply");
      case TRAIN_OP -> node.getName().equals("train");
    };
  }

  /** {@code assign_moving_average(variable, value, decay)}: {@code AssignSub(variable, (variable - value) * (1 - momentum))}. */
  private static void movingAverage(Graph graph, String name, Output variable, Output value, Output decay) {
    Output delta = floats(graph, "Mul", name + "/mul", floats(graph, "Sub", name + "/sub", variable, value), decay);
    graph.opBuilder("AssignSub", name).addInput(variable.op().inputs().get(0)).addInput(delta).setAttr("T", DType.FLOAT).build();
  }

  private static Tensor ones(int n) {
    float[] values = new float[n];
    Arrays.fill(values, 1);
    return Tensor.ofFloats(Shape.of(n), values);
  }

  private static Output placeholder(Graph graph, String name, DType dtype, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long dim : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
    }
    return graph.opBuilder("Placeholder", name).setAttr("dtype", dtype).setAttr("shape", AttrValue.newBuilder().setShape(shape).build()).build()
        .output(0);
  }

  private static Output floats(Graph graph, String op, String name, Output a, Output b) {
    return graph.opBuilder(op, name).addInput(a).addInput(b).setAttr("T", DType.FLOAT).build().output(0);
  }

  private static Output unary(Graph graph, String op, String name, Output a) {
    return graph.opBuilder(op, name).addInput(a).setAttr("T", DType.FLOAT).build().output(0);
  }
}
