package io.sparkpoint.grad;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.graph.Output;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every gradient against central finite differences in float64 (step 1e-6): the symbolic gradient
 * must agree within 1e-6 relative (1e-6 absolute below 1). Inputs avoid the kinks of Relu, Abs,
 * Max/Min ties and the pooling windows' ties, where the derivative is not defined.
 */
class NumericalGradientTest {
  private static final double TOL = 1e-6;
  private final GradientChecker checker = new GradientChecker();

  private static OperationBuilder op(Graph g, String type, Output... inputs) {
    OperationBuilder builder = g.opBuilder(type, type);
    for (Output input : inputs) {
      builder.addInput(input);
    }
    return builder.setAttr("T", DType.DOUBLE);
  }

  private static Output constInts(Graph g, int... values) {
    Tensor t = Tensor.ofInts(Shape.of(values.length), values);
    return g.opBuilder("Const", "c").setAttr("dtype", DType.INT32).setAttr("value", t).build().output(0);
  }

  private static Output scalarInt(Graph g, int value) {
    Tensor t = Tensor.ofInts(Shape.scalar(), value);
    return g.opBuilder("Const", "c").setAttr("dtype", DType.INT32).setAttr("value", t).build().output(0);
  }

  private static AttrValue ints(long... values) {
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    for (long v : values) {
      list.addI(v);
    }
    return AttrValue.newBuilder().setList(list).build();
  }

  private void binary(String type, Shape xs, Shape ys, double low, double high) {
    Output x = checker.input(xs, low, high);
    Output y = checker.input(ys, low, high);
    checker.check(g -> op(g, type, x, y).build().output(0), TOL);
  }

  private void unary(String type, double low, double high) {
    Output x = checker.input(Shape.of(2, 3), low, high);
    checker.check(g -> op(g, type, x).build().output(0), TOL);
  }

  @Test void add() { binary("AddV2", Shape.of(2, 3), Shape.of(3), -1, 1); }
  @Test void addBroadcastBoth() { binary("Add", Shape.of(2, 1, 3), Shape.of(4, 1), -1, 1); }
  @Test void sub() { binary("Sub", Shape.of(3), Shape.of(2, 3), -1, 1); }
  @Test void mul() { binary("Mul", Shape.of(2, 3), Shape.of(2, 1), -1, 1); }
  @Test void realDiv() { binary("RealDiv", Shape.of(2, 3), Shape.of(3), 0.5, 2); }
  @Test void div() { binary("Div", Shape.of(2, 3), Shape.of(), 0.5, 2); }
  @Test void maximum() { binary("Maximum", Shape.of(2, 3), Shape.of(3), -1, 1); }
  @Test void minimum() { binary("Minimum", Shape.of(3), Shape.of(2, 3), -1, 1); }
  @Test void pow() { binary("Pow", Shape.of(2, 3), Shape.of(3), 0.5, 2); }
  @Test void neg() { unary("Neg", -1, 1); }
  @Test void square() { unary("Square", -1, 1); }
  @Test void sqrt() { unary("Sqrt", 0.5, 2); }
  @Test void rsqrt() { unary("Rsqrt", 0.5, 2); }
  @Test void reciprocal() { unary("Reciprocal", 0.5, 2); }
  @Test void exp() { unary("Exp", -1, 1); }
  @Test void log() { unary("Log", 0.5, 2); }
  @Test void abs() { unary("Abs", 0.1, 1); }
  @Test void relu() { unary("Relu", 0.1, 1); }
  @Test void reluNegative() { unary("Relu", -1, -0.1); }
  @Test void relu6() { unary("Relu6", 0.5, 5.5); }
  @Test void elu() { unary("Elu", -2, -0.1); }
  @Test void sigmoid() { unary("Sigmoid", -2, 2); }
  @Test void tanh() { unary("Tanh", -2, 2); }
  @Test void softmax() { unary("Softmax", -2, 2); }
  @Test void logSoftmax() { unary("LogSoftmax", -2, 2); }

  @Test
  void addN() {
    Output a = checker.input(Shape.of(2, 2), -1, 1);
    Output b = checker.input(Shape.of(2, 2), -1, 1);
    checker.check(g -> op(g, "AddN", a, b, a).setAttr("N", 3).build().output(0), TOL);
  }

  @Test
  void matMulInEveryTransposeCase() {
    for (int c = 0; c < 4; c++) {
      boolean ta = (c & 1) != 0;
      boolean tb = (c & 2) != 0;
      GradientChecker each = new GradientChecker();
      Output a = each.input(ta ? Shape.of(3, 2) : Shape.of(2, 3), -1, 1);
      Output b = each.input(tb ? Shape.of(4, 3) : Shape.of(3, 4), -1, 1);
      each.check(g -> op(g, "MatMul", a, b).setAttr("transpose_a", ta).setAttr("transpose_b", tb).build().output(0), TOL);
    }
  }

  @Test
  void batchMatMulWithBroadcastBatches() {
    Output a = checker.input(Shape.of(2, 1, 2, 3), -1, 1);
    Output b = checker.input(Shape.of(3, 3, 2), -1, 1);
    checker.check(g -> op(g, "BatchMatMulV2", a, b).setAttr("adj_y", false).build().output(0), TOL);
  }

  @Test
  void biasAdd() {
    Output x = checker.input(Shape.of(2, 2, 3), -1, 1);
    Output b = checker.input(Shape.of(3), -1, 1);
    checker.check(g -> op(g, "BiasAdd", x, b).build().output(0), TOL);
  }

  @Test
  void softmaxCrossEntropyBothInputs() {
    Output logits = checker.input(Shape.of(3, 4), -2, 2);
    // rows summing to 1, as TF's backprop output (softmax - labels) assumes
    Output labels = checker.input(Tensor.ofDoubles(Shape.of(3, 4), 0.1, 0.2, 0.3, 0.4, 1, 0, 0, 0, 0.25, 0.25, 0.5, 0));
    checker.check(g -> op(g, "SoftmaxCrossEntropyWithLogits", logits, labels).build().output(0), TOL);
  }

  @Test
  void sparseSoftmaxCrossEntropy() {
    Output logits = checker.input(Shape.of(3, 4), -2, 2);
    checker.check(g -> op(g, "SparseSoftmaxCrossEntropyWithLogits", logits, constInts(g, 1, 0, 3))
        .setAttr("Tlabels", DType.INT32).build().output(0), TOL);
  }

  @Test
  void l2Loss() { unary("L2Loss", -1, 1); }

  @Test
  void sumMeanMaxMin() {
    for (String type : new String[] {"Sum", "Mean", "Max", "Min"}) {
      for (boolean keep : new boolean[] {false, true}) {
        GradientChecker each = new GradientChecker();
        Output x = each.input(Shape.of(2, 3, 4), -1, 1);
        each.check(g -> op(g, type, x, constInts(g, -1, 0)).setAttr("keep_dims", keep).setAttr("Tidx", DType.INT32)
            .build().output(0), TOL);
      }
    }
  }

  @Test
  void prodWithAZeroAndWithoutKeepDims() {
    for (boolean keep : new boolean[] {false, true}) {
      GradientChecker each = new GradientChecker();
      double[] v = new double[24];
      for (int i = 0; i < v.length; i++) {
        v[i] = 0.5 + (i % 7) * 0.2;
      }
      v[5] = 0; // a zero: its group's other elements get a zero gradient, it gets the product of the rest
      Output x = each.input(Tensor.ofDoubles(Shape.of(2, 3, 4), v));
      each.check(g -> op(g, "Prod", x, constInts(g, -1, 0)).setAttr("keep_dims", keep).setAttr("Tidx", DType.INT32)
          .build().output(0), TOL);
    }
  }

  @Test
  void reshapeExpandDimsSqueezeTranspose() {
    Output x = checker.input(Shape.of(2, 1, 3), -1, 1);
    checker.check(g -> {
      Output r = op(g, "Reshape", x, constInts(g, 3, 2)).setAttr("Tshape", DType.INT32).build().output(0);
      Output e = op(g, "ExpandDims", r, scalarInt(g, 0)).setAttr("Tdim", DType.INT32).build().output(0);
      Output s = op(g, "Squeeze", e).setAttr("squeeze_dims", ints(0)).build().output(0);
      return op(g, "Transpose", s, constInts(g, 1, 0)).setAttr("Tperm", DType.INT32).build().output(0);
    }, TOL);
  }

  @Test
  void concatPackUnpack() {
    Output a = checker.input(Shape.of(2, 3), -1, 1);
    Output b = checker.input(Shape.of(2, 1), -1, 1);
    checker.check(g -> {
      Output c = op(g, "ConcatV2", a, b, scalarInt(g, -1)).setAttr("N", 2).setAttr("Tidx", DType.INT32).build().output(0);
      var parts = op(g, "Unpack", c).setAttr("num", 2).setAttr("axis", 0).build();
      return op(g, "Pack", parts.output(1), parts.output(0)).setAttr("N", 2).setAttr("axis", 1).build().output(0);
    }, TOL);
  }

  @Test
  void unpackWithAnUnusedPart() {
    Output a = checker.input(Shape.of(3, 2), -1, 1);
    checker.check(g -> op(g, "Unpack", a).setAttr("num", 3).setAttr("axis", 0).build().output(1), TOL);
  }

  @Test
  void sliceStridedSliceAndPad() {
    Output x = checker.input(Shape.of(4, 5), -1, 1);
    checker.check(g -> {
      Output s = op(g, "Slice", x, constInts(g, 1, 0), constInts(g, 2, -1)).setAttr("Index", DType.INT32).build().output(0);
      Output ss = op(g, "StridedSlice", s, constInts(g, 0, 4), constInts(g, 2, 0), constInts(g, 1, -2)).setAttr("Index", DType.INT32)
          .build().output(0);
      Tensor pads = Tensor.ofInts(Shape.of(2, 2), 1, 0, 2, 1);
      Output p = g.opBuilder("Const", "pads").setAttr("dtype", DType.INT32).setAttr("value", pads).build().output(0);
      return op(g, "Pad", ss, p).setAttr("Tpaddings", DType.INT32).build().output(0);
    }, TOL);
  }

  @Test
  void tileFillAndIdentity() {
    Output x = checker.input(Shape.of(2, 3), -1, 1);
    Output v = checker.input(Shape.scalar(), -1, 1);
    checker.check(g -> {
      Output t = op(g, "Tile", x, constInts(g, 2, 3)).setAttr("Tmultiples", DType.INT32).build().output(0);
      Output f = g.opBuilder("Fill", "fill").addInput(constInts(g, 4, 9)).addInput(v).setAttr("T", DType.DOUBLE)
          .setAttr("index_type", DType.INT32).build().output(0);
      return op(g, "Identity", op(g, "AddV2", t, f).build().output(0)).build().output(0);
    }, TOL);
  }

  @Test
  void castToFloat32AndBack() {
    Output x = checker.input(Shape.of(2, 3), -1, 1);
    // linear, but rounded to float32 on the way: a step of 1e-2 keeps the rounding error of the differences near 1e-5
    checker.check(g -> {
      Output single = g.opBuilder("Cast", "cast").addInput(x).setAttr("SrcT", DType.DOUBLE).setAttr("DstT", DType.FLOAT).build().output(0);
      return g.opBuilder("Cast", "back").addInput(single).setAttr("SrcT", DType.FLOAT).setAttr("DstT", DType.DOUBLE).build().output(0);
    }, 1e-4, 1e-2);
  }

  @Test
  void selectAndSelectV2() {
    Output x = checker.input(Shape.of(2, 3), -1, 1);
    Output y = checker.input(Shape.of(3), -1, 1);
    checker.check(g -> {
      Tensor mask = Tensor.ofBooleans(Shape.of(2, 3), true, false, true, false, false, true);
      Output c = g.opBuilder("Const", "mask").setAttr("dtype", DType.BOOL).setAttr("value", mask).build().output(0);
      Output s2 = op(g, "SelectV2", c, x, y).build().output(0);
      return op(g, "Select", c, s2, x).build().output(0);
    }, TOL);
  }

  @Test
  void gatherSumsRepeatedRows() {
    Output params = checker.input(Shape.of(4, 3), -1, 1);
    checker.check(g -> g.opBuilder("GatherV2", "gather").addInput(params).addInput(constInts(g, 2, 0, 2)).addInput(scalarInt(g, 0))
        .setAttr("Tparams", DType.DOUBLE).setAttr("Tindices", DType.INT32).setAttr("Taxis", DType.INT32).build().output(0), TOL);
  }

  @Test
  void gatherAlongAnInnerAndANegativeAxis() {
    for (int axis : new int[] {1, -1}) {
      GradientChecker each = new GradientChecker();
      Output params = each.input(Shape.of(2, 4, 3), -1, 1);
      each.check(g -> g.opBuilder("GatherV2", "gather").addInput(params).addInput(constInts(g, 2, 0, 2)).addInput(scalarInt(g, axis))
          .setAttr("Tparams", DType.DOUBLE).setAttr("Tindices", DType.INT32).setAttr("Taxis", DType.INT32).build().output(0), TOL);
    }
  }

  @Test
  void broadcastTo() {
    Output x = checker.input(Shape.of(1, 3), -1, 1);
    checker.check(g -> op(g, "BroadcastTo", x, constInts(g, 2, 3)).setAttr("Tidx", DType.INT32).build().output(0), TOL);
  }

  @Test
  void conv2dWithStridesAndDilations() {
    for (String padding : new String[] {"SAME", "VALID"}) {
      GradientChecker each = new GradientChecker();
      Output x = each.input(Shape.of(2, 6, 5, 2), -1, 1);
      Output f = each.input(Shape.of(3, 2, 2, 3), -1, 1);
      each.check(g -> op(g, "Conv2D", x, f).setAttr("strides", ints(1, 2, 1, 1)).setAttr("dilations", ints(1, 1, 2, 1))
          .setAttr("padding", padding).build().output(0), TOL);
    }
  }

  @Test
  void maxPoolAndAvgPool() {
    for (String type : new String[] {"MaxPool", "AvgPool"}) {
      for (String padding : new String[] {"SAME", "VALID"}) {
        GradientChecker each = new GradientChecker();
        Output x = each.input(Shape.of(2, 5, 5, 2), -1, 1);
        each.check(g -> op(g, type, x).setAttr("ksize", ints(1, 2, 3, 1)).setAttr("strides", ints(1, 2, 2, 1))
            .setAttr("padding", padding).build().output(0), TOL);
      }
    }
  }
}
