package io.sparkpoint.exec;

/** A node's op has no kernel: "Op X is not supported by Sparkpoint (node N)". Raised when a run is planned. */
public class UnsupportedOpException extends KernelException {
  public UnsupportedOpException(String opType, String node) {
    super("Op " + opType + " is not supported by Sparkpoint (node " + node + ")");
  }
}
