package io.sparkpoint.kernels.array;

import io.sparkpoint.exec.KernelProvider;
import io.sparkpoint.exec.KernelRegistry;

/**
 * The array family with TensorFlow semantics: Reshape, Shape, Size, Rank, ExpandDims, Squeeze,
 * ConcatV2, Pack, Unpack, Slice, StridedSlice, Transpose, Tile, Fill, ZerosLike, OnesLike, Cast and
 * Range; and the ops TensorFlow's gradients of them emit: ShapeN, InvertPermutation, ConcatOffset,
 * BroadcastTo, Pad, DynamicStitch and StridedSliceGrad. Ops that only move elements work on the
 * little-endian bytes of every fixed-width dtype and on strings; Cast, Range and OnesLike cover
 * the float, integer and bool dtypes. Index inputs (shapes, axes, perms, multiples, begin/size)
 * are int32 or int64. Kernels are stateless and thread-safe. BroadcastGradientArgs gives the axes
 * along which broadcast operands' gradients are summed.
 */
public final class ArrayKernels implements KernelProvider {
  @Override
  public void register(KernelRegistry registry) {
    registry.register("Reshape", ShapeKernels::reshape);
    registry.register("Shape", ShapeKernels::shape);
    registry.register("Size", ShapeKernels::size);
    registry.register("Rank", ShapeKernels::rank);
    registry.register("ExpandDims", ShapeKernels::expandDims);
    registry.register("Squeeze", ShapeKernels::squeeze);
    registry.register("Fill", ShapeKernels::fill);
    registry.register("ZerosLike", ShapeKernels::zerosLike);
    registry.register("ConcatV2", JoinKernels::concat);
    registry.register("Pack", JoinKernels::pack);
    registry.register("Unpack", JoinKernels::unpack);
    registry.register("Tile", JoinKernels::tile);
    registry.register("Slice", SliceKernels::slice);
    registry.register("StridedSlice", SliceKernels::stridedSlice);
    registry.register("Transpose", SliceKernels::transpose);
    registry.register("OnesLike", ValueKernels::onesLike);
    registry.register("Cast", ValueKernels::cast);
    registry.register("Range", ValueKernels::range);
    registry.register("ListDiff", ListDiff::kernel);
    registry.register("ShapeN", IndexVectorKernels::shapeN);
    registry.register("InvertPermutation", IndexVectorKernels::invertPermutation);
    registry.register("ConcatOffset", IndexVectorKernels::concatOffset);
    registry.register("BroadcastTo", BroadcastTo::kernel);
    registry.register("Pad", Pad::kernel);
    registry.register("DynamicStitch", DynamicStitch::kernel);
    registry.register("StridedSliceGrad", StridedSliceGrad::kernel);
    registry.register("BroadcastGradientArgs", BroadcastGradientArgs::kernel);
  }
}
