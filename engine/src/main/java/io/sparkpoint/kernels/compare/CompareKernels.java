package io.sparkpoint.kernels.compare;

import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;

/**
 * The comparison and selection family with TensorFlow semantics: Equal, NotEqual (with
 * incompatible_shape_error), Less, LessEqual, Greater, GreaterEqual, LogicalAnd, LogicalOr,
 * LogicalNot, Select and SelectV2. Binary ops broadcast as TF does and give bool tensors;
 * comparisons take every real dtype (IEEE for NaN), Equal and NotEqual also bool and string.
 * Kernels are stateless and thread-safe.
 */
public final class CompareKernels implements KernelProvider {
  @Override
  public void register(KernelRegistry registry) {
    for (Comparison op : Comparison.values()) {
      registry.register(op.opType, node -> PredicateKernels.comparison(node, op));
    }
    registry.register("LogicalAnd", node -> PredicateKernels.logical(node, true));
    registry.register("LogicalOr", node -> PredicateKernels.logical(node, false));
    registry.register("LogicalNot", PredicateKernels::logicalNot);
    registry.register("Select", SelectKernels::select);
    registry.register("SelectV2", SelectKernels::selectV2);
  }
}
