package io.sparkpoint.kernels.random;

import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;

/**
 * TensorFlow's stateful random ops on the CPU: RandomUniform, RandomStandardNormal and
 * TruncatedNormal (float16, bfloat16, float32, float64) and RandomUniformInt (int32, int64), with
 * their seed and seed2 attrs and an int32 or int64 shape input.
 *
 * <p><b>Same numbers as TensorFlow.</b> With seed or seed2 set, the outputs are TF 2.18's: the same
 * Philox4x32-10 stream (key = seed, upper counter = seed2), the same 256 blocks reserved per output
 * element on every run, the same grouping of the output and the same conversions (mantissa bits
 * for uniforms, Box-Muller for normals, redraws at |x| >= 2 for truncated normals). Uniform and
 * integer outputs are bit-identical. Normals use {@link Math}'s log, sin and cos where TF has
 * glibc's: a small fraction of them are 1 or 2 ulp away from TF's (TF's own float64 normals differ
 * about as often between CPUs with and without FMA). RandomConformanceSuite holds the measurements.
 *
 * <p><b>State.</b> As in TF, a node continues its sequence on every run in the same session (the
 * second run differs from the first) and starts over in a new session; the generator lives in the
 * session ({@link io.sparkpoint.exec.KernelContext#nodeState}), shared by every plan that runs the
 * node. With seed and seed2 both 0, each session draws fresh random seeds. Thread-safe: concurrent
 * runs reserve disjoint stretches of the stream.
 */
public final class RandomKernels implements KernelProvider {
  @Override
  public void register(KernelRegistry registry) {
    registry.register("RandomUniform", RandomOps::uniform);
    registry.register("RandomStandardNormal", RandomOps::standardNormal);
    registry.register("TruncatedNormal", RandomOps::truncatedNormal);
    registry.register("RandomUniformInt", RandomOps::uniformInt);
  }
}
