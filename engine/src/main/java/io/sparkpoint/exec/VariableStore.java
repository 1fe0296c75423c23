package io.sparkpoint.exec;

import io.sparkpoint.tensor.Tensor;

/**
 * The values of a session's variables, by variable name (a VariableV2 node's name, or a
 * VarHandleOp's shared_name or node name). Thread-safe.
 */
public interface VariableStore {
  /**
   * The current value.
   *
   * @throws KernelException "Attempting to use uninitialized value NAME" when never assigned
   */
  Tensor read(String name);

  void assign(String name, Tensor value);

  boolean isInitialized(String name);

  /**
   * Forgets the variable's value (DestroyResourceOp): it reads as uninitialized until assigned
   * again.
   *
   * @return whether it had a value
   */
  boolean remove(String name);

  /**
   * Records a variable's declared, fully defined shape (VariableV2's {@code shape} attr), so that a
   * validating Assign to an uninitialized variable checks it, as TensorFlow does.
   */
  default void declareShape(String name, io.sparkpoint.tensor.Shape shape) {}

  /** The declared shape, or null when unknown. */
  default io.sparkpoint.tensor.Shape declaredShape(String name) {
    return null;
  }
}
