package io.sparkpoint.exec;

import io.sparkpoint.exec.plumbing.PlumbingKernels;
import io.sparkpoint.exec.variables.VariableKernels;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.proto.VariableDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;

/** Small graphs built with the graph API, and a registry of the exec kernels plus test-only ones. */
final class TestGraphs {
  private TestGraphs() {}

  /** Plumbing and variable kernels, plus a float AddV2 of same-shape inputs (the real one lives in kernels.math). */
  static KernelRegistry registry() {
    KernelRegistry registry = new KernelRegistry();
    new PlumbingKernels().register(registry);
    new VariableKernels().register(registry);
    registry.register("AddV2", node -> context -> List.of(add(context.input(0), context.input(1))));
    return registry;
  }

  static Tensor add(Tensor a, Tensor b) {
    if (!a.shape().equals(b.shape())) {
      throw new KernelException("Incompatible shapes: " + a.shape() + " vs. " + b.shape());
    }
    float[] sum = new float[(int) a.numElements()];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = a.data().getFloat(i * 4) + b.data().getFloat(i * 4);
    }
    return Tensor.ofFloats(a.shape(), sum);
  }

  static Tensor floats(float... values) {
    return Tensor.ofFloats(Shape.of(values.length), values);
  }

  static Output constant(Graph graph, String name, Tensor value) {
    return graph.opBuilder("Const", name).setAttr("value", value).setAttr("dtype", value.dtype()).build().output(0);
  }

  /** A Placeholder of floats; -1 dims are unknown. */
  static Output placeholder(Graph graph, String name, long... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long dim : dims) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
    }
    return graph.opBuilder("Placeholder", name).setAttr("dtype", DType.FLOAT)
        .setAttr("shape", AttrValue.newBuilder().setShape(shape).build()).build().output(0);
  }

  static Output addV2(Graph graph, String name, Output x, Output y) {
    return graph.opBuilder("AddV2", name).addInput(x).addInput(y).setAttr("T", DType.FLOAT).build().output(0);
  }

  /**
   * tf.Variable(initial, name=name) in TF1 ref style: {@code name/initial_value}, {@code name}
   * (VariableV2), {@code name/Assign} and {@code name/read}, registered in the variables collection.
   * Returns {@code name/read:0}.
   */
  static Output refVariable(Graph graph, String name, Tensor initial) {
    Output init = constant(graph, name + "/initial_value", initial);
    Operation variable = graph.opBuilder("VariableV2", name).setAttr("dtype", initial.dtype()).setAttr("shape", initial.shape()).build();
    Operation assign = graph.opBuilder("Assign", name + "/Assign").addInput(variable.output(0)).addInput(init)
        .setAttr("T", initial.dtype()).build();
    Operation read = graph.opBuilder("Identity", name + "/read").addInput(variable.output(0)).setAttr("T", initial.dtype()).build();
    graph.addToCollection("variables", VariableDef.newBuilder().setVariableName(name + ":0")
        .setInitialValueName(init.name()).setInitializerName(assign.name()).setSnapshotName(read.name() + ":0").build());
    return read.output(0);
  }

  /**
   * A resource variable as TF2's tf.compat.v1 builds it: {@code name} (VarHandleOp), {@code
   * name/Assign} (AssignVariableOp) and {@code name/Read/ReadVariableOp}. Returns the read tensor.
   */
  static Output resourceVariable(Graph graph, String name, Tensor initial) {
    Output init = constant(graph, name + "/Initializer/initial_value", initial);
    Operation handle = graph.opBuilder("VarHandleOp", name).setAttr("dtype", initial.dtype()).setAttr("shape", initial.shape())
        .setAttr("shared_name", name).build();
    Operation assign = graph.opBuilder("AssignVariableOp", name + "/Assign").addInput(handle.output(0)).addInput(init)
        .setAttr("dtype", initial.dtype()).build();
    Operation read = graph.opBuilder("ReadVariableOp", name + "/Read/ReadVariableOp").addInput(handle.output(0))
        .setAttr("dtype", initial.dtype()).build();
    graph.addToCollection("variables", VariableDef.newBuilder().setVariableName(name + ":0")
        .setInitialValueName(init.name()).setInitializerName(assign.name()).setSnapshotName(read.name() + ":0")
        .setIsResource(true).build());
    return read.output(0);
  }
}
