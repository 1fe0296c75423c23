package io.sparkpoint.it

import io.sparkpoint.tensor.DType

/**
 * The array kernels (io.sparkpoint.kernels.array) against TensorFlow 2.18, on the shared [[ConformanceSuite]]
 * machinery: Reshape, Shape, Size, Rank, ExpandDims, Squeeze, ConcatV2, Pack, Unpack, Slice, StridedSlice,
 * Transpose, Tile, Fill, ZerosLike, OnesLike, Cast and Range.
 *
 * Tolerances: every op here is Exact, for every dtype ([[KernelConformanceSuite]]'s table): these ops move
 * elements or convert them one by one, and TensorFlow's results are reproducible bit for bit (Range too: it adds
 * delta in the output dtype, as TensorFlow does).
 *
 * Dtypes: float32, float64, int32 and int64 everywhere the OpDef allows them; bool and string (values "s3", "s-7")
 * where the op only moves elements (OnesLike: bool, no string; Cast: from and to bool). Axes, shapes, perms,
 * multiples and begin/end/strides are fixed int32 Consts (`ints`, `int`), int64 in the cases labelled "int64".
 *
 * Error cases (label "error", float32 only) feed the offending index input through a Placeholder of unknown shape,
 * so that TensorFlow's kernel (not its shape inference) refuses it; ours must carry the same wording.
 *
 * What TensorFlow 2.18 does here that a reader might not guess (each was a difference, now fixed in our kernels):
 * Reshape of an empty tensor infers a -1 without the input's zero dims ([0,3] to [2,0,-1] gives [2,0,1]); Cast of
 * NaN, ±inf or an out-of-range float to int32/int64 gives the lowest value (x86-64's conversion); Cast with
 * Truncate=true rounds float64 to float32 toward zero; float Range computes start + i·delta, not a running sum.
 * A negative perm entry aborts TensorFlow's process (a CHECK failure), so that error has no case here.
 */
class ArrayConformanceSuite extends ConformanceSuite(ArrayConformanceSuite.cases)

object ArrayConformanceSuite {
  import KernelConformance._

  private val I: Seq[DType] = Seq(DType.INT32, DType.INT64)
  /** Slice's and StridedSlice's Index attr has no default. */
  private val index32 = Seq("Index" -> DType.INT32)
  private val FIB: Seq[DType] = FI :+ DType.BOOL

  /** An op that only moves elements: every dtype, Exact. */
  private def mv(op: String, ins: Seq[In], label: String = "", attrs: Seq[(String, Any)] = Nil, outputs: Int = 1) =
    KCase(op, ins, FIBS, Exact, Seq("T" -> Dt) ++ attrs, outputs, label)
  /** An error case on float32: both kernels must fail with `gist` in the message. */
  private def err(op: String, ins: Seq[In], gist: String, attrs: Seq[(String, Any)] = Nil) =
    KCase(op, ins, Seq(DType.FLOAT), Exact, Seq("T" -> Dt) ++ attrs, label = "error", error = gist)
  /** StridedSlice with begin, end, strides and the masks (begin, end, ellipsis, new_axis, shrink_axis). */
  private def ss(x: In, begin: Seq[Long], end: Seq[Long], strides: Seq[Long], label: String,
      masks: (Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0)) =
    mv("StridedSlice", Seq(x, ints(begin: _*), ints(end: _*), ints(strides: _*)), label, index32 ++ Seq("begin_mask" -> masks._1,
      "end_mask" -> masks._2, "ellipsis_mask" -> masks._3, "new_axis_mask" -> masks._4, "shrink_axis_mask" -> masks._5))
  /** Cast from the tested dtype to `dst`. */
  private def castTo(dst: DType, in: In, dts: Seq[DType], label: String = "", truncate: Boolean = false) =
    KCase("Cast", Seq(in), dts, Exact, Seq("SrcT" -> Dt, "DstT" -> dst, "Truncate" -> truncate), label = s"to ${dst.pythonName()} $label".trim)
  /** A scalar Const of the tested dtype. */
  private def sc(value: Double) = In(Nil, edges = Seq(value), const = true)
  private def range(start: Double, limit: Double, delta: Double, dts: Seq[DType], label: String = "") =
    KCase("Range", Seq(sc(start), sc(limit), sc(delta)), dts, Exact, Seq("Tidx" -> Dt), label = s"$start $limit $delta $label".trim)

  /** Fractions and halves both ways, for the truncation of float to int. */
  private val fractions = In(Seq(2, 5), -1000, 1000, edges = Seq(0.5, -0.5, 1.9, -1.9, 2.5, -2.5, -0.0, 0.999999))
  /** float64 values that float32 must round: a tie, overflow both ways, underflow, NaN, the halfway point above FLT_MAX. */
  private val narrowing = In(Seq(2, 5), -1, 1, edges = Seq(1.0000000596046448, 1e300, -1e300, 1e-50, NaN, 3.4028235677973366e38))
  /** Out of the int32 range, and NaN and the infinities. */
  private val outOfRange = In(Seq(8), edges = Seq(NaN, Inf, -Inf, 3e9, -3e9, 1e19, -1e19, 2147483520))

  val cases: Seq[KCase] = Seq(
    // Reshape
    mv("Reshape", Seq(v(2, 3), ints(3, 2))),
    mv("Reshape", Seq(v(2, 3), ints(-1)), "-1 flattens"),
    mv("Reshape", Seq(v(2, 3, 4), ints(4, -1)), "-1 inferred"),
    mv("Reshape", Seq(v(2, 3), ints(-1, 1, 2)), "-1 first"),
    mv("Reshape", Seq(v(), ints(1, 1)), "scalar to [1,1]"),
    mv("Reshape", Seq(v(1, 1), ints()), "[1,1] to scalar"),
    mv("Reshape", Seq(v(0, 3), ints(3, 0, 2)), "empty"),
    mv("Reshape", Seq(v(2, 3), ints(3, -1).i64), "int64", Seq("Tshape" -> DType.INT64)),
    err("Reshape", Seq(v(2, 3), ints(4).fed), "Input to reshape is a tensor with 6 values, but the requested shape has 4"),
    err("Reshape", Seq(v(2, 3), ints(4, -1).fed), "Input to reshape is a tensor with 6 values, but the requested shape requires a multiple of 4"),
    err("Reshape", Seq(v(2, 3), ints(-1, -1).fed), "Only one input size may be -1, not both 0 and 1"),
    mv("Reshape", Seq(v(0, 3), ints(0, -1)), "empty, -1 beside a 0: zero dims left out of the count"),
    mv("Reshape", Seq(v(0, 3), ints(-1, 0)), "empty, 0 beside a -1"),
    mv("Reshape", Seq(v(0, 3), ints(2, 0, -1)), "empty, -1 not dividing"),
    mv("Reshape", Seq(v(0, 3), ints(-1)), "empty, -1 alone"),
    mv("Reshape", Seq(v(0, 3), ints(-1, 4)), "empty, -1 becomes 0"),
    err("Reshape", Seq(v(2, 3), ints(0, -1).fed), "Input to reshape is a tensor with 6 values, but the requested shape has 0"),
    // Shape, Size, Rank
    mv("Shape", Seq(v(2, 3, 1))),
    mv("Shape", Seq(v(2, 0, 4)), "out_type int64", Seq("out_type" -> DType.INT64)),
    mv("Shape", Seq(v()), "scalar"),
    mv("Size", Seq(v(2, 3, 4))),
    mv("Size", Seq(v(3, 0)), "out_type int64", Seq("out_type" -> DType.INT64)),
    mv("Size", Seq(v()), "scalar"),
    mv("Rank", Seq(v(2, 3, 4))),
    mv("Rank", Seq(v()), "scalar"),
    mv("Shape", Seq(v(0)), "empty"),
    mv("Size", Seq(v(0, 2)), "empty"),
    // ExpandDims
    mv("ExpandDims", Seq(v(2, 3), int(0))),
    mv("ExpandDims", Seq(v(2, 3), int(2)), "at the end"),
    mv("ExpandDims", Seq(v(2, 3), int(-1)), "negative axis"),
    mv("ExpandDims", Seq(v(2, 3), int(-3)), "negative axis first"),
    mv("ExpandDims", Seq(v(), int(0)), "scalar"),
    mv("ExpandDims", Seq(v(2, 3), int(1).i64), "int64", Seq("Tdim" -> DType.INT64)),
    mv("ExpandDims", Seq(v(2, 3), ints(1)), "dim as a 1-element vector"),
    err("ExpandDims", Seq(v(2, 3), int(4).fed), "Tried to expand dim index 4 for tensor with 2 dimensions."),
    // Squeeze
    mv("Squeeze", Seq(v(1, 2, 1, 3)), "all size-1 dims"),
    mv("Squeeze", Seq(v(1, 2, 1, 3)), "squeeze_dims [0]", Seq("squeeze_dims" -> intList(0))),
    mv("Squeeze", Seq(v(1, 2, 1, 3)), "squeeze_dims [-2]", Seq("squeeze_dims" -> intList(-2))),
    mv("Squeeze", Seq(v(1, 2, 1, 3)), "squeeze_dims [0,2]", Seq("squeeze_dims" -> intList(0, 2))),
    mv("Squeeze", Seq(v(1, 1)), "to a scalar"),
    mv("Squeeze", Seq(v(2, 3)), "nothing to squeeze"),
    err("Squeeze", Seq(v(1, 2).fed), "Can not squeeze dim[1], expected a dimension of 1, got 2", Seq("squeeze_dims" -> intList(1))),
    // ConcatV2
    mv("ConcatV2", Seq(v(2, 3), v(2, 3), int(0)), "axis 0", Seq("N" -> 2)),
    mv("ConcatV2", Seq(v(2, 3), v(2, 2), int(1)), "axis 1", Seq("N" -> 2)),
    mv("ConcatV2", Seq(v(2, 3), v(2, 2), int(-1)), "negative axis", Seq("N" -> 2)),
    mv("ConcatV2", Seq(v(2, 1), v(2, 3), v(2, 2), int(1)), "3 inputs", Seq("N" -> 3)),
    mv("ConcatV2", Seq(v(2, 2, 3), v(2, 1, 3), v(2, 4, 3), int(-2)), "3 inputs, middle axis", Seq("N" -> 3)),
    mv("ConcatV2", Seq(v(0, 3), v(2, 3), int(0)), "empty input", Seq("N" -> 2)),
    mv("ConcatV2", Seq(v(2, 3), v(2, 0), v(2, 1), int(1)), "empty middle input", Seq("N" -> 3)),
    mv("ConcatV2", Seq(v(0, 2), v(0, 2), int(1)), "all empty", Seq("N" -> 2)),
    mv("ConcatV2", Seq(v(3), v(2), int(0)), "rank 1", Seq("N" -> 2)),
    mv("ConcatV2", Seq(v(2, 3), v(2, 2), int(1).i64), "int64", Seq("N" -> 2, "Tidx" -> DType.INT64)),
    err("ConcatV2", Seq(v(2, 3).fed, v(2, 3, 1).fed, int(0)), "ConcatOp : Ranks of all input tensors should match", Seq("N" -> 2)),
    err("ConcatV2", Seq(v(2, 3).fed, v(3, 3).fed, int(1)), "ConcatOp : Dimension 0 in both shapes must be equal", Seq("N" -> 2)),
    err("ConcatV2", Seq(v(2, 3).fed, v(2, 3).fed, int(2).fed), "ConcatOp : Expected concatenating dimensions in the range [-2, 2), but got 2", Seq("N" -> 2)),
    err("ConcatV2", Seq(v().fed, v().fed, int(0)), "Can't concatenate scalars (use tf.stack instead)", Seq("N" -> 2)),
    // Pack, Unpack
    mv("Pack", Seq(v(2, 3), v(2, 3), v(2, 3)), "axis 0", Seq("N" -> 3)),
    mv("Pack", Seq(v(2, 3), v(2, 3)), "axis 1", Seq("N" -> 2, "axis" -> 1)),
    mv("Pack", Seq(v(2, 3), v(2, 3)), "axis -1", Seq("N" -> 2, "axis" -> -1)),
    mv("Pack", Seq(v(), v(), v()), "scalars", Seq("N" -> 3)),
    mv("Pack", Seq(v(0, 2), v(0, 2)), "empty", Seq("N" -> 2, "axis" -> 1)),
    mv("Pack", Seq(v(2, 3)), "one value", Seq("N" -> 1, "axis" -> -3)),
    err("Pack", Seq(v(2).fed, v(2).fed), "axis = 2 not in [-2, 2)", Seq("N" -> 2, "axis" -> 2)),
    err("Pack", Seq(v(2).fed, v(3).fed), "Shapes of all inputs must match: values[0].shape = [2] != values[1].shape = [3]", Seq("N" -> 2)),
    mv("Unpack", Seq(v(3, 2)), "num 3", Seq("num" -> 3), outputs = 3),
    mv("Unpack", Seq(v(2, 3, 4)), "axis 1", Seq("num" -> 3, "axis" -> 1), outputs = 3),
    mv("Unpack", Seq(v(2, 3, 4)), "axis -1", Seq("num" -> 4, "axis" -> -1), outputs = 4),
    mv("Unpack", Seq(v(2)), "to scalars", Seq("num" -> 2), outputs = 2),
    mv("Unpack", Seq(v(2, 0)), "empty parts", Seq("num" -> 2), outputs = 2),
    err("Unpack", Seq(v(3, 2).fed), "Input shape axis 0 must equal 2, got shape [3,2]", Seq("num" -> 2)),
    // Slice
    mv("Slice", Seq(v(3, 4), ints(1, 0), ints(2, -1)), "size -1", attrs = index32),
    mv("Slice", Seq(v(3, 4), ints(0, 1), ints(-1, -1)), "size -1 -1", attrs = index32),
    mv("Slice", Seq(v(2, 3, 4), ints(1, 1, 1), ints(1, 2, 3)), "rank 3", attrs = index32),
    mv("Slice", Seq(v(3, 4), ints(3, 4), ints(0, 0)), "empty at the end", attrs = index32),
    mv("Slice", Seq(v(), ints(), ints()), "scalar", attrs = index32),
    mv("Slice", Seq(v(3, 4), ints(1, 2).i64, ints(2, 2).i64), "int64", Seq("Index" -> DType.INT64)),
    err("Slice", Seq(v(3, 4), ints(4, 0).fed, ints(1, 1).fed), "Expected begin[0] in [0, 3], but got 4", index32),
    err("Slice", Seq(v(3, 4), ints(1, 0).fed, ints(3, 1).fed), "Expected size[0] in [0, 2], but got 3", index32),
    // StridedSlice
    ss(v(5), Seq(1), Seq(4), Seq(1), "1:4"),
    ss(v(5), Seq(0), Seq(5), Seq(2), "::2"),
    ss(v(6), Seq(4), Seq(0), Seq(-1), "4:0:-1"),
    ss(v(6), Seq(0), Seq(0), Seq(-1), "::-1 masks", (1, 1, 0, 0, 0)),
    ss(v(7), Seq(-1), Seq(-8), Seq(-2), "-1:-8:-2"),
    ss(v(5), Seq(-3), Seq(-1), Seq(1), "negative begin and end"),
    ss(v(5), Seq(10), Seq(20), Seq(1), "clamped past the end: empty"),
    ss(v(5), Seq(-10), Seq(10), Seq(1), "clamped both ends"),
    ss(v(5), Seq(10), Seq(-10), Seq(-1), "clamped, negative stride"),
    ss(v(5), Seq(3), Seq(1), Seq(1), "end before begin: empty"),
    ss(v(3, 4), Seq(0, 1), Seq(0, 3), Seq(1, 1), "[:, 1:3]", (1, 1, 0, 0, 0)),
    ss(v(3, 4), Seq(0, 0), Seq(0, 0), Seq(-1, -2), "[::-1, ::-2]", (3, 3, 0, 0, 0)),
    ss(v(3, 4), Seq(1), Seq(2), Seq(1), "[1:2] (implicit ellipsis)"),
    ss(v(3, 4, 2), Seq(0, 1), Seq(0, 2), Seq(1, 1), "[..., 1:2]", (0, 0, 1, 0, 0)),
    ss(v(2, 3, 4), Seq(1, 0, 2), Seq(2, 0, 3), Seq(1, 1, 1), "[1, ..., 2]", (0, 0, 2, 0, 5)),
    ss(v(3, 4), Seq(0, 0, 1), Seq(0, 0, 3), Seq(1, 1, 1), "[newaxis, :, 1:3]", (2, 2, 0, 1, 0)),
    ss(v(3, 4), Seq(0, 0), Seq(0, 0), Seq(1, 1), "[..., newaxis]", (0, 0, 1, 2, 0)),
    ss(v(3, 4), Seq(1, 0), Seq(2, 0), Seq(1, 1), "[1, :]", (2, 2, 0, 0, 1)),
    ss(v(3, 4), Seq(-1, 0), Seq(0, 0), Seq(1, 1), "[-1, :]", (2, 2, 0, 0, 1)),
    ss(v(3, 4), Seq(2, -2), Seq(3, -1), Seq(1, 1), "[2, -2]: a scalar", (0, 0, 0, 0, 3)),
    ss(v(3, 4), Seq(0, 0, 1), Seq(0, 0, 2), Seq(1, 1, 1), "[newaxis, newaxis, 1]", (0, 0, 0, 3, 4)),
    ss(v(2, 3, 4), Seq(0, 0, 0), Seq(0, 0, 0), Seq(1, 1, -1), "[newaxis, ..., ::-1]", (4, 4, 2, 1, 0)),
    ss(v(2, 3, 4), Seq(0, 1), Seq(0, 0), Seq(1, 1), "[..., 1] shrinks the last axis", (0, 0, 1, 0, 2)),
    ss(v(7), Seq(-2), Seq(1), Seq(-3), "-2:1:-3"),
    ss(v(4, 5), Seq(1, 4), Seq(-1, 0), Seq(2, -2), "[1:-1:2, 4:0:-2]"),
    ss(v(4, 5), Seq(0, 0), Seq(10, 10), Seq(7, 9), "strides beyond the dims"),
    ss(v(4, 5), Seq(3, 0), Seq(0, 0), Seq(-1, 1), "end_mask with negative stride", (0, 2, 0, 0, 0)),
    mv("StridedSlice", Seq(v(3, 4), ints(1, 0).i64, ints(3, 4).i64, ints(1, 2).i64), "int64", Seq("Index" -> DType.INT64)),
    err("StridedSlice", Seq(v(5), ints(0).fed, ints(5).fed, ints(0).fed), "strides[0] must be non-zero", index32),
    err("StridedSlice", Seq(v(5), ints(5).fed, ints(6).fed, ints(1).fed), "slice index 5 of dimension 0 out of bounds.", index32 :+ ("shrink_axis_mask" -> 1)),
    err("StridedSlice", Seq(v(2, 3).fed, ints(0, 0, 0).fed, ints(1, 1, 1).fed, ints(1, 1, 1).fed), "Index out of range using input dim 2", index32),
    // Transpose
    mv("Transpose", Seq(v(2, 3), ints(1, 0))),
    mv("Transpose", Seq(v(2, 3, 4), ints(2, 0, 1)), "rank 3"),
    mv("Transpose", Seq(v(2, 3, 4), ints(0, 1, 2)), "identity"),
    mv("Transpose", Seq(v(2, 1, 3, 2), ints(3, 1, 0, 2)), "rank 4"),
    mv("Transpose", Seq(v(0, 3), ints(1, 0)), "empty"),
    mv("Transpose", Seq(v(), ints()), "scalar"),
    mv("Transpose", Seq(v(2, 3), ints(1, 0).i64), "int64", Seq("Tperm" -> DType.INT64)),
    err("Transpose", Seq(v(2, 3), ints(0, 0).fed), "1 is missing from {0,0}."),
    err("Transpose", Seq(v(2, 3), ints(1, 0, 2).fed), "transpose expects a vector of size 2. But input(1) is a vector of size 3"),
    // Tile
    mv("Tile", Seq(v(2, 3), ints(2, 1))),
    mv("Tile", Seq(v(2, 3), ints(2, 3)), "both axes"),
    mv("Tile", Seq(v(3), ints(0)), "zero multiple"),
    mv("Tile", Seq(v(2, 1, 2), ints(1, 4, 2)), "rank 3"),
    mv("Tile", Seq(v(), ints()), "scalar"),
    mv("Tile", Seq(v(2, 3), ints(1, 2).i64), "int64", Seq("Tmultiples" -> DType.INT64)),
    err("Tile", Seq(v(2, 3), ints(1, 2, 3).fed), "Expected multiples argument to be a vector of length 2 but got length 3"),
    err("Tile", Seq(v(2, 3), ints(1, -2).fed), "Expected multiples[1] >= 0, but got -2"),
    // Fill, ZerosLike, OnesLike
    mv("Fill", Seq(ints(2, 3), In(Nil))),
    mv("Fill", Seq(ints(), In(Nil)), "scalar"),
    mv("Fill", Seq(ints(0, 2), In(Nil)), "empty"),
    mv("Fill", Seq(ints(2, 2).i64, In(Nil)), "int64", Seq("index_type" -> DType.INT64)),
    err("Fill", Seq(ints(2, -1).fed, In(Nil)), "must be >= 0"),
    mv("ZerosLike", Seq(v(2, 3))),
    mv("ZerosLike", Seq(v()), "scalar"),
    KCase("OnesLike", Seq(v(2, 3)), FIB, Exact),
    KCase("OnesLike", Seq(v(0)), FIB, Exact, label = "empty"),
    // Cast
    castTo(DType.INT32, fractions, F, "truncates toward 0"),
    castTo(DType.INT64, fractions, F, "truncates toward 0"),
    castTo(DType.INT32, outOfRange, F, "NaN, inf, out of range"),
    castTo(DType.INT64, outOfRange, F, "NaN, inf, out of range"),
    castTo(DType.INT32, fractions, F, "Truncate=true", truncate = true),
    castTo(DType.FLOAT, narrowing, Seq(DType.DOUBLE), "rounds to nearest"),
    castTo(DType.FLOAT, narrowing, Seq(DType.DOUBLE), "Truncate=true", truncate = true),
    castTo(DType.DOUBLE, specials, F, "NaN inf"),
    castTo(DType.FLOAT, In(Seq(6), edges = Seq(2147483647, -2147483648.0, 16777217, -16777217, 0, 1)), I, "rounds to nearest"),
    castTo(DType.FLOAT, In(Seq(4), edges = Seq(9.007199254740993e15, -9.223372036854775808e18, 123456789012.0, 3)), Seq(DType.INT64), "int64 rounds"),
    castTo(DType.DOUBLE, In(Seq(4), edges = Seq(9.007199254740993e15, -9.223372036854775808e18, 9.007199254740995e15, 3)), Seq(DType.INT64), "int64 rounds"),
    castTo(DType.INT32, In(Seq(4), edges = Seq(4294967297.0, -2147483649.0, 1e15, 7)), Seq(DType.INT64), "int64 wraps"),
    castTo(DType.INT64, intLimits, Seq(DType.INT32), "int32 limits"),
    castTo(DType.BOOL, In(Seq(8), edges = Seq(0, -0.0, NaN, 0.1, -Inf, 1, 2, -3)), F, "NaN is true"),
    castTo(DType.BOOL, e(2, 4), I),
    castTo(DType.FLOAT, v(2, 3), Seq(DType.FLOAT), "to itself"),
    KCase("Cast", Seq(bools(2, 4)(0, 1)), FIB, Exact, Seq("SrcT" -> DType.BOOL, "DstT" -> Dt), label = "from bool"),
    // Range
    range(0, 5, 1.5, F),
    range(0.1, 1, 0.1, F, "accumulates delta"),
    range(1, -1, -0.3, F, "negative delta"),
    range(3, 3, 1, F, "empty"),
    range(0, 1, 0.3, F, "ceil of the count"),
    range(-1e-3, 1e3, 7.5, F, "many elements"),
    range(0, 10, 3, I),
    range(10, 0, -3, I, "negative delta"),
    range(-5, 5, 1, I),
    range(5, 5, -2, I, "empty"),
    range(0, 10, 20, I, "delta past the limit"),
    range(-3, -100, -7, I, "negative both"),
    KCase("Range", Seq(sc(0).fed, sc(5), sc(0)), Seq(DType.FLOAT), Exact, Seq("Tidx" -> Dt), label = "error", error = "Requires delta != 0"),
    KCase("Range", Seq(sc(5).fed, sc(1), sc(1)), Seq(DType.INT32), Exact, Seq("Tidx" -> Dt), label = "error", error = "Requires start <= limit when delta > 0: 5/1"),
    KCase("Range", Seq(sc(1).fed, sc(5), sc(-1)), Seq(DType.INT64), Exact, Seq("Tidx" -> Dt), label = "error", error = "Requires start >= limit when delta < 0: 1/5"),
  )
}
