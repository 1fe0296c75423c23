package io.sparkpoint.model;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Output;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;

/**
 * The layers the generated models are made of, named as {@code tf.layers} names them
 * ({@code dense/kernel}, {@code dense_1/BiasAdd}, {@code conv2d/Conv2D}, {@code max_pooling2d/MaxPool}),
 * with Glorot-uniform kernels drawn in the graph by seeded RandomUniform ops and zero biases.
 */
final class Layers {
  private final Graph graph;
  private final long seed;
  private int nextOpSeed = 1;

  Layers(Graph graph, long seed) {
    this.graph = graph;
    this.seed = seed;
  }

  /** {@code tf.layers.dense}: x [batch, in] → [batch, out], with Relu when {@code relu}. */
  Output dense(Output x, long in, long out, boolean relu) {
    try (Graph.NameScope scope = graph.nameScope("dense")) {
      Output kernel = variable(scope.name() + "/kernel", Shape.of(in, out), glorotLimit(in, out));
      Output bias = variable(scope.name() + "/bias", Shape.of(out), 0);
      Output y = biasAdd(op("MatMul", "MatMul", x, kernel), bias);
      return relu ? op("Relu", "Relu", y) : y;
    }
  }

  /** {@code tf.layers.conv2d} with SAME padding, stride 1 and Relu: NHWC x → [.., .., .., filters]. */
  Output conv2d(Output x, long inChannels, long filters, int kernelSize) {
    try (Graph.NameScope scope = graph.nameScope("conv2d")) {
      long fanIn = kernelSize * kernelSize * inChannels;
      long fanOut = kernelSize * kernelSize * filters;
      Output kernel = variable(scope.name() + "/kernel", Shape.of(kernelSize, kernelSize, inChannels, filters), glorotLimit(fanIn, fanOut));
      Output bias = variable(scope.name() + "/bias", Shape.of(filters), 0);
      Output conv = graph.opBuilder("Conv2D", "Conv2D").addInput(x).addInput(kernel).setAttr("T", DType.FLOAT)
          .setAttr("strides", ints(1, 1, 1, 1)).setAttr("padding", "SAME").build().output(0);
      return op("Relu", "Relu", biasAdd(conv, bias));
    }
  }

  /** {@code tf.layers.max_pooling2d} 2x2, stride 2. */
  Output maxPool(Output x) {
    try (Graph.NameScope scope = graph.nameScope("max_pooling2d")) {
      return graph.opBuilder("MaxPool", "MaxPool").addInput(x).setAttr("T", DType.FLOAT).setAttr("ksize", ints(1, 2, 2, 1))
          .setAttr("strides", ints(1, 2, 2, 1)).setAttr("padding", "VALID").build().output(0);
    }
  }

  /** {@code tf.layers.flatten}: [batch, ...] → [batch, features]. */
  Output flatten(Output x, long features) {
    try (Graph.NameScope scope = graph.nameScope("flatten")) {
      Output shape = graph.constant("Reshape/shape", Tensor.ofInts(Shape.of(2), -1, Math.toIntExact(features)));
      return graph.opBuilder("Reshape", "Reshape").addInput(x).addInput(shape).setAttr("T", DType.FLOAT).setAttr("Tshape", DType.INT32)
          .build().output(0);
    }
  }

  private static double glorotLimit(long fanIn, long fanOut) {
    return Math.sqrt(6.0 / (fanIn + fanOut));
  }

  /**
   * A float32 ref variable initialized uniformly in [-limit, limit) by a seeded RandomUniform
   * ({@code name/Initializer/random_uniform}), or with zeros when limit is 0.
   */
  private Output variable(String name, Shape shape, double limit) {
    try (Graph.NameScope scope = graph.nameScope(name.substring(name.lastIndexOf('/') + 1))) {
      Output initial;
      if (limit == 0) {
        initial = graph.constant("Initializer/zeros", Tensor.ofFloats(shape, new float[Math.toIntExact(shape.numElements())]));
      } else {
        try (Graph.NameScope init = graph.nameScope("Initializer/random_uniform")) {
          Output dims = graph.constant("shape", Tensor.ofInts(Shape.of(shape.rank()), intDims(shape)));
          Output min = graph.constant("min", Tensor.scalar((float) -limit));
          Output max = graph.constant("max", Tensor.scalar((float) limit));
          Output uniform = graph.opBuilder("RandomUniform", "RandomUniform").addInput(dims).setAttr("T", DType.INT32)
              .setAttr("dtype", DType.FLOAT).setAttr("seed", seed).setAttr("seed2", nextOpSeed++).build().output(0);
          Output range = op("Sub", "sub", max, min);
          Output scaled = op("Mul", "mul", uniform, range);
          initial = graph.opBuilderNamedAfter(init, "AddV2").addInput(scaled).addInput(min).setAttr("T", DType.FLOAT).build().output(0);
        }
      }
      Variables.variableNamedAfter(graph, scope, DType.FLOAT, shape, initial, true, false);
      return graph.getTensorByName(scope.name() + "/read:0");
    }
  }

  private Output biasAdd(Output x, Output bias) {
    return op("BiasAdd", "BiasAdd", x, bias);
  }

  private Output op(String type, String name, Output... inputs) {
    var builder = graph.opBuilder(type, name);
    for (Output input : inputs) {
      builder.addInput(input);
    }
    return builder.setAttr("T", DType.FLOAT).build().output(0);
  }

  private static int[] intDims(Shape shape) {
    int[] dims = new int[shape.rank()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Math.toIntExact(shape.dim(i));
    }
    return dims;
  }

  static AttrValue ints(long... values) {
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    for (long v : values) {
      list.addI(v);
    }
    return AttrValue.newBuilder().setList(list).build();
  }
}
