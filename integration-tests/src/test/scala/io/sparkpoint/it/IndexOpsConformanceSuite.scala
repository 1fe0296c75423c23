package io.sparkpoint.it

import io.sparkpoint.tensor.DType

/**
 * The kernels TensorFlow's gradients emit for Sum, Mean, Reshape, Concat, Slice, StridedSlice, Gather, Transpose and
 * broadcasting, against TensorFlow 2.18 on [[ConformanceSuite]]: FloorDiv, FloorMod, Mod (io.sparkpoint.kernels.math),
 * ShapeN, InvertPermutation, ConcatOffset, BroadcastTo, Pad, DynamicStitch, StridedSliceGrad
 * (io.sparkpoint.kernels.array) and UnsortedSegmentSum (io.sparkpoint.kernels.gather); and Cumprod and ListDiff, which
 * Prod's gradient emits (Cumprod in the Accumulating family: running products in the dtype's arithmetic).
 *
 * Tolerance: every op here is Exact ([[KernelConformanceSuite]]'s table), for every dtype. The array ops only move
 * elements. FloorDiv is floor of the quotient rounded to the dtype, FloorMod and Mod are built on fmod, which is
 * exact, so all three are bit for bit. UnsortedSegmentSum adds each output element's rows in input order in the
 * dtype's own arithmetic, as TensorFlow's CPU kernel does, so its float32 sums match bit for bit too.
 *
 * Dtypes: float32, float64, int32 and int64 for the math ops (Mod has no other CPU kernel), plus uint8 for FloorDiv
 * and FloorMod; every dtype with bool and strings for the ops that move elements (ShapeN, BroadcastTo, Pad,
 * DynamicStitch, StridedSliceGrad); int32 and int64 for the index vectors (InvertPermutation, ConcatOffset's
 * shape_type); float32, float64, int32, int64 and uint8 for UnsortedSegmentSum. Shapes, paddings, indices and
 * begin/end/strides are fixed int32 Consts, int64 in the cases labelled "int64". uint8 inputs are Consts too (the
 * oracle cannot feed uint8).
 *
 * Error cases (label "error", one dtype) feed the offending inputs through Placeholders of unknown shape where
 * TensorFlow's shape inference would otherwise refuse the graph first; our messages carry TensorFlow's words.
 *
 * What TensorFlow 2.18 does here that a reader might not guess: integer FloorDiv of the lowest int32 by -1 gives the
 * lowest int32 and FloorMod 0 (no trap); float FloorDiv of -1 by +inf is -0 (not -1), FloorMod of -1 by +inf is +inf;
 * BroadcastTo checks the shapes before it looks at an empty result ([2] to [0,3] fails); DynamicStitch fills rows no
 * index names with zeros; UnsortedSegmentSum drops negative ids but checks the others only when data is not empty,
 * so num_segments 0 fails for any non-negative id.
 */
class IndexOpsConformanceSuite extends ConformanceSuite(IndexOpsConformanceSuite.cases)

object IndexOpsConformanceSuite {
  import KernelConformance._

  private val I: Seq[DType] = Seq(DType.INT32, DType.INT64)
  private val F32: Seq[DType] = Seq(DType.FLOAT)
  private val U8: Seq[DType] = Seq(DType.UINT8)
  private val int32 = DType.INT32

  /** A fixed int32 Const of any shape (indices, paddings, segment ids). */
  private def idx(shape: Long*)(values: Long*) =
    In(shape, edges = values.map(_.toDouble), const = true, dtype = Some(int32))
  /** A Const of the tested dtype holding these values (shapes of ConcatOffset under shape_type int32 and int64). */
  private def vecOf(values: Long*) = In(Seq(values.size.toLong), edges = values.map(_.toDouble), const = true)
  /** A [n, 2] paddings Const from before/after pairs. */
  private def pads(pairs: Long*) = idx(pairs.size / 2L, 2)(pairs: _*)

  /** FloorDiv, FloorMod or Mod. */
  private def dm(op: String, x: In, y: In, label: String, dts: Seq[DType] = FI) = KCase(op, Seq(x, y), dts, Exact, label = label)
  /** An op that only moves elements: every dtype. */
  private def mv(op: String, ins: Seq[In], label: String = "", attrs: Seq[(String, Any)] = Nil, outputs: Int = 1) =
    KCase(op, ins, FIBS, Exact, Seq("T" -> Dt) ++ attrs, outputs, label)
  /** A case that must fail with `gist` in both kernels' messages. */
  private def err(op: String, ins: Seq[In], gist: String, attrs: Seq[(String, Any)] = Seq("T" -> Dt), dts: Seq[DType] = F32) =
    KCase(op, ins, dts, Exact, attrs, label = "error", error = gist)

  private def stitch(indices: Seq[In], data: Seq[In], label: String) =
    mv("DynamicStitch", indices ++ data, label, Seq("N" -> indices.size))
  private def concatOffset(axis: In, shapes: Seq[In], label: String = "", error: String = "") =
    KCase("ConcatOffset", axis +: shapes, I, Exact, Seq("N" -> shapes.size, "shape_type" -> Dt), shapes.size, label, error)
  private def segmentSum(data: In, ids: In, num: In, label: String = "", dts: Seq[DType] = FI,
      idType: DType = int32) =
    KCase("UnsortedSegmentSum", Seq(data, ids, num), dts, Exact,
      Seq("T" -> Dt, "Tindices" -> idType, "Tnumsegments" -> num.dtype.getOrElse(int32)), label = label)

  /** StridedSliceGrad of a slice of an input of `shape`; dy (random, of the tested dtype) has the slice's shape. */
  private def ssg(shape: Seq[Long], begin: Seq[Long], end: Seq[Long], strides: Seq[Long], dy: Seq[Long], label: String,
      masks: (Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0)) =
    mv("StridedSliceGrad", Seq(ints(shape: _*), ints(begin: _*), ints(end: _*), ints(strides: _*), In(dy)), label,
      maskAttrs(masks) :+ ("Index" -> int32))
  private def maskAttrs(m: (Int, Int, Int, Int, Int)): Seq[(String, Any)] =
    Seq("begin_mask" -> m._1, "end_mask" -> m._2, "ellipsis_mask" -> m._3, "new_axis_mask" -> m._4, "shrink_axis_mask" -> m._5)

  private val divisors = In(Seq(2, 4), -5, 5, whole = true, nz = true)
  private val signs = (In(Seq(8), edges = Seq(7, -7, 7, -7, 0, -1, 6, -6)), In(Seq(8), edges = Seq(2, 2, -2, -2, 3, 3, -3, 3)))
  private val int32Limits = (In(Seq(6), edges = Seq(-2147483648.0, 2147483647, -2147483648.0, -2147483648.0, 2147483647, -2147483647)),
    In(Seq(6), edges = Seq(-1, -1, 3, 2147483647, -2147483648.0, 2)))
  private val int64Limits = (In(Seq(3), edges = Seq(-9.223372036854775808e18, -9.223372036854775808e18, 9.223372036854775807e18)),
    In(Seq(3), edges = Seq(-1, 3, -1)))
  private val byInfinity = (In(Seq(6), edges = Seq(-1, 1, -0.0, 0, 5, -5)), In(Seq(6), edges = Seq(Inf, -Inf, 3, -3, Inf, -Inf)))

  private val divMod: Seq[KCase] = Seq("FloorDiv", "FloorMod", "Mod").flatMap(op => Seq(
    dm(op, In(Seq(2, 4), -20, 20, whole = true), divisors, "mixed signs"),
    dm(op, In(Seq(2, 3), -20, 20), In(Seq(3), -5, 5, nz = true), "broadcast"),
    dm(op, v(2, 1, 3), In(Seq(4, 1), nz = true), "broadcast both"),
    dm(op, In(Nil, edges = Seq(-7)), In(Seq(2, 3), -5, 5, nz = true), "scalar x"),
    dm(op, In(Seq(2, 3), -20, 20), In(Nil, edges = Seq(-3)), "scalar y"),
    dm(op, signs._1, signs._2, "every sign, zero dividend"),
    dm(op, int32Limits._1, int32Limits._2, "int32 limits, lowest / -1", I),
    dm(op, int64Limits._1, int64Limits._2, "int64 limits", Seq(DType.INT64)),
    dm(op, v(0, 3), In(Seq(3), nz = true), "empty"),
    dm(op, specials, specials2, "NaN inf, x/0", F),
    dm(op, byInfinity._1, byInfinity._2, "by infinity, signed zeros", F),
    dm(op, In(Seq(2, 5), -1e7, 1e7), In(Seq(2, 5), 0.001, 0.1), "large quotients", F),
    KCase(op, Seq(In(Seq(3), edges = Seq(1, 2, 3)), In(Seq(3), edges = Seq(1, 0, 2))), I, Exact, label = "error",
      error = "Integer division by zero"),
    KCase(op, Seq(v(2).fed, v(3).fed), F32, Exact, label = "error", error = "Incompatible shapes: [2] vs. [3]"),
  )) ++ Seq("FloorDiv", "FloorMod").flatMap(op => Seq(
    dm(op, In(Seq(2, 4), 0, 250, const = true), In(Seq(2, 4), 1, 20, const = true), "uint8", U8),
    KCase(op, Seq(In(Seq(2), 0, 9, const = true), In(Seq(2), edges = Seq(0, 1), const = true)), U8, Exact, label = "error",
      error = "Integer division by zero"),
  ))

  /** Prod's gradient: Cumprod (Accumulating: running products) and ListDiff (exact). */
  private val prodGradOps: Seq[KCase] = Seq(
    KCase("Cumprod", Seq(In(Seq(3, 4), -2, 2), int(1)), FI, Accumulating, Seq("T" -> Dt, "Tidx" -> int32)),
    KCase("Cumprod", Seq(In(Seq(3, 4), -2, 2), int(0)), FI, Accumulating, Seq("T" -> Dt, "Tidx" -> int32, "exclusive" -> true),
      label = "exclusive"),
    KCase("Cumprod", Seq(In(Seq(2, 3, 4), -2, 2), int(-2)), FI, Accumulating,
      Seq("T" -> Dt, "Tidx" -> int32, "exclusive" -> true, "reverse" -> true), label = "exclusive reverse"),
    KCase("Cumprod", Seq(In(Seq(5), edges = Seq(2, 0, 3, -1, 4)), int(0)), FI, Accumulating,
      Seq("T" -> Dt, "Tidx" -> int32, "reverse" -> true), label = "zero reverse"),
    KCase("Cumprod", Seq(In(Seq(0, 3)), int(0)), FI, Exact, Seq("T" -> Dt, "Tidx" -> int32), label = "empty"),
    err("Cumprod", Seq(In(Seq(3, 4), unknownShape = true), int(2)), "ScanOp: Expected scan axis in the range [-2, 2), but got 2",
      Seq("T" -> Dt, "Tidx" -> int32)),
    KCase("ListDiff", Seq(vecOf(1, 2, 3, 4, 2, 6), vecOf(2, 4, 7)), FI, Exact, Seq("T" -> Dt, "out_idx" -> int32), outputs = 2),
    KCase("ListDiff", Seq(vecOf(3, 1), vecOf()), FI, Exact, Seq("T" -> Dt, "out_idx" -> DType.INT64), outputs = 2,
      label = "nothing removed, int64 indices"),
    KCase("ListDiff", Seq(vecOf(5, 5), vecOf(5)), FI, Exact, Seq("T" -> Dt, "out_idx" -> int32), outputs = 2, label = "all removed"),
    err("ListDiff", Seq(In(Seq(2, 2), unknownShape = true), vecOf(1)), "x should be a 1D vector.", Seq("T" -> Dt, "out_idx" -> int32)),
  )

  private val indexVectors: Seq[KCase] = Seq(
    KCase("ShapeN", Seq(v(2, 3), v(), v(0, 4, 1)), FIBS, Exact, Seq("T" -> Dt, "N" -> 3), outputs = 3),
    KCase("ShapeN", Seq(v(5)), FIBS, Exact, Seq("T" -> Dt, "N" -> 1, "out_type" -> DType.INT64), label = "int64"),
    KCase("InvertPermutation", Seq(vecOf(3, 0, 4, 1, 2)), I, Exact),
    KCase("InvertPermutation", Seq(In(Seq(6), edges = Seq(5, 3, 1, 0, 2, 4))), I, Exact, label = "fed"),
    KCase("InvertPermutation", Seq(vecOf(0)), I, Exact, label = "one"),
    KCase("InvertPermutation", Seq(In(Seq(0))), I, Exact, label = "empty"),
    err("InvertPermutation", Seq(In(Seq(2), edges = Seq(0, 2))), "2 is not between 0 and 2", dts = I),
    err("InvertPermutation", Seq(In(Seq(3), edges = Seq(0, -1, 1))), "-1 is not between 0 and 3", dts = I),
    err("InvertPermutation", Seq(In(Seq(3), edges = Seq(1, 1, 0))), "1 is duplicated in the input.", dts = I),
    err("InvertPermutation", Seq(In(Seq(1, 2), edges = Seq(0, 1)).fed), "invert_permutation expects a 1D vector.", dts = I),
    concatOffset(int(1), Seq(vecOf(2, 2, 5, 7), vecOf(2, 3, 5, 7), vecOf(2, 4, 5, 7)), "axis 1"),
    concatOffset(int(0), Seq(vecOf(3, 4), vecOf(1, 4)), "axis 0"),
    concatOffset(int(-1), Seq(vecOf(2, 3), vecOf(2, 0), vecOf(2, 5)), "negative axis, empty part"),
    concatOffset(int(0), Seq(vecOf(4), vecOf(5)), "rank 1"),
    concatOffset(int(4).fed, Seq(vecOf(2, 2, 5, 7), vecOf(2, 3, 5, 7)), "error", "Concat dim is out of range: 4 vs. 4"),
    concatOffset(int(1), Seq(vecOf(2, 2, 5, 7), vecOf(3, 3, 5, 7)), "error",
      "All dimensions except 1 must match. Input 1 has shape [3 3 5 7] and doesn't match input 0 with shape [2 2 5 7]."),
    concatOffset(int(1), Seq(vecOf(2, 2, 5, 7), vecOf(2, 3, 5).fed), "error", "input 1 should contain 4 elements, but got 3"),
    concatOffset(ints(1).fed, Seq(vecOf(2, 2), vecOf(2, 3)), "error", "Concat dim tensor should be a scalar integer, but got shape [1]"),
    concatOffset(int(1), Seq(vecOf(2, 2), In(Seq(1, 2), edges = Seq(2, 3)).fed), "error", "input 2 should be a vector, but got shape [1,2]"),
  )

  private val grow: Seq[KCase] = Seq(
    mv("BroadcastTo", Seq(v(3), ints(2, 3)), "rows", Seq("Tidx" -> int32)),
    mv("BroadcastTo", Seq(v(2, 1), ints(2, 3)), "columns", Seq("Tidx" -> int32)),
    mv("BroadcastTo", Seq(v(1, 3), ints(4, 2, 3)), "new and stretched axes", Seq("Tidx" -> int32)),
    mv("BroadcastTo", Seq(v(), ints(2, 2)), "scalar", Seq("Tidx" -> int32)),
    mv("BroadcastTo", Seq(v(2, 3), ints(2, 3)), "same shape", Seq("Tidx" -> int32)),
    mv("BroadcastTo", Seq(v(1), ints(0, 3)), "empty", Seq("Tidx" -> int32)),
    mv("BroadcastTo", Seq(v(2, 1, 2), ints(2, 3, 2).i64), "int64", Seq("Tidx" -> DType.INT64)),
    err("BroadcastTo", Seq(v(1, 2).fed, ints(2)), "Rank of input (2) must be no greater than rank of output shape (1).", Seq("T" -> Dt, "Tidx" -> int32)),
    err("BroadcastTo", Seq(v(2).fed, ints(3)), "Incompatible shapes: [2] vs. [3]", Seq("T" -> Dt, "Tidx" -> int32)),
    err("BroadcastTo", Seq(v(2).fed, ints(0, 3)), "Incompatible shapes: [2] vs. [0,3]", Seq("T" -> Dt, "Tidx" -> int32)),
    err("BroadcastTo", Seq(v(3).fed, ints(1, 1)), "Unable to broadcast tensor of shape [3] to tensor of shape [1,1]", Seq("T" -> Dt, "Tidx" -> int32)),
    err("BroadcastTo", Seq(v(1), ints(2, -1).fed), "Dimension -1 must be >= 0", Seq("T" -> Dt, "Tidx" -> int32)),
    mv("Pad", Seq(v(2, 2), pads(1, 0, 0, 2)), "rank 2", Seq("Tpaddings" -> int32)),
    mv("Pad", Seq(v(3), pads(2, 1)), "rank 1", Seq("Tpaddings" -> int32)),
    mv("Pad", Seq(v(2, 1, 3), pads(0, 1, 2, 0, 1, 1)), "rank 3", Seq("Tpaddings" -> int32)),
    mv("Pad", Seq(v(2, 3), pads(0, 0, 0, 0)), "nothing to pad", Seq("Tpaddings" -> int32)),
    mv("Pad", Seq(v(0, 2), pads(1, 1, 0, 1)), "empty input", Seq("Tpaddings" -> int32)),
    mv("Pad", Seq(v(), idx(0, 2)()), "scalar", Seq("Tpaddings" -> int32)),
    mv("Pad", Seq(v(2, 2), pads(1, 1, 1, 1).i64), "int64", Seq("Tpaddings" -> DType.INT64)),
    err("Pad", Seq(v(1, 1, 1, 1, 1, 1, 1, 1, 1).fed, In(Seq(9, 2), edges = Seq.fill(18)(0.0), dtype = Some(int32)).fed),
      "inputs rank not in [0,8]: 9", Seq("T" -> Dt, "Tpaddings" -> int32)),
    err("Pad", Seq(v(2, 2).fed, In(Seq(2, 3), edges = Seq.fill(6)(0.0), dtype = Some(int32)).fed),
      "paddings must be a matrix with 2 columns: [2,3]", Seq("T" -> Dt, "Tpaddings" -> int32)),
    err("Pad", Seq(v(2, 2).fed, pads(1, 1).fed), "The first dimension of paddings must be the rank of inputs[1,2] [2,2]",
      Seq("T" -> Dt, "Tpaddings" -> int32)),
    err("Pad", Seq(v(2, 2).fed, pads(0, 0, -1, 0).fed), "Paddings must be non-negative: -1 0", Seq("T" -> Dt, "Tpaddings" -> int32)),
  )

  private val scatter: Seq[KCase] = Seq(
    stitch(Seq(idx()(6), idx(2)(4, 1), idx(2, 2)(5, 2, 0, 3)), Seq(v(2), v(2, 2), v(2, 2, 2)), "TF's example"),
    stitch(Seq(idx(2)(0, 1), idx(1)(1)), Seq(v(2), v(1)), "a later input wins"),
    stitch(Seq(idx(3)(1, 1, 0)), Seq(v(3, 2)), "a later position wins"),
    stitch(Seq(idx(2)(3, 0)), Seq(v(2, 3)), "unnamed rows are zero"),
    stitch(Seq(In(Seq(4), edges = Seq(2, 0, 3, 1), dtype = Some(int32)), idx(0)()), Seq(v(4, 2), v(0, 2)), "fed indices"),
    stitch(Seq(idx(0)(), idx(0)()), Seq(v(0, 3), v(0, 3)), "empty"),
    err("DynamicStitch", Seq(In(Seq(2), edges = Seq(0, -1), dtype = Some(int32)), idx(1)(2), v(2), v(1)),
      "indices[1] is out of range", Seq("N" -> 2, "T" -> Dt)),
    err("DynamicStitch", Seq(idx(2)(0, 1), idx(2)(2, 3), v(2).fed, v(3).fed),
      "data[1].shape = [3] does not start with indices[1].shape = [2]", Seq("N" -> 2, "T" -> Dt)),
    err("DynamicStitch", Seq(idx(1)(0), idx(1)(1), v(1, 2).fed, v(1, 3).fed), "Need data[0].shape[1:] = data[1].shape[1:], " +
      "got data[0].shape = [1,2], data[1].shape = [1,3], indices[0].shape = [1], indices[1].shape = [1]", Seq("N" -> 2, "T" -> Dt)),
    ssg(Seq(5), Seq(1), Seq(4), Seq(1), Seq(3), "1:4"),
    ssg(Seq(5), Seq(0), Seq(5), Seq(2), Seq(3), "::2"),
    ssg(Seq(6), Seq(4), Seq(0), Seq(-1), Seq(4), "4:0:-1"),
    ssg(Seq(6), Seq(0), Seq(0), Seq(-1), Seq(6), "::-1 masks", (1, 1, 0, 0, 0)),
    ssg(Seq(7), Seq(-1), Seq(-8), Seq(-2), Seq(4), "-1:-8:-2"),
    ssg(Seq(5), Seq(10), Seq(20), Seq(1), Seq(0), "clamped past the end: empty"),
    ssg(Seq(3, 4), Seq(0, 1), Seq(0, 3), Seq(1, 1), Seq(3, 2), "[:, 1:3]", (1, 1, 0, 0, 0)),
    ssg(Seq(3, 4), Seq(0, 0), Seq(0, 0), Seq(-1, -2), Seq(3, 2), "[::-1, ::-2]", (3, 3, 0, 0, 0)),
    ssg(Seq(3, 4, 2), Seq(0, 1), Seq(0, 2), Seq(1, 1), Seq(3, 4, 1), "[..., 1:2]", (0, 0, 1, 0, 0)),
    ssg(Seq(2, 3, 4), Seq(1, 0, 2), Seq(2, 0, 3), Seq(1, 1, 1), Seq(3), "[1, ..., 2]", (0, 0, 2, 0, 5)),
    ssg(Seq(3, 4), Seq(0, 0, 1), Seq(0, 0, 3), Seq(1, 1, 1), Seq(1, 3, 2), "[newaxis, :, 1:3]", (2, 2, 0, 1, 0)),
    ssg(Seq(3, 4), Seq(0, 0), Seq(0, 0), Seq(1, 1), Seq(3, 4, 1), "[..., newaxis]", (0, 0, 1, 2, 0)),
    ssg(Seq(3, 4), Seq(1, 0), Seq(2, 0), Seq(1, 1), Seq(4), "[1, :]", (2, 2, 0, 0, 1)),
    ssg(Seq(3, 4), Seq(-1, 0), Seq(0, 0), Seq(1, 1), Seq(4), "[-1, :]", (2, 2, 0, 0, 1)),
    ssg(Seq(3, 4), Seq(2, -2), Seq(3, -1), Seq(1, 1), Nil, "[2, -2]: a scalar", (0, 0, 0, 0, 3)),
    ssg(Seq(2, 3, 4), Seq(0, 0, 0), Seq(0, 0, 0), Seq(1, 1, -1), Seq(1, 2, 3, 4), "[newaxis, ..., ::-1]", (4, 4, 2, 1, 0)),
    ssg(Seq(4, 5), Seq(1, 4), Seq(-1, 0), Seq(2, -2), Seq(1, 2), "[1:-1:2, 4:0:-2]"),
    ssg(Seq(4, 5), Seq(0, 0), Seq(10, 10), Seq(7, 9), Seq(1, 1), "strides beyond the dims"),
    ssg(Seq(4, 5), Seq(3, 0), Seq(0, 0), Seq(-1, 1), Seq(3, 5), "end_mask with negative stride", (0, 2, 0, 0, 0)),
    mv("StridedSliceGrad", Seq(ints(3, 4).i64, ints(1, 0).i64, ints(3, 4).i64, ints(1, 2).i64, v(2, 2)), "int64",
      Seq("Index" -> DType.INT64)),
    err("StridedSliceGrad", Seq(ints(4), ints(0), ints(2), ints(1), v(3)), "shape of dy was [3] instead of [2]",
      Seq("T" -> Dt, "Index" -> int32)),
    err("StridedSliceGrad", Seq(In(Seq(1, 1), edges = Seq(3), dtype = Some(int32)).fed, ints(0), ints(2), ints(1), v(2)),
      "shape must be 1-D, got shape.shape = [1,1]", Seq("T" -> Dt, "Index" -> int32)),
    err("StridedSliceGrad", Seq(ints(-3).fed, ints(0), ints(2), ints(1), v(2)), "Dimension -3 must be >= 0",
      Seq("T" -> Dt, "Index" -> int32)),
    err("StridedSliceGrad", Seq(ints(3), ints(0).fed, ints(2).fed, ints(0).fed, v(2).fed), "strides[0] must be non-zero",
      Seq("T" -> Dt, "Index" -> int32)),
    err("StridedSliceGrad", Seq(ints(3), ints(5).fed, ints(6).fed, ints(1).fed, v().fed), "slice index 5 of dimension 0 out of bounds.",
      Seq("T" -> Dt, "Index" -> int32, "shrink_axis_mask" -> 1)),
  )

  private val segments: Seq[KCase] = Seq(
    segmentSum(v(4, 2), idx(4)(0, 2, 0, -1), int(3), "negative id dropped"),
    segmentSum(v(6, 3), In(Seq(6), 0, 2.4, whole = true, dtype = Some(int32)), int(3), "fed ids"),
    segmentSum(v(2, 2, 3), idx(2, 2)(1, 0, 1, 1), int(2), "ids of rank 2"),
    segmentSum(v(), idx()(1), int(2), "scalar"),
    segmentSum(v(3), idx(3)(0, 0, 0), int(4), "unused segments"),
    segmentSum(v(3, 2), In(Seq(3), edges = Seq(2, 0, 2), const = true, dtype = Some(DType.INT64)), int(3).i64, "int64",
      idType = DType.INT64),
    segmentSum(v(2, 0), idx(2)(0, 9), int(1), "empty data: ids not checked"),
    segmentSum(v(2), idx(2)(-1, -2), int(0), "no segments, all dropped"),
    segmentSum(In(Seq(64, 16), -3, 3), In(Seq(64), 0, 9.4, whole = true, dtype = Some(int32)), int(10), "many rows", F),
    segmentSum(In(Seq(4), edges = Seq(1e8, 1, -1e8, 1)), idx(4)(0, 0, 0, 1), int(2), "float32 adds in input order", F),
    segmentSum(In(Seq(3), edges = Seq(2e9, 2e9, 7)), idx(3)(0, 0, 1), int(2), "int32 wraps", I),
    segmentSum(In(Seq(4), 0, 250, const = true), idx(4)(0, 0, 0, 1), int(2), "uint8 wraps", U8),
    err("UnsortedSegmentSum", Seq(v(3, 2), In(Seq(3), edges = Seq(0, 1, 3), dtype = Some(int32)), int(3)),
      "segment_ids[2] = 3 is out of range [0, 3)", Seq("T" -> Dt, "Tindices" -> int32)),
    err("UnsortedSegmentSum", Seq(v(3, 2), In(Seq(3, 2), edges = Seq(0, 0, 0, 7, 0, 0), dtype = Some(int32)), int(3)),
      "segment_ids[1,1] = 7 is out of range [0, 3)", Seq("T" -> Dt, "Tindices" -> int32)),
    err("UnsortedSegmentSum", Seq(v(3, 2).fed, idx(2)(0, 1).fed, int(3)),
      "data.shape = [3,2] does not start with segment_ids.shape = [2]", Seq("T" -> Dt, "Tindices" -> int32)),
    err("UnsortedSegmentSum", Seq(v(3), idx(3)(0, 1, 2), ints(3).fed), "num_segments should be a scalar, not shape [1]",
      Seq("T" -> Dt, "Tindices" -> int32)),
    err("UnsortedSegmentSum", Seq(v(3), idx(3)(0, 1, 2), int(-1).fed), "Input num_segments == -1 must not be negative.",
      Seq("T" -> Dt, "Tindices" -> int32)),
    err("UnsortedSegmentSum", Seq(v(2), idx(2)(0, 1), int(0).fed), "segment_ids[0] = 0 is out of range [0, 0)",
      Seq("T" -> Dt, "Tindices" -> int32)),
  )

  val cases: Seq[KCase] = divMod ++ indexVectors ++ grow ++ scatter ++ segments ++ prodGradOps
}
