package io.sparkpoint.kernels.io;

import io.sparkpoint.exec.Kernel;
import io.sparkpoint.exec.KernelException;
import io.sparkpoint.kernels.NodeAttrs;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The string ops a Saver graph builds its file names with. */
final class FilenameKernels {
  private FilenameKernels() {}

  /** {@code "%s-%05d-of-%05d"} of basename, shard and num_shards. */
  static Kernel shardedFilename(NodeDef node) {
    return context -> {
      String base = StringTensors.scalar(context.input(0), "Input basename");
      int shard = StringTensors.int32Scalar(context.input(1), "Input shard");
      int shards = StringTensors.int32Scalar(context.input(2), "Input num_shards");
      return List.of(StringTensors.scalarOf(String.format("%s-%05d-of-%05d", base, shard, shards)));
    };
  }

  /** {@code "%s-?????-of-%05d"} of basename and num_shards. */
  static Kernel shardedFilespec(NodeDef node) {
    return context -> {
      String base = StringTensors.scalar(context.input(0), "Input basename");
      int shards = StringTensors.int32Scalar(context.input(1), "Input num_shards");
      return List.of(StringTensors.scalarOf(String.format("%s-?????-of-%05d", base, shards)));
    };
  }

  /** Element-wise join with {@code separator}; scalars broadcast against the inputs of one common shape. */
  static Kernel stringJoin(NodeDef node) {
    String separator = NodeAttrs.string(node, "separator", "");
    return context -> {
      Shape shape = Shape.scalar();
      for (int i = 0; i < context.inputs().size(); i++) {
        Tensor input = context.input(i);
        if (input.dtype() != DType.STRING) {
          throw new KernelException("Input " + i + " must be a string tensor, got " + input.dtype().pythonName());
        }
        if (!input.shape().isScalar()) {
          if (!shape.isScalar() && !shape.equals(input.shape())) {
            throw new KernelException("Input shapes do not match: " + shape + " vs. " + input.shape());
          }
          shape = input.shape();
        }
      }
      int n = Math.toIntExact(shape.numElements());
      List<String> joined = new ArrayList<>(n);
      for (int e = 0; e < n; e++) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < context.inputs().size(); i++) {
          Tensor input = context.input(i);
          text.append(i == 0 ? "" : separator).append(StringTensors.text(input, input.shape().isScalar() ? 0 : e));
        }
        joined.add(text.toString());
      }
      return List.of(Tensor.ofStrings(shape, joined.toArray(String[]::new)));
    };
  }

  /** Whether each element matches {@code pattern} as a whole (Java regex syntax, which agrees with RE2 on the patterns Savers use). */
  static Kernel regexFullMatch(NodeDef node) {
    return context -> {
      Tensor input = context.input(0);
      String regex = StringTensors.scalar(context.input(1), "Pattern");
      Pattern pattern;
      try {
        pattern = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new KernelException("Invalid pattern: " + regex + ", error: " + e.getDescription());
      }
      List<String> elements = StringTensors.elements(input, "Input");
      boolean[] matches = new boolean[elements.size()];
      for (int i = 0; i < matches.length; i++) {
        matches[i] = pattern.matcher(elements.get(i)).matches();
      }
      return List.of(Tensor.ofBooleans(input.shape(), matches));
    };
  }
}
