package io.sparkpoint.model;

import io.sparkpoint.exec.Session;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Output;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.saver.SaveOptions;
import io.sparkpoint.saver.Saver;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.train.AdamOptimizer;
import io.sparkpoint.train.GlobalStep;
import io.sparkpoint.train.GradientDescentOptimizer;
import io.sparkpoint.train.MomentumOptimizer;
import io.sparkpoint.train.Optimizer;
import io.sparkpoint.train.TrainableVariable;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates ready-to-train models for users without Python: a graph with the placeholders
 * {@code x} (float32 [batch, input shape]) and {@code labels} (int64 class ids [batch]), the
 * outputs {@code logits}, {@code probabilities} and {@code predictions}, the scalar {@code loss}
 * (mean sparse softmax cross-entropy), a {@code global_step}, the optimizer's update ops and a NoOp
 * {@code train} that runs one step; then its initial checkpoint ({@code DIR/model.ckpt-0}), meta
 * graph and state file, written by a Saver.
 */
public final class ModelGenerator {
  /** The names a generated model gives its tensors and ops. */
  public static final String INPUT = "x:0";
  public static final String LABELS = "labels:0";
  public static final String LOSS = "loss:0";
  public static final String PROBABILITIES = "probabilities:0";
  public static final String PREDICTIONS = "predictions:0";
  public static final String TRAIN = "train";
  public static final String INIT = "init";

  /** What was generated: the graph and the checkpoint prefix. */
  public record Generated(Graph graph, String checkpoint, List<String> variables) {}

  private ModelGenerator() {}

  /** Builds the training graph of {@code spec} (no files). */
  public static Graph build(ModelSpec spec) {
    Graph graph = new Graph();
    List<Long> dims = new ArrayList<>();
    dims.add(-1L);
    dims.addAll(spec.inputShape());
    Output x = graph.opBuilder("Placeholder", "x").setAttr("dtype", DType.FLOAT).setAttr("shape", partialShape(dims)).build().output(0);
    Output labels = graph.opBuilder("Placeholder", "labels").setAttr("dtype", DType.INT64).setAttr("shape", partialShape(List.of(-1L)))
        .build().output(0);
    Layers layers = new Layers(graph, spec.seed());
    Output logits = switch (spec.kind()) {
      case MLP -> denseStack(layers, graph, x, spec);
      case LOGREG -> layers.dense(layers.flatten(x, spec.features()), spec.features(), spec.classes(), false);
      case CNN -> convStack(layers, x, spec);
    };
    logits = unary(graph, "Identity", "logits", logits);
    unary(graph, "Softmax", "probabilities", logits);
    graph.opBuilder("ArgMax", "predictions").addInput(logits).addInput(graph.constant("predictions/dimension", Tensor.ofInts(Shape.scalar(), 1)))
        .setAttr("T", DType.FLOAT).setAttr("output_type", DType.INT64).build();
    var xent = graph.opBuilder("SparseSoftmaxCrossEntropyWithLogits", "xent").addInput(logits).addInput(labels)
        .setAttr("T", DType.FLOAT).setAttr("Tlabels", DType.INT64).build();
    Output loss = graph.opBuilder("Mean", "loss").addInput(xent.output(0)).addInput(graph.constant("loss/axis", Tensor.ofInts(Shape.scalar(), 0)))
        .setAttr("T", DType.FLOAT).build().output(0);
    Output step = GlobalStep.getOrCreate(graph);
    var update = optimizer(spec).minimize(graph, loss, TrainableVariable.all(graph), step);
    graph.opBuilder("NoOp", TRAIN).addControlInput(update).build();
    graph.addToCollection("train_op", graph.getOperationByName(TRAIN));
    Variables.globalVariablesInitializer(graph);
    return graph;
  }

  /**
   * Builds the model, initializes it and writes its initial checkpoint, meta graph and state file
   * under {@code dir}.
   */
  public static Generated write(ModelSpec spec, FileIO io, String dir) {
    Graph graph = build(spec);
    Saver saver = Saver.builder(graph).build();
    Session session = new Session(graph).withService(FileIO.class, io);
    session.run(java.util.Map.of(), List.of(), List.of(INIT));
    String prefix = saver.save(session, dir + "/model.ckpt", SaveOptions.defaults().withGlobalStep(0));
    return new Generated(graph, prefix, Variables.globalVariableNames(graph));
  }

  private static Optimizer optimizer(ModelSpec spec) {
    return switch (spec.optimizer()) {
      case SGD -> new GradientDescentOptimizer(spec.learningRate());
      case MOMENTUM -> new MomentumOptimizer(spec.learningRate(), 0.9);
      case ADAM -> new AdamOptimizer(spec.learningRate());
    };
  }

  private static Output denseStack(Layers layers, Graph graph, Output x, ModelSpec spec) {
    Output h = spec.inputShape().size() == 1 ? x : layers.flatten(x, spec.features());
    long width = spec.features();
    for (long size : spec.hidden()) {
      h = layers.dense(h, width, size, true);
      width = size;
    }
    return layers.dense(h, width, spec.classes(), false);
  }

  private static Output convStack(Layers layers, Output x, ModelSpec spec) {
    long height = spec.inputShape().get(0);
    long width = spec.inputShape().get(1);
    long channels = spec.inputShape().get(2);
    Output h = x;
    for (long filters : spec.hidden()) {
      h = layers.maxPool(layers.conv2d(h, channels, filters, 5));
      channels = filters;
      height /= 2;
      width /= 2;
      if (height == 0 || width == 0) {
        throw new IllegalArgumentException("Too many conv layers " + spec.hidden() + " for input " + spec.inputShape()
            + ": each halves the height and width");
      }
    }
    long features = height * width * channels;
    return layers.dense(layers.flatten(h, features), features, spec.classes(), false);
  }

  /** A shape attr where -1 is an unknown dimension (the batch). */
  private static AttrValue partialShape(List<Long> dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    dims.forEach(d -> shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d)));
    return AttrValue.newBuilder().setShape(shape).build();
  }

  private static Output unary(Graph graph, String type, String name, Output x) {
    return graph.opBuilder(type, name).addInput(x).setAttr("T", DType.FLOAT).build().output(0);
  }

}
