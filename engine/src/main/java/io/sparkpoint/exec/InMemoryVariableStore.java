package io.sparkpoint.exec;

import io.sparkpoint.tensor.Tensor;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Variables held on the heap, the default store of a {@link Session}. Tensors are immutable, so
 * an assignment replaces a variable's value atomically: a concurrent reader sees the old or the
 * new value, never a mix.
 */
public final class InMemoryVariableStore implements VariableStore {
  private final Map<String, Tensor> values = new ConcurrentHashMap<>();
  private final Map<String, io.sparkpoint.tensor.Shape> declared = new ConcurrentHashMap<>();

  @Override
  public Tensor read(String name) {
    Tensor value = values.get(name);
    if (value == null) {
      throw new KernelException("Attempting to use uninitialized value " + name);
    }
    return value;
  }

  @Override
  public void assign(String name, Tensor value) {
    values.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
  }

  @Override
  public boolean isInitialized(String name) {
    return values.containsKey(name);
  }

  @Override
  public boolean remove(String name) {
    return values.remove(name) != null;
  }

  @Override
  public void declareShape(String name, io.sparkpoint.tensor.Shape shape) {
    declared.putIfAbsent(name, shape);
  }

  @Override
  public io.sparkpoint.tensor.Shape declaredShape(String name) {
    return declared.get(name);
  }

  /** The initialized variables and their current values, sorted by name. */
  public Map<String, Tensor> snapshot() {
    return new TreeMap<>(values);
  }
}
