package io.sparkpoint.kernels.training;

import io.sparkpoint.exec.KernelContext;
import io.sparkpoint.tensor.Tensor;
import java.util.List;

/** How an updating op names its variable, and what it outputs. */
enum VariableStyle {
  /** TF1 ref variables (ApplyAdam, AssignAdd): the op outputs its variable input, a reference. */
  REF,
  /** Resource variables (ResourceApplyAdam, AssignAddVariableOp): the op has no outputs. */
  RESOURCE;

  List<Tensor> outputs(KernelContext context) {
    return this == REF ? List.of(context.input(0)) : List.of();
  }
}
