package io.sparkpoint.exec;

import io.sparkpoint.proto.NodeDef;

/** Makes the kernel of one node; checks the node's attrs once, before any run. */
@FunctionalInterface
public interface KernelFactory {
  /**
   * @throws KernelException when the node's attrs are not supported
   */
  Kernel create(NodeDef node);
}
