package io.sparkpoint.graph;

import io.sparkpoint.proto.VariableDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * TF1's variables, as {@code tf.Variable} and {@code tf.compat.v1.get_variable} put them in a graph,
 * registered in the global variables collection (and the trainable one) so Savers,
 * {@code global_variables_initializer} and {@code .meta} files see them.
 */
public final class Variables {
  private Variables() {}

  /**
   * {@code tf.Variable(initial, name=name)}, ref style: {@code name/initial_value} (Const),
   * {@code name} (VariableV2), {@code name/Assign} and {@code name/read}.
   *
   * @return the variable's value, {@code name/read:0}
   */
  public static Output variable(Graph graph, String name, Tensor initial) {
    return variable(graph, name, graph.constant(name + "/initial_value", initial), true);
  }

  /** A ref-style variable initialized from an existing tensor (whose static shape is {@code initial}'s). */
  public static Output variable(Graph graph, String name, Output initial, boolean trainable) {
    Tensor shapeSource = null;
    Operation initOp = initial.op();
    io.sparkpoint.proto.AttrValue value = initOp.attr("value");
    if (value != null) {
      shapeSource = io.sparkpoint.tensor.TensorProtos.fromProto(value.getTensor());
    }
    if (shapeSource == null) {
      throw new IllegalArgumentException("Cannot infer the shape of variable " + name + " from " + initial.name()
          + ": initialize it from a Const");
    }
    Operation variable = graph.opBuilder("VariableV2", name).setAttr("dtype", shapeSource.dtype()).setAttr("shape", shapeSource.shape())
        .build();
    Operation assign = graph.opBuilder("Assign", variable.name() + "/Assign").addInput(variable.output(0)).addInput(initial)
        .setAttr("T", shapeSource.dtype()).setAttr("_class", colocation(variable)).build();
    Operation read = graph.opBuilder("Identity", variable.name() + "/read").addInput(variable.output(0))
        .setAttr("T", shapeSource.dtype()).setAttr("_class", colocation(variable)).build();
    register(graph, VariableDef.newBuilder().setVariableName(variable.name() + ":0").setInitialValueName(initial.name())
        .setInitializerName(assign.name()).setSnapshotName(read.name() + ":0").setTrainable(trainable).build(), trainable);
    return read.output(0);
  }

  /**
   * A resource variable as TF2's {@code tf.compat.v1} builds it: {@code name} (VarHandleOp),
   * {@code name/Initializer/initial_value}, {@code name/Assign} (AssignVariableOp) and
   * {@code name/Read/ReadVariableOp}.
   *
   * @return the read tensor
   */
  public static Output resourceVariable(Graph graph, String name, Tensor initial) {
    OperationBuilder builder = graph.opBuilder("VarHandleOp", name);
    Operation handle = builder.setAttr("dtype", initial.dtype()).setAttr("shape", initial.shape()).setAttr("shared_name", builder.name())
        .build();
    Output init = graph.constant(handle.name() + "/Initializer/initial_value", initial);
    Operation assign = graph.opBuilder("AssignVariableOp", handle.name() + "/Assign").addInput(handle.output(0)).addInput(init)
        .setAttr("dtype", initial.dtype()).build();
    Operation read = graph.opBuilder("ReadVariableOp", handle.name() + "/Read/ReadVariableOp").addInput(handle.output(0))
        .setAttr("dtype", initial.dtype()).build();
    register(graph, VariableDef.newBuilder().setVariableName(handle.name() + ":0").setInitialValueName(init.name())
        .setInitializerName(assign.name()).setSnapshotName(read.name() + ":0").setIsResource(true).setTrainable(true).build(), true);
    return read.output(0);
  }

  /**
   * A variable named exactly as the open {@code scope}, of a given dtype and shape, initialized from
   * {@code initial} (which the caller made inside the scope, e.g. {@code scope/Initializer/zeros}),
   * as TF1 makes optimizer slots and the global step: ref style gives {@code scope} (VariableV2),
   * {@code scope/Assign} and {@code scope/read}; resource style gives {@code scope} (VarHandleOp),
   * {@code scope/Assign} (AssignVariableOp) and {@code scope/Read/ReadVariableOp}. It joins the global
   * variables, and the trainable ones when {@code trainable}.
   *
   * @return the variable itself: the VariableV2's ref output, or the VarHandleOp's handle
   */
  public static Output variableNamedAfter(Graph graph, Graph.NameScope scope, DType dtype, Shape shape, Output initial,
      boolean trainable, boolean resource) {
    if (!graph.currentScope().equals(scope.name())) {
      throw new IllegalStateException("Cannot make variable " + scope.name() + ": its scope is not the innermost open one");
    }
    VariableDef.Builder def = VariableDef.newBuilder().setInitialValueName(initial.name()).setTrainable(trainable);
    Operation variable;
    if (resource) {
      variable = graph.opBuilderNamedAfter(scope, "VarHandleOp").setAttr("dtype", dtype).setAttr("shape", shape)
          .setAttr("shared_name", scope.name()).build();
      Operation assign = graph.opBuilder("AssignVariableOp", "Assign").addInput(variable.output(0)).addInput(initial)
          .setAttr("dtype", dtype).build();
      Operation read = graph.opBuilder("ReadVariableOp", "Read/ReadVariableOp").addInput(variable.output(0)).setAttr("dtype", dtype)
          .build();
      def.setInitializerName(assign.name()).setSnapshotName(read.name() + ":0").setIsResource(true);
    } else {
      variable = graph.opBuilderNamedAfter(scope, "VariableV2").setAttr("dtype", dtype).setAttr("shape", shape).build();
      Operation assign = graph.opBuilder("Assign", "Assign").addInput(variable.output(0)).addInput(initial).setAttr("T", dtype)
          .setAttr("_class", colocation(variable)).build();
      Operation read = graph.opBuilder("Identity", "read").addInput(variable.output(0)).setAttr("T", dtype)
          .setAttr("_class", colocation(variable)).build();
      def.setInitializerName(assign.name()).setSnapshotName(read.name() + ":0");
    }
    register(graph, def.setVariableName(variable.name() + ":0").build(), trainable);
    return variable.output(0);
  }

  /** {@code tf.global_variables_initializer()}: a NoOp {@code init} after every global variable's initializer. */
  public static Operation globalVariablesInitializer(Graph graph) {
    OperationBuilder init = graph.opBuilder("NoOp", "init");
    for (String initializer : initializerNames(graph)) {
      init.addControlInput(graph.getOperationByName(initializer));
    }
    return init.build();
  }

  /** The op names of the global variables' initializers, in creation order (variables without one are skipped). */
  public static List<String> initializerNames(Graph graph) {
    List<String> names = new ArrayList<>();
    for (Object item : graph.getCollection(GraphCollections.GLOBAL_VARIABLES)) {
      String initializer = ((VariableDef) item).getInitializerName();
      if (!initializer.isEmpty()) {
        names.add(Graph.opNameOf(initializer));
      }
    }
    return names;
  }

  /** The op names of the global variables, in creation order. */
  public static List<String> globalVariableNames(Graph graph) {
    List<String> names = new ArrayList<>();
    for (Object item : graph.getCollection(GraphCollections.GLOBAL_VARIABLES)) {
      names.add(Graph.opNameOf(((VariableDef) item).getVariableName()));
    }
    return names;
  }

  private static void register(Graph graph, VariableDef def, boolean trainable) {
    graph.addToCollection(GraphCollections.GLOBAL_VARIABLES, def);
    if (trainable) {
      graph.addToCollection(GraphCollections.TRAINABLE_VARIABLES, def);
    }
  }


  private static io.sparkpoint.proto.AttrValue colocation(Operation op) {
    return io.sparkpoint.proto.AttrValue.newBuilder().setList(io.sparkpoint.proto.AttrValue.ListValue.newBuilder()
        .addS(com.google.protobuf.ByteString.copyFromUtf8("loc:@" + op.name()))).build();
  }
}
