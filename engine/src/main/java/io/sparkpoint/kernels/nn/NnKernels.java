package io.sparkpoint.kernels.nn;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;
import io.sparkpoint.kernels.DTypeRules;
import io.sparkpoint.kernels.NdArrays;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.kernels.ResultMemory;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The nn family on ND4J: BiasAdd (NHWC), Relu, Relu6, Elu, Sigmoid, Tanh, Softmax and LogSoftmax
 * (last axis), with TensorFlow's dtype rules. Kernels are stateless and thread-safe.
 */
public final class NnKernels implements KernelProvider {
  static {
    io.sparkpoint.kernels.Nd4jRuntime.ensureConfigured();
  }

  @Override
  public void register(KernelRegistry registry) {
    for (Activation activation : Activation.values()) {
      registry.register(activation.opType, node -> {
        DTypeRules.checkTypeAttr(node, activation.types);
        return activationKernel(node, activation);
      });
    }
    registry.register("BiasAdd", NnKernels::biasAdd);
    registry.register("Softmax", node -> Softmax.kernel(node, false));
    registry.register("LogSoftmax", node -> Softmax.kernel(node, true));
  }

  private static Kernel activationKernel(NodeDef node, Activation activation) {
    return context -> {
      DType type = DTypeRules.sharedType(node, context.inputs(), activation.types, "features");
      Tensor features = context.input(0);
      if (features.numElements() == 0) {
        return List.of(features);
      }
      if (activation == Activation.RELU && JvmNn.supports(type)) {
        ResultMemory result = ResultMemory.of(context, type, features.shape(), 0);
        JvmNn.relu(features, result.bytes());
        return List.of(result.publish(context));
      }
      return List.of(typed(activation.apply(NdArrays.toNd4j(features)), type));
    };
  }

  private static Kernel biasAdd(NodeDef node) {
    DTypeRules.checkTypeAttr(node, DTypeRules.NUMBERS);
    String format = NodeAttrs.string(node, "data_format", "NHWC");
    if (!format.equals("NHWC")) {
      throw new KernelException(
          "Unsupported data_format " + format + " for BiasAdd (node " + node.getName() + "): only NHWC is supported");
    }
    return context -> {
      DTypeRules.sharedType(node, context.inputs(), DTypeRules.NUMBERS, "value", "bias");
      Shape value = context.input(0).shape();
      Shape bias = context.input(1).shape();
      if (value.rank() < 2) {
        throw new KernelException("Input tensor must be at least 2D: " + value);
      }
      if (bias.rank() != 1) {
        throw new KernelException("Biases must be 1D: " + bias);
      }
      if (bias.dim(0) != value.dim(value.rank() - 1)) {
        throw new KernelException(
            "Must provide as many biases as the last dimension of the input tensor: " + bias + " vs. " + value);
      }
      if (value.numElements() == 0) {
        return List.of(context.input(0));
      }
      if (JvmNn.supports(context.input(0).dtype())) {
        ResultMemory result = ResultMemory.of(context, context.input(0).dtype(), value, 0);
        JvmNn.biasAdd(context.input(0), context.input(1), result.bytes());
        return List.of(result.publish(context));
      }
      INDArray x = NdArrays.toNd4j(context.input(0));
      INDArray b = NdArrays.toNd4j(context.input(1));
      long channels = bias.dim(0);
      INDArray rows = x.reshape('c', value.numElements() / channels, channels);
      return List.of(NdArrays.fromNd4j(rows.addRowVector(b.reshape(1, channels)).reshape('c', value.dims())));
    };
  }

  /** The tensor of an ND4J result, kept in TF's dtype. */
  static Tensor typed(INDArray array, DType type) {
    INDArray same = array.dataType() == NdArrays.nd4jType(type) ? array : array.castTo(NdArrays.nd4jType(type));
    return NdArrays.fromNd4j(same);
  }
}
