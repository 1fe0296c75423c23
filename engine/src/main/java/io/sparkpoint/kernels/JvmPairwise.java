package io.sparkpoint.kernels;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelContext;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.List;
import java.util.Set;

/**
 * Element-wise ops of two operands with the same number of elements, such as TensorFlow's gradient
 * ops ReluGrad(gradients, features) and SigmoidGrad(y, dy), computed on the JVM in one pass from the
 * operands' bytes: they are memory-bound and run on every training step, so a conversion to ND4J
 * and back would cost more than the arithmetic.
 *
 * <p>The result has the first operand's shape. It is written into an operand's own memory when the
 * executor lets the kernel overwrite that operand (as TF forwards an input buffer), else into a new
 * buffer. float32 and float64 use the op's arithmetic in their own precision; float16 and bfloat16
 * are computed in float32 and rounded once; integer types (only for ops that have integer kernels)
 * are computed in long arithmetic and wrapped to their width, unsigned ones read zero-extended.
 */
public final class JvmPairwise {
  /** Elements per block: both operands' blocks stay in the L1 cache. */
  private static final int BLOCK = 2048;

  private JvmPairwise() {}

  /**
   * The arithmetic of one op on blocks of elements: {@code x} holds elements of the first operand,
   * {@code y} the matching ones of the second, and the results replace {@code x[0..n)}. Each op
   * gets its own loop (a switch outside the loop, not inside), so that the JIT compiles every loop
   * for one op alone, whichever ops run in the same process.
   */
  public interface Arithmetic {
    void floats(float[] x, float[] y, int n);

    void doubles(double[] x, double[] y, int n);

    /** For ops with integer kernels: element {@code a} and {@code b} of an integer {@code type}. */
    default long integers(long a, long b, DType type) {
      throw new IllegalStateException(this + " has no integer arithmetic");
    }

    /**
     * Whether float32 operands go to {@link #floatBits} instead of {@link #floats}: for ops that
     * only pick, mask or clear values, whose integer code on the raw bits the JIT vectorizes.
     */
    default boolean floatsOnBits() {
      return false;
    }

    /** Like {@link #floats} on the raw IEEE bits of float32 elements. */
    default void floatBits(int[] x, int[] y, int n) {
      throw new IllegalStateException(this + " has no bit arithmetic");
    }
  }

  /** How TF checks that the operands match: by shape, or (simple cwise kernels) by element count. */
  public enum Operands {
    /** BinaryElementWiseOp kernels (ReluGrad, Relu6Grad, EluGrad): see {@link #requireSameShape}. */
    SAME_SHAPE,
    /** The simple cwise gradient kernels (SigmoidGrad, SqrtGrad…): see {@link #requireSameCount}. */
    SAME_COUNT
  }

  /**
   * The kernel of {@code op} for {@code node}: its two inputs, named {@code argNames} in the OpDef,
   * share a dtype among {@code types} and match as {@code operands} says.
   *
   * @throws KernelException when the node's T attr is not among {@code types}
   */
  public static Kernel kernel(NodeDef node, Arithmetic op, Set<DType> types, Operands operands, String... argNames) {
    DTypeRules.checkTypeAttr(node, types);
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs(), types, argNames);
      if (operands == Operands.SAME_SHAPE) {
        requireSameShape(node, context.input(0), context.input(1));
      } else {
        requireSameCount(context.input(0), context.input(1));
      }
      return List.of(compute(context, op, type));
    };
  }

  /**
   * TF's check for BinaryElementWiseOp kernels (ReluGrad, Relu6Grad, EluGrad): equal shapes, rank
   * at most 8.
   *
   * @throws KernelException "Inputs to operation g of type ReluGrad must have the same size and
   *     shape.  Input 0: [2,3] != input 1: [6]"
   */
  public static void requireSameShape(NodeDef node, Tensor a, Tensor b) {
    if (!a.shape().equals(b.shape())) {
      throw new KernelException("Inputs to operation " + node.getName() + " of type " + node.getOp()
          + " must have the same size and shape.  Input 0: " + a.shape() + " != input 1: " + b.shape());
    }
    if (a.shape().rank() > 8) {
      throw new KernelException("We only handle up to Tensor::dims() up to 8, not " + a.shape().rank());
    }
  }

  /**
   * TF's check for the simple cwise gradient kernels (SigmoidGrad, TanhGrad, SqrtGrad, RsqrtGrad,
   * ReciprocalGrad): equal element counts, whatever the shapes.
   *
   * @throws KernelException "The two arguments to a cwise op must have same number of elements, got
   *     6 and 5"
   */
  public static void requireSameCount(Tensor a, Tensor b) {
    if (a.numElements() != b.numElements()) {
      throw new KernelException("The two arguments to a cwise op must have same number of elements, got "
          + a.numElements() + " and " + b.numElements());
    }
  }

  /**
   * {@code op} applied to inputs 0 and 1 of the context (same dtype {@code type} and element count,
   * already checked), with input 0's shape.
   */
  public static Tensor compute(KernelContext context, Arithmetic op, DType type) {
    Tensor a = context.input(0);
    Tensor b = context.input(1);
    if (a.numElements() == 0) {
      return Tensor.of(type, a.shape(), new byte[0]);
    }
    ResultMemory result = ResultMemory.of(context, type, a.shape(), 0, 1);
    apply(op, type, a.data(), b.data(), result.bytes(), Math.toIntExact(a.numElements()));
    return result.publish(context);
  }

  /**
   * {@code out[i] = op(a[i], b[i])} for {@code n} elements of {@code type}: little-endian buffers
   * positioned at element 0 and holding n elements; {@code out} may be {@code a} or {@code b}.
   */
  public static void apply(Arithmetic op, DType type, ByteBuffer a, ByteBuffer b, ByteBuffer out, int n) {
    switch (type) {
      case FLOAT -> {
        if (op.floatsOnBits()) {
          floatBits(op, a.asIntBuffer(), b.asIntBuffer(), out.asIntBuffer(), n);
        } else {
          floats(op, a.asFloatBuffer(), b.asFloatBuffer(), out.asFloatBuffer(), n);
        }
      }
      case DOUBLE -> doubles(op, a.asDoubleBuffer(), b.asDoubleBuffer(), out.asDoubleBuffer(), n);
      default -> elements(op, type, view(type, a, n), view(type, b, n), out.duplicate().order(ByteOrder.LITTLE_ENDIAN));
    }
  }

  /** The operands in blocks of at most {@link #BLOCK} elements, copied in and out in bulk. */
  private interface Block {
    void run(int start, int length);
  }

  private static void inBlocks(int n, Block block) {
    for (int start = 0; start < n; start += BLOCK) {
      block.run(start, Math.min(BLOCK, n - start));
    }
  }

  private static void floats(Arithmetic op, FloatBuffer a, FloatBuffer b, FloatBuffer out, int n) {
    float[] x = new float[Math.min(n, BLOCK)];
    float[] y = new float[x.length];
    inBlocks(n, (start, length) -> {
      a.get(start, x, 0, length);
      b.get(start, y, 0, length);
      op.floats(x, y, length);
      out.put(start, x, 0, length);
    });
  }

  private static void floatBits(Arithmetic op, IntBuffer a, IntBuffer b, IntBuffer out, int n) {
    int[] x = new int[Math.min(n, BLOCK)];
    int[] y = new int[x.length];
    inBlocks(n, (start, length) -> {
      a.get(start, x, 0, length);
      b.get(start, y, 0, length);
      op.floatBits(x, y, length);
      out.put(start, x, 0, length);
    });
  }

  private static void doubles(Arithmetic op, DoubleBuffer a, DoubleBuffer b, DoubleBuffer out, int n) {
    double[] x = new double[Math.min(n, BLOCK)];
    double[] y = new double[x.length];
    inBlocks(n, (start, length) -> {
      a.get(start, x, 0, length);
      b.get(start, y, 0, length);
      op.doubles(x, y, length);
      out.put(start, x, 0, length);
    });
  }

  /** {@code n} elements of a buffer, to read as numbers. */
  private static Tensor view(DType type, ByteBuffer bytes, int n) {
    return Tensor.wrap(type, Shape.of(n), bytes.duplicate().limit(n * type.byteWidth()));
  }

  /**
   * float16 and bfloat16 widened to float32, the results rounded once; integers in long arithmetic,
   * wrapped to their width. Written relatively into {@code out}.
   */
  private static void elements(Arithmetic op, DType type, Tensor a, Tensor b, ByteBuffer out) {
    int n = Math.toIntExact(a.numElements());
    if (Numbers.INTEGERS.contains(type)) {
      for (int i = 0; i < n; i++) {
        Numbers.putLong(out, type, op.integers(a.longAt(i), b.longAt(i), type));
      }
      return;
    }
    float[] x = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) a.doubleAt(i);
      y[i] = (float) b.doubleAt(i);
    }
    op.floats(x, y, n);
    for (float value : x) {
      Numbers.putDouble(out, type, value);
    }
  }
}
