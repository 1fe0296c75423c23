package io.sparkpoint.kernels.io;

import io.sparkpoint.exec.KernelException;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reading the string and int32 arguments of the checkpoint ops, with TensorFlow's checks. */
final class StringTensors {
  private StringTensors() {}

  static String scalar(Tensor tensor, String what) {
    if (tensor.dtype() != DType.STRING || !tensor.shape().isScalar()) {
      throw new KernelException(what + " must be a scalar string, got " + tensor.dtype().pythonName() + " " + tensor.shape());
    }
    return text(tensor, 0);
  }

  /** The elements of a string tensor of any shape, row-major. */
  static List<String> elements(Tensor tensor, String what) {
    if (tensor.dtype() != DType.STRING) {
      throw new KernelException(what + " must be a string tensor, got " + tensor.dtype().pythonName());
    }
    int n = Math.toIntExact(tensor.numElements());
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(text(tensor, i));
    }
    return out;
  }

  static List<String> vector(Tensor tensor, String what) {
    if (tensor.shape().rank() != 1) {
      throw new KernelException(what + " must be a vector, got shape " + tensor.shape());
    }
    return elements(tensor, what);
  }

  static int int32Scalar(Tensor tensor, String what) {
    if (tensor.dtype() != DType.INT32 || !tensor.shape().isScalar()) {
      throw new KernelException(what + " must be a scalar int32, got " + tensor.dtype().pythonName() + " " + tensor.shape());
    }
    return (int) tensor.longAt(0);
  }

  static String text(Tensor tensor, int index) {
    return new String(tensor.string(index), StandardCharsets.UTF_8);
  }

  static Tensor scalarOf(String value) {
    return Tensor.ofStrings(Shape.scalar(), value);
  }
}
