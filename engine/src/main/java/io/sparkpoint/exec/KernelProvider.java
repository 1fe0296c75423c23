package io.sparkpoint.exec;

/**
 * A family of kernels, found with {@link java.util.ServiceLoader} (list implementations in
 * {@code META-INF/services/io.sparkpoint.exec.KernelProvider}), so the executor never depends on
 * the kernel implementations.
 */
public interface KernelProvider {
  void register(KernelRegistry registry);
}
