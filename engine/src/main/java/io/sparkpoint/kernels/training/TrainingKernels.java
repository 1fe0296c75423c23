package io.sparkpoint.kernels.training;

import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;

/**
 * The ops that update variables in a training step, as TensorFlow's CPU kernels do:
 * <ul>
 *   <li>Apply{GradientDescent, Momentum, Adam, Adagrad, AdagradV2, RMSProp, CenteredRMSProp} on ref
 *       variables (outputting the variable's reference) and their ResourceApply* twins on resource
 *       variables (no outputs), float32 and float64;
 *   <li>AssignAdd and AssignSub (ref), AssignAddVariableOp and AssignSubVariableOp (resource), for
 *       every real number type.
 * </ul>
 * Each op reads its variables, computes all new values, then stores them; stored tensors are never
 * written again, so a value read before the op never changes. Kernels are stateless and thread-safe.
 */
public final class TrainingKernels implements KernelProvider {
  @Override
  public void register(KernelRegistry registry) {
    for (Optimizer optimizer : Optimizer.values()) {
      registry.register("Apply" + optimizer.suffix, node -> ApplyKernel.create(node, optimizer, VariableStyle.REF));
      registry.register("ResourceApply" + optimizer.suffix, node -> ApplyKernel.create(node, optimizer, VariableStyle.RESOURCE));
    }
    registry.register("AssignAdd", node -> AssignUpdate.create(node, VariableStyle.REF, AssignUpdate.Sign.ADD));
    registry.register("AssignSub", node -> AssignUpdate.create(node, VariableStyle.REF, AssignUpdate.Sign.SUBTRACT));
    registry.register("AssignAddVariableOp", node -> AssignUpdate.create(node, VariableStyle.RESOURCE, AssignUpdate.Sign.ADD));
    registry.register("AssignSubVariableOp", node -> AssignUpdate.create(node, VariableStyle.RESOURCE, AssignUpdate.Sign.SUBTRACT));
  }
}
