package io.sparkpoint.exec;

import io.sparkpoint.tensor.Tensor;
import java.nio.ByteBuffer;

/**
 * The values of a session's variables, by variable name (a VariableV2 node's name, or a
 * VarHandleOp's shared_name or node name). Thread-safe.
 *
 * <p>Updates that run every training step (the Apply ops) may also write in place: they read with
 * {@link #readForUpdate}, overwrite the value's own memory when the store {@link #claimForOverwrite
 * hands it over} (only memory no one else can see), and store the result with {@link #assignOwned}.
 * A store that never hands memory over keeps the defaults.
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

  /**
   * Reads the value an update is about to replace, as {@link #read} does, except that the value
   * does not count as handed out: the caller uses it only to compute the next value, and ends with
   * exactly one {@link #assignOwned} or {@link #release} of the same name, also when it fails.
   *
   * @throws KernelException "Attempting to use uninitialized value NAME" when never assigned
   */
  default Tensor readForUpdate(String name) {
    return read(name);
  }

  /**
   * The writable memory (little-endian, positioned at 0) of the value the caller read with
   * {@link #readForUpdate}, for the caller to overwrite with the next value in place; or null.
   * Only memory that no one else can see: the value was assigned {@linkplain #assignOwned owned}, no
   * one has read it, and no other update is reading it. Until the caller's {@link #assignOwned},
   * reads of the variable wait, so that no one sees a value half written. The caller must not fail
   * between this call and its assignOwned.
   */
  default ByteBuffer claimForOverwrite(String name) {
    return null;
  }

  /** Ends a {@link #readForUpdate} that assigns nothing. */
  default void release(String name) {}

  /**
   * Ends a {@link #readForUpdate} by assigning {@code value}, whose elements are {@code memory}
   * (writable, little-endian, positioned at 0, holding exactly the elements): memory that only this
   * tensor uses, and a tensor the caller neither keeps nor hands out. The next update may then
   * overwrite it in place, as long as no one reads it in between. {@code memory} is null when it must
   * never be overwritten (memory another object owns). After {@link #claimForOverwrite},
   * {@code value} is the claimed value itself, its memory now holding the next value.
   */
  default void assignOwned(String name, Tensor value, ByteBuffer memory) {
    release(name);
    assign(name, value);
  }
}
