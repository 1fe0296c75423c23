package io.sparkpoint.kernels;

import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A rough timing of the gradient kernels on the MLP benchmark's largest activation, float32
 * [256, 512] (not a test, not JMH): the median of {@code repeats} runs after warm-up, each run a
 * new output (no in-place writes), next to a plain copy of the same bytes. Run from the engine
 * module with {@code java -cp target/test-classes:target/classes:<classpath>
 * io.sparkpoint.kernels.GradKernelTiming [repeats]}.
 */
public final class GradKernelTiming {
  private GradKernelTiming() {}

  public static void main(String[] args) {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    Shape shape = Shape.of(256, 512);
    Tensor a = random(shape, 1);
    Tensor b = random(shape, 2);
    time("copy of the bytes", repeats, () -> Tensor.of(a.dtype(), a.shape(), a.bytes()));
    for (String op : new String[] {"ReluGrad", "Relu6Grad", "EluGrad", "SigmoidGrad", "TanhGrad", "SqrtGrad",
        "RsqrtGrad", "ReciprocalGrad", "AddN"}) {
      NodeDef.Builder node = KernelRunner.node(op);
      if (op.equals("AddN")) {
        node.putAttr("N", KernelRunner.integer(2));
      }
      time(op, repeats, () -> KernelRunner.run(node, a, b));
    }
    time("Reciprocal", repeats, () -> KernelRunner.run("Reciprocal", a));
    time("BiasAddGrad", repeats, () -> KernelRunner.run("BiasAddGrad", a));
  }

  private static Tensor random(Shape shape, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[Math.toIntExact(shape.numElements())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextDouble(-1, 1);
    }
    return Tensor.ofFloats(shape, values);
  }

  private static void time(String name, int repeats, Supplier<Tensor> run) {
    for (int i = 0; i < repeats; i++) {
      run.get();
    }
    long[] nanos = new long[repeats];
    for (int i = 0; i < repeats; i++) {
      long start = System.nanoTime();
      run.get();
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    System.out.printf("%-16s median %7.1f us, best %7.1f us%n", name, nanos[repeats / 2] / 1e3, nanos[0] / 1e3);
  }
}
