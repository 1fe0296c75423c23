package io.sparkpoint.exec;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** Op type to kernel factory. */
public final class KernelRegistry {
  private final Map<String, KernelFactory> factories = new TreeMap<>();

  /** A registry with every {@link KernelProvider} on the classpath. */
  public static KernelRegistry fromServiceLoader() {
    KernelRegistry registry = new KernelRegistry();
    for (KernelProvider provider : ServiceLoader.load(KernelProvider.class)) {
      provider.register(registry);
    }
    return registry;
  }

  /**
   * @throws IllegalArgumentException when the op already has a kernel
   */
  public void register(String opType, KernelFactory factory) {
    if (factories.putIfAbsent(opType, factory) != null) {
      throw new IllegalArgumentException("Cannot register a second kernel for op " + opType);
    }
  }

  /** The factory for an op type, or null. */
  public KernelFactory factory(String opType) {
    return factories.get(opType);
  }

  public Set<String> opTypes() {
    return java.util.Collections.unmodifiableSet(factories.keySet());
  }
}
