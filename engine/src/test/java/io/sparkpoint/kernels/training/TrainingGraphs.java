package io.sparkpoint.kernels.training;

import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small training graphs in one variable style and one float dtype: variables with their
 * initializers, constants, and update ops named for the style (ApplyAdam or ResourceApplyAdam).
 */
final class TrainingGraphs {
  final Graph graph = new Graph();
  final VariableStyle style;
  final DType dtype;
  private final List<String> initializers = new ArrayList<>();

  TrainingGraphs(VariableStyle style, DType dtype) {
    this.style = style;
    this.dtype = dtype;
  }

  /** A vector of the graphs' dtype. */
  Tensor values(double... values) {
    return tensor(dtype, Shape.of(values.length), values);
  }

  static Tensor tensor(DType dtype, Shape shape, double... values) {
    if (dtype == DType.DOUBLE) {
      return Tensor.ofDoubles(shape, values);
    }
    float[] floats = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      floats[i] = (float) values[i];
    }
    return Tensor.ofFloats(shape, floats);
  }

  Output constant(String name, Tensor value) {
    return graph.opBuilder("Const", name).setAttr("value", value).setAttr("dtype", value.dtype()).build().output(0);
  }

  /** A scalar Const of the graphs' dtype. */
  Output scalar(String name, double value) {
    return constant(name, tensor(dtype, Shape.scalar(), value));
  }

  /** A variable holding {@code initial} once initialized: the ref output of a VariableV2, or a VarHandleOp's handle. */
  Output variable(String name, Tensor initial) {
    Output init = constant(name + "/initial_value", initial);
    Operation variable = style == VariableStyle.REF
        ? graph.opBuilder("VariableV2", name).setAttr("dtype", initial.dtype()).setAttr("shape", initial.shape()).build()
        : graph.opBuilder("VarHandleOp", name).setAttr("dtype", initial.dtype()).setAttr("shape", initial.shape())
            .setAttr("shared_name", name).build();
    String assign = style == VariableStyle.REF ? "Assign" : "AssignVariableOp";
    OperationBuilder initializer = graph.opBuilder(assign, name + "/Assign").addInput(variable.output(0)).addInput(init)
        .setAttr(style == VariableStyle.REF ? "T" : "dtype", initial.dtype());
    initializers.add(initializer.build().name());
    return variable.output(0);
  }

  /** {@code Apply<suffix>} or {@code ResourceApply<suffix>} on the inputs, T set to the graphs' dtype. */
  OperationBuilder update(String suffix, String name, Output... inputs) {
    OperationBuilder op = graph.opBuilder((style == VariableStyle.REF ? "Apply" : "ResourceApply") + suffix, name);
    for (Output input : inputs) {
      op.addInput(input);
    }
    return op.setAttr("T", dtype);
  }

  /** A session with every variable initialized. */
  Session initialized() {
    Session session = new Session(graph);
    session.run(Map.of(), List.of(), initializers);
    return session;
  }
}
