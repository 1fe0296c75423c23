package io.sparkpoint.train;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Output;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Optimizer state variables named as TF1 names them: slots {@code w/Adam}, {@code w/Adam_1},
 * {@code w/Momentum} next to their variable, and non-slot variables such as {@code beta1_power}.
 * Slots are global but not trainable, so Savers keep them and optimizers leave them alone.
 */
final class Slots {
  /** Above this many elements a slot starts from Fill(shape, value), not a Const, to keep the GraphDef small (as TF does). */
  private static final long CONST_LIMIT = 1000;

  private Slots() {}

  /**
   * A slot of {@code variable} named {@code variable/optimizer} (made unique), filled with {@code value}
   * at initialization, of the variable's dtype, shape and style (ref or resource).
   *
   * @return the slot variable itself (ref output or handle)
   */
  static Output slot(Graph graph, TrainableVariable variable, String optimizer, double value) {
    try (Graph.NameScope scope = graph.nameScope(variable.name() + "/" + optimizer)) {
      Output initial = filled(graph, value == 0 ? "Initializer/zeros" : "Initializer/Const", variable.dtype(), variable.shape(), value);
      return Variables.variableNamedAfter(graph, scope, variable.dtype(), variable.shape(), initial, false, variable.resource());
    }
  }

  /** A scalar non-slot variable such as {@code beta1_power}, starting at {@code value}. */
  static Output scalar(Graph graph, String name, DType dtype, double value, boolean resource) {
    try (Graph.NameScope scope = graph.nameScope(name)) {
      Output initial = filled(graph, "initial_value", dtype, Shape.scalar(), value);
      return Variables.variableNamedAfter(graph, scope, dtype, Shape.scalar(), initial, false, resource);
    }
  }

  /** The value tensor of a variable made here: {@code name/read} or {@code name/Read/ReadVariableOp}. */
  static Output value(Graph graph, Output variable) {
    String name = variable.op().name() + (variable.op().type().equals("VarHandleOp") ? "/Read/ReadVariableOp" : "/read");
    return graph.getTensorByName(name + ":0");
  }

  private static Output filled(Graph graph, String name, DType dtype, Shape shape, double value) {
    if (shape.numElements() <= CONST_LIMIT) {
      return graph.constant(name, full(dtype, shape, value));
    }
    Output dims = graph.constant(name + "/shape_as_tensor", Tensor.ofInts(Shape.of(shape.rank()), intDims(shape)));
    Output scalar = graph.constant(name + "/Const", full(dtype, Shape.scalar(), value));
    return graph.opBuilder("Fill", name).addInput(dims).addInput(scalar).setAttr("T", dtype).setAttr("index_type", DType.INT32)
        .build().output(0);
  }

  private static int[] intDims(Shape shape) {
    int[] dims = new int[shape.rank()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Math.toIntExact(shape.dim(i));
    }
    return dims;
  }


  /** A float32, float64, half or bfloat16 tensor of {@code shape} with every element {@code value}. */
  static Tensor full(DType dtype, Shape shape, double value) {
    int n = Math.toIntExact(shape.numElements());
    ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(Tensor.byteSize(dtype, shape))).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      switch (dtype) {
        case FLOAT -> bytes.putFloat((float) value);
        case DOUBLE -> bytes.putDouble(value);
        case INT64 -> bytes.putLong((long) value);
        case INT32 -> bytes.putInt((int) value);
        case HALF -> bytes.putShort(io.sparkpoint.tensor.HalfFloats.floatToHalf((float) value));
        default -> throw new IllegalArgumentException("Optimizers support float32, float64 and half variables, not "
            + dtype.pythonName());
      }
    }
    return Tensor.wrap(dtype, shape, bytes.flip());
  }
}
