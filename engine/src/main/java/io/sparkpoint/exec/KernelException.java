package io.sparkpoint.exec;

/**
 * A node failed to run (TensorFlow's InvalidArgument and friends). The executor adds the node's
 * name, op and input shapes to the message.
 */
public class KernelException extends RuntimeException {
  public KernelException(String message) {
    super(message);
  }

  public KernelException(String message, Throwable cause) {
    super(message, cause);
  }
}
