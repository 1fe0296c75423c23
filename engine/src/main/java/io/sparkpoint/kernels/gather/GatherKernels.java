package io.sparkpoint.kernels.gather;

import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;

/**
 * The gather family with TensorFlow semantics: GatherV2 (axis input, batch_dims, int32/int64
 * indices, TF's "indices[i] = v is not in [0, n)" error) and OneHot (axis attr, uint8/int8/int32/
 * int64 indices, out-of-range indices all off), for every fixed-width and string element dtype; and
 * UnsortedSegmentSum, the reverse of a gather, for the float and integer dtypes.
 * Kernels are stateless and thread-safe.
 */
public final class GatherKernels implements KernelProvider {
  @Override
  public void register(KernelRegistry registry) {
    registry.register("GatherV2", GatherV2::kernel);
    registry.register("OneHot", OneHot::kernel);
    registry.register("UnsortedSegmentSum", UnsortedSegmentSum::kernel);
  }
}
