package io.sparkpoint.kernels.conv;

import static io.sparkpoint.kernels.KernelRunner.integers;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.string;
import static io.sparkpoint.kernels.conv.ConvForwardTiming.report;
import static io.sparkpoint.kernels.conv.ConvForwardTiming.uniform;

import io.sparkpoint.kernels.KernelRunner;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A rough timing of the benchmark CNN's backward kernels (not a test, not JMH), batch 64, float32:
 * conv 5x5x1x32 SAME on 28x28 and 5x5x32x64 SAME on 14x14 (filter and input gradients), max pool
 * 2x2 stride 2 on 64x28x28x32 and 64x14x14x64, and the same avg pools. Each kernel as it runs, then
 * the options it chose among: (a) im2col / col2im around ND4J's gemm, (b) libnd4j's conv2d_bp,
 * deconv2d, maxpool2d_bp and avgpool2d_bp (arrays already in ND4J), (c) our oneDNN formulations
 * and JVM loops. Prints the median and best of {@code repeats} runs after a silent warm-up pass. Run from the engine
 * module with {@code java -cp target/test-classes:target/classes:<classpath>
 * io.sparkpoint.kernels.conv.ConvBackwardTiming [repeats]}.
 */
public final class ConvBackwardTiming {
  private ConvBackwardTiming() {}

  /** Whether this pass prints: a first, silent pass lets the JIT compile every path. */
  private static boolean printing;

  public static void main(String[] args) {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    measure(10);
    printing = true;
    measure(repeats);
  }

  private static void time(String what, int repeats, Supplier<Object> run) {
    if (printing) {
      report(what, repeats, run);
    } else {
      for (int i = 0; i < repeats; i++) {
        run.get();
      }
    }
  }

  private static void measure(int repeats) {
    SplittableRandom random = new SplittableRandom(42);
    for (int layer = 1; layer <= 2; layer++) {
      int size = layer == 1 ? 28 : 14;
      int in = layer == 1 ? 1 : 32;
      int out = layer == 1 ? 32 : 64;
      Tensor x = uniform(random, 64, size, size, in);
      Tensor w = uniform(random, 5, 5, in, out);
      Tensor g = uniform(random, 64, size, size, out);
      Tensor inputSizes = Tensor.ofInts(Shape.of(4), 64, size, size, in);
      Tensor filterSizes = Tensor.ofInts(Shape.of(4), 5, 5, in, out);
      String name = "conv " + layer + " (64x" + size + "x" + size + "x" + in + ", 5x5x" + in + "x" + out + ")";
      ConvShape shape = ConvShape.of(x.shape(), w.shape(), new ConvAttrs(1, 1, 1, 1, Padding.SAME, 0, 0, 0, 0));
      // the options first, so that every path is compiled before the kernels are timed
      time(name + " filter gradient (a) im2col + ND4J gemm (BackpropGemm)", repeats,
          () -> new BackpropGemm(shape, DType.FLOAT).filter(x.bytes(), g, w.shape()));
      time("  (c) oneDNN conv2d of the transposed input and gradient (OneDnnConvGrads)", repeats,
          () -> OneDnnConvGrads.filter(x, g, shape, w.shape()));
      time(name + " input gradient (a) ND4J gemm + col2im (BackpropGemm)", repeats,
          () -> new BackpropGemm(shape, DType.FLOAT).input(g, w, x.shape()));
      time("  (c) oneDNN conv2d of the gradient with the rotated filter (OneDnnConvGrads)", repeats,
          () -> OneDnnConvGrads.input(g, w, shape, x.shape()));
      INDArray xs = NdArrays.toNd4j(x);
      INDArray ws = NdArrays.toNd4j(w);
      INDArray gs = NdArrays.toNd4j(g);
      time("  (b) libnd4j conv2d_bp (both gradients)", repeats, () -> nativeOp("conv2d_bp", new INDArray[] {xs, ws, gs},
          new INDArray[] {Nd4j.create(DataType.FLOAT, xs.shape()), Nd4j.create(DataType.FLOAT, ws.shape())},
          5, 5, 1, 1, 0, 0, 1, 1, 1, 1, 0));
      time("  (b) libnd4j deconv2d (input gradient)", repeats, () -> nativeOp("deconv2d", new INDArray[] {gs, ws},
          new INDArray[] {Nd4j.create(DataType.FLOAT, xs.shape())}, 5, 5, 1, 1, 0, 0, 1, 1, 1, 1, 0));
      time(name + " Conv2DBackpropFilter kernel", repeats,
          () -> KernelRunner.run(conv("Conv2DBackpropFilter"), x, filterSizes, g));
      time(name + " Conv2DBackpropInput kernel", repeats,
          () -> KernelRunner.run(conv("Conv2DBackpropInput"), inputSizes, w, g));

      Tensor pooled = uniform(random, 64, size / 2, size / 2, out);
      Tensor poolGrad = uniform(random, 64, size / 2, size / 2, out);
      Tensor poolInput = uniform(random, 64, size, size, out);
      String pool = "pool " + layer + " (64x" + size + "x" + size + "x" + out + ", 2x2 s2 SAME)";
      time(pool + " MaxPoolGrad (c) JVM loops", repeats, () -> KernelRunner.run(pool("MaxPoolGrad"), poolInput, pooled, poolGrad));
      Tensor poolShape = Tensor.ofInts(Shape.of(4), 64, size, size, out);
      time(pool + " AvgPoolGrad (c) JVM loops", repeats, () -> KernelRunner.run(pool("AvgPoolGrad"), poolShape, poolGrad));
      INDArray pi = NdArrays.toNd4j(poolInput);
      INDArray pg = NdArrays.toNd4j(poolGrad);
      time("  (b) libnd4j maxpool2d_bp", repeats, () -> nativeOp("maxpool2d_bp", new INDArray[] {pi, pg},
          new INDArray[] {Nd4j.create(DataType.FLOAT, pi.shape())}, 2, 2, 2, 2, 0, 0, 1, 1, 1, 0, 1));
      time("  (b) libnd4j avgpool2d_bp", repeats, () -> nativeOp("avgpool2d_bp", new INDArray[] {pi, pg},
          new INDArray[] {Nd4j.create(DataType.FLOAT, pi.shape())}, 2, 2, 2, 2, 0, 0, 1, 1, 1, 0, 1));
    }
  }

  private static NodeDef.Builder conv(String op) {
    return node(op).putAttr("strides", integers(1, 1, 1, 1)).putAttr("padding", string("SAME"));
  }

  private static NodeDef.Builder pool(String op) {
    return node(op).putAttr("ksize", integers(1, 2, 2, 1)).putAttr("strides", integers(1, 2, 2, 1))
        .putAttr("padding", string("SAME"));
  }

  private static Object nativeOp(String op, INDArray[] inputs, INDArray[] outputs, int... args) {
    Nd4j.exec(DynamicCustomOp.builder(op).addInputs(inputs).addOutputs(outputs).addIntegerArguments(args).build());
    for (INDArray output : outputs) {
      output.close();
    }
    return null;
  }
}
