package io.sparkpoint.exec;

import io.sparkpoint.tensor.Tensor;
import java.util.List;

/**
 * Computes one node's outputs from its inputs. A kernel is created once per node when a run is
 * planned (so attrs are parsed and checked once) and may be called many times, from several
 * threads for runs that do not assign variables. Several plans may each hold a kernel for the same
 * node, so a kernel keeps no state between runs: a stateful op keeps it in
 * {@link KernelContext#nodeState}.
 */
@FunctionalInterface
public interface Kernel {
  /**
   * @return the node's outputs, one tensor per output port, in order
   * @throws KernelException naming what is wrong with the inputs
   */
  List<Tensor> compute(KernelContext context);
}
