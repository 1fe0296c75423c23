package io.sparkpoint.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.sparkpoint.exec.KernelContext;
import io.sparkpoint.exec.KernelFactory;
import io.sparkpoint.exec.KernelRegistry;
import io.sparkpoint.exec.VariableStore;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Tensor;
import java.util.List;

/**
 * Runs one kernel on one node, as the executor would, without a Session; and compares results.
 *
 * <p>Tolerances, per dtype, relative to the expected value (absolute when it is 0): float32 1e-6,
 * float64 1e-12; integer and bool results must be exact. NaN matches only NaN.
 */
public final class KernelRunner {
  public static final double FLOAT32_TOLERANCE = 1e-6;
  public static final double FLOAT64_TOLERANCE = 1e-12;

  /** Every kernel provider listed in META-INF/services, as the Session finds them. */
  private static final KernelRegistry REGISTRY = KernelRegistry.fromServiceLoader();

  private KernelRunner() {}

  /** A node builder for {@code op}, named after it. */
  public static NodeDef.Builder node(String op) {
    return NodeDef.newBuilder().setName(op.toLowerCase()).setOp(op);
  }

  public static AttrValue bool(boolean value) {
    return AttrValue.newBuilder().setB(value).build();
  }

  public static AttrValue string(String value) {
    return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(value)).build();
  }

  public static AttrValue type(DType value) {
    return AttrValue.newBuilder().setTypeValue(value.number()).build();
  }

  public static AttrValue integer(long value) {
    return AttrValue.newBuilder().setI(value).build();
  }

  public static AttrValue integers(long... values) {
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    for (long value : values) {
      list.addI(value);
    }
    return AttrValue.newBuilder().setList(list).build();
  }

  /** Creates the node's kernel (attr checks happen here) and runs it once on the inputs. */
  public static Tensor run(NodeDef.Builder node, Tensor... inputs) {
    List<Tensor> outputs = runAll(node, inputs);
    assertThat(outputs).hasSize(1);
    return outputs.get(0);
  }

  /** Like {@link #run(NodeDef.Builder, Tensor...)} for kernels with several outputs. */
  public static List<Tensor> runAll(NodeDef.Builder node, Tensor... inputs) {
    NodeDef def = node.build();
    KernelFactory factory = REGISTRY.factory(def.getOp());
    assertThat(factory).as("kernel for %s", def.getOp()).isNotNull();
    return factory.create(def).compute(new Context(def, List.of(inputs)));
  }

  public static Tensor run(String op, Tensor... inputs) {
    return run(node(op), inputs);
  }

  /** Asserts dtype, shape and values within the dtype's tolerance. */
  public static void assertClose(Tensor actual, Tensor expected) {
    assertThat(actual.dtype()).isEqualTo(expected.dtype());
    assertThat(actual.shape()).isEqualTo(expected.shape());
    double tolerance = switch (expected.dtype()) {
      case FLOAT -> FLOAT32_TOLERANCE;
      case DOUBLE -> FLOAT64_TOLERANCE;
      default -> 0;
    };
    for (long i = 0; i < expected.numElements(); i++) {
      if (tolerance == 0) {
        assertThat(actual.longAt(i)).as("element %d of %s", i, actual).isEqualTo(expected.longAt(i));
        continue;
      }
      double want = expected.doubleAt(i);
      double got = actual.doubleAt(i);
      if (Double.isNaN(want) || Double.isInfinite(want)) {
        assertThat(Double.valueOf(got)).as("element %d of %s", i, actual).isEqualTo(Double.valueOf(want));
      } else {
        double bound = tolerance * (want == 0 ? 1 : Math.abs(want));
        assertThat(Math.abs(got - want)).as("element %d: %s vs expected %s", i, got, want).isLessThanOrEqualTo(bound);
      }
    }
  }

  private record Context(NodeDef node, List<Tensor> inputs) implements KernelContext {
    @Override
    public VariableStore variables() {
      throw new UnsupportedOperationException("math, nn, array and reduce kernels use no variables");
    }
  }
}
