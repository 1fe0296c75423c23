package io.sparkpoint.grad;

import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.tensor.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Gradients of the element-wise math ops and of MatMul, BatchMatMulV2 and AddN. */
final class MathGrads {
  private MathGrads() {}

  static void register(GradRegistry registry) {
    registry.register("Add", MathGrads::add);
    registry.register("AddV2", MathGrads::add);
    registry.register("Sub", MathGrads::sub);
    registry.register("Mul", MathGrads::mul);
    registry.register("RealDiv", MathGrads::div);
    registry.register("Div", MathGrads::div);
    registry.register("Maximum", (nodes, op, grads) -> maxMin(nodes, op, grads, "GreaterEqual"));
    registry.register("Minimum", (nodes, op, grads) -> maxMin(nodes, op, grads, "LessEqual"));
    registry.register("Pow", MathGrads::pow);
    registry.register("Neg", (nodes, op, grads) -> List.of(nodes.op("Neg", grads.get(0))));
    registry.register("Square", MathGrads::square);
    registry.register("Sqrt", (nodes, op, grads) -> List.of(nodes.op("SqrtGrad", op.output(0), grads.get(0))));
    registry.register("Rsqrt", (nodes, op, grads) -> List.of(nodes.op("RsqrtGrad", op.output(0), grads.get(0))));
    registry.register("Reciprocal", (nodes, op, grads) -> List.of(nodes.op("ReciprocalGrad", op.output(0), grads.get(0))));
    registry.register("Exp", (nodes, op, grads) -> List.of(nodes.op("Mul", grads.get(0), op.output(0))));
    registry.register("Log", (nodes, op, grads) ->
        List.of(nodes.op("Mul", grads.get(0), nodes.op("Reciprocal", op.inputs().get(0)))));
    registry.register("Abs", (nodes, op, grads) ->
        List.of(nodes.op("Mul", grads.get(0), nodes.op("Sign", op.inputs().get(0)))));
    registry.register("Sign", (nodes, op, grads) -> List.of(nodes.zerosLike(op.inputs().get(0))));
    registry.register("AddN", (nodes, op, grads) -> java.util.Collections.nCopies(op.inputs().size(), grads.get(0)));
    registry.register("MatMul", MathGrads::matMul);
    registry.register("BatchMatMulV2", MathGrads::batchMatMul);
  }

  /** The shapes of x and y and the axes along which each was broadcast. */
  private record Broadcast(Output sx, Output sy, Output rx, Output ry) {
    static Broadcast of(GradNodes nodes, Operation op) {
      Output sx = nodes.shape(op.inputs().get(0));
      Output sy = nodes.shape(op.inputs().get(1));
      Output[] axes = nodes.broadcastGradientArgs(sx, sy);
      return new Broadcast(sx, sy, axes[0], axes[1]);
    }
  }

  private static List<Output> add(GradNodes nodes, Operation op, List<Output> grads) {
    Output grad = grads.get(0);
    Broadcast b = Broadcast.of(nodes, op);
    return List.of(nodes.sumTo(grad, b.rx, b.sx), nodes.sumTo(grad, b.ry, b.sy));
  }

  private static List<Output> sub(GradNodes nodes, Operation op, List<Output> grads) {
    Output grad = grads.get(0);
    Broadcast b = Broadcast.of(nodes, op);
    Output gx = nodes.sumTo(grad, b.rx, b.sx);
    Output gy = nodes.reshape(nodes.op("Neg", nodes.sum(grad, b.ry, false)), b.sy);
    return List.of(gx, gy);
  }

  private static List<Output> mul(GradNodes nodes, Operation op, List<Output> grads) {
    Output grad = grads.get(0);
    Output x = op.inputs().get(0);
    Output y = op.inputs().get(1);
    Broadcast b = Broadcast.of(nodes, op);
    Output gx = nodes.sumTo(nodes.op("Mul", grad, y), b.rx, b.sx);
    Output gy = nodes.sumTo(nodes.op("Mul", x, grad), b.ry, b.sy);
    return List.of(gx, gy);
  }

  /** d(x/y) = g/y, and -g·x/y² computed as g·((-x/y)/y). */
  private static List<Output> div(GradNodes nodes, Operation op, List<Output> grads) {
    Output grad = grads.get(0);
    Output x = op.inputs().get(0);
    Output y = op.inputs().get(1);
    Broadcast b = Broadcast.of(nodes, op);
    Output gx = nodes.sumTo(nodes.op("RealDiv", grad, y), b.rx, b.sx);
    Output quotient = nodes.op("RealDiv", nodes.op("RealDiv", nodes.op("Neg", x), y), y);
    Output gy = nodes.sumTo(nodes.op("Mul", grad, quotient), b.ry, b.sy);
    return List.of(gx, gy);
  }

  /** The gradient goes to x where {@code x >= y} (Maximum) or {@code x <= y} (Minimum), else to y. */
  private static List<Output> maxMin(GradNodes nodes, Operation op, List<Output> grads, String xWins) {
    Output grad = grads.get(0);
    Output x = op.inputs().get(0);
    Output y = op.inputs().get(1);
    Broadcast b = Broadcast.of(nodes, op);
    Output zeros = nodes.zerosLike(grad);
    Output mask = nodes.op(xWins, x, y);
    Output gx = nodes.sumTo(nodes.select("SelectV2", mask, grad, zeros), b.rx, b.sx);
    Output gy = nodes.sumTo(nodes.select("SelectV2", mask, zeros, grad), b.ry, b.sy);
    return List.of(gx, gy);
  }

  /** d(x^y)/dx = y·x^(y-1); d(x^y)/dy = x^y·log(x) where x > 0, else 0. */
  private static List<Output> pow(GradNodes nodes, Operation op, List<Output> grads) {
    Output grad = grads.get(0);
    Output x = op.inputs().get(0);
    Output y = op.inputs().get(1);
    Output z = op.output(0);
    DType dtype = GradNodes.dtype(x);
    Broadcast b = Broadcast.of(nodes, op);
    Output yMinusOne = nodes.op("Sub", y, nodes.scalar(dtype, 1));
    Output gx = nodes.sumTo(nodes.op("Mul", nodes.op("Mul", grad, y), nodes.op("Pow", x, yMinusOne)), b.rx, b.sx);
    Output positive = nodes.op("Greater", x, nodes.zerosLike(x));
    Output safeX = nodes.select("SelectV2", positive, x, nodes.op("OnesLike", x));
    Output logX = nodes.select("SelectV2", positive, nodes.op("Log", safeX), nodes.zerosLike(x));
    Output gy = nodes.sumTo(nodes.op("Mul", nodes.op("Mul", grad, z), logX), b.ry, b.sy);
    return List.of(gx, gy);
  }

  private static List<Output> square(GradNodes nodes, Operation op, List<Output> grads) {
    Output x = op.inputs().get(0);
    Output two = nodes.scalar(GradNodes.dtype(x), 2);
    return List.of(nodes.op("Mul", grads.get(0), nodes.op("Mul", x, two)));
  }

  private static Output matMul(GradNodes nodes, String type, Output a, Output b, boolean transposeA, boolean transposeB) {
    boolean batch = type.equals("BatchMatMulV2");
    return nodes.builder(type, a, b).setAttr("T", GradNodes.dtype(a))
        .setAttr(batch ? "adj_x" : "transpose_a", transposeA).setAttr(batch ? "adj_y" : "transpose_b", transposeB)
        .build().output(0);
  }

  /** The four transpose cases of TensorFlow's MatMul gradient. */
  private static Output[] matMulGrads(GradNodes nodes, String type, Output a, Output b, Output grad, boolean ta, boolean tb) {
    if (!ta && !tb) {
      return new Output[] {matMul(nodes, type, grad, b, false, true), matMul(nodes, type, a, grad, true, false)};
    }
    if (!ta) {
      return new Output[] {matMul(nodes, type, grad, b, false, false), matMul(nodes, type, grad, a, true, false)};
    }
    if (!tb) {
      return new Output[] {matMul(nodes, type, b, grad, false, true), matMul(nodes, type, a, grad, false, false)};
    }
    return new Output[] {matMul(nodes, type, b, grad, true, true), matMul(nodes, type, grad, a, true, true)};
  }

  private static List<Output> matMul(GradNodes nodes, Operation op, List<Output> grads) {
    boolean ta = GradNodes.attr(op, "transpose_a").getB();
    boolean tb = GradNodes.attr(op, "transpose_b").getB();
    return Arrays.asList(matMulGrads(nodes, "MatMul", op.inputs().get(0), op.inputs().get(1), grads.get(0), ta, tb));
  }

  /** As MatMul, then each side summed over the batch dimensions it was broadcast along. */
  private static List<Output> batchMatMul(GradNodes nodes, Operation op, List<Output> grads) {
    boolean adjX = GradNodes.attr(op, "adj_x").getB();
    boolean adjY = GradNodes.attr(op, "adj_y").getB();
    Output x = op.inputs().get(0);
    Output y = op.inputs().get(1);
    Output[] g = matMulGrads(nodes, "BatchMatMulV2", x, y, grads.get(0), adjX, adjY);
    Output sx = nodes.shape(x);
    Output sy = nodes.shape(y);
    Output[] axes = nodes.broadcastGradientArgs(batchDims(nodes, sx), batchDims(nodes, sy));
    List<Output> out = new ArrayList<>();
    out.add(nodes.reshape(nodes.sum(g[0], axes[0], false), sx));
    out.add(nodes.reshape(nodes.sum(g[1], axes[1], false), sy));
    return out;
  }

  /** shape[:-2]. */
  private static Output batchDims(GradNodes nodes, Output shape) {
    return nodes.builder("StridedSlice", shape, nodes.ints(0), nodes.ints(-2), nodes.ints(1)).setAttr("T", DType.INT32)
        .setAttr("Index", DType.INT32).setAttr("begin_mask", AttrValue.newBuilder().setI(1).build()).build().output(0);
  }
}
