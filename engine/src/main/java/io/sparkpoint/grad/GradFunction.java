package io.sparkpoint.grad;

import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import java.util.List;

/**
 * The gradient of one op type: given the gradients flowing into the op's outputs, adds the nodes
 * that compute the gradients of its inputs, with TensorFlow's gradient ops.
 */
@FunctionalInterface
public interface GradFunction {
  /**
   * @param nodes adds nodes inside the op's gradient scope ({@code gradients/<op>_grad/})
   * @param op the forward op
   * @param grads one per output of {@code op}; null for an output no gradient reaches (read it as zeros)
   * @return one per input of {@code op}, in order; null where the input gets no gradient
   */
  List<Output> apply(GradNodes nodes, Operation op, List<Output> grads);
}
