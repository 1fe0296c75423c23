package io.sparkpoint.it

import io.sparkpoint.tensor.DType

/**
 * The compare and gather kernels (io.sparkpoint.kernels.compare, io.sparkpoint.kernels.gather) against TensorFlow 2.18,
 * on [[ConformanceSuite]]: Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, LogicalAnd, LogicalOr, LogicalNot,
 * Select, SelectV2, GatherV2 and OneHot.
 *
 * Tolerance: every op here only compares or copies elements, so every output is compared exactly (family Exact,
 * see [[KernelConformanceSuite]]): bools and strings as text, numbers bit for bit (NaN must meet NaN).
 *
 * Inputs of fixed dtype (conditions, indices, axes, depths) come from the harness helpers (`bools`, `ints`, `int`,
 * `In(dtype = …)`); strings are "s<n>" for the values an input would have as numbers, so equalities happen. Cases with
 * `error` must fail in both with that gist; their inputs have `unknownShape` where TensorFlow's shape inference would
 * otherwise reject the graph before the kernel runs.
 */
class SelectionConformanceSuite extends ConformanceSuite(SelectionConformanceSuite.cases)

object SelectionConformanceSuite {
  import KernelConformance._

  private val S: Seq[DType] = Seq(DType.STRING)
  /** Errors do not depend on the dtype: cases that must fail run once (each costs an oracle launch). */
  private val F32: Seq[DType] = Seq(DType.FLOAT)
  private val B: Seq[DType] = Seq(DType.BOOL)
  /** Whole numbers in [-3, 3), so equal pairs are common. */
  private def w(shape: Long*) = In(shape, -3, 3, whole = true)
  private def idx(shape: Long*)(values: Long*) =
    In(shape, edges = values.map(_.toDouble), const = true, dtype = Some(DType.INT32))
  private def bad(in: In) = in.copy(unknownShape = true)

  private val comparisons = Seq("Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual")
  private def c(op: String, x: In, y: In, dts: Seq[DType] = FI, label: String = "", attrs: Seq[(String, Any)] = Nil) =
    KCase(op, Seq(x, y), dts, Exact, Seq("T" -> Dt) ++ attrs, label = label)

  private def gather(params: In, indices: In, axis: Long, dts: Seq[DType] = FI, batchDims: Int = 0, label: String = "",
      error: String = "", indexType: DType = DType.INT32) =
    KCase("GatherV2", Seq(params, indices, In(Nil, edges = Seq(axis.toDouble), const = true, dtype = Some(indexType))),
      dts, Exact, Seq("Tparams" -> Dt, "Tindices" -> indexType, "Taxis" -> indexType, "batch_dims" -> batchDims),
      label = label, error = error)

  /** A depth TensorFlow's shape inference cannot read, so a bad one reaches the kernel. */
  private def fedDepth(depth: Long) = In(Nil, edges = Seq(depth.toDouble), dtype = Some(DType.INT32), unknownShape = true)
  private val on = In(Nil, edges = Seq(5))
  private val off = In(Nil, edges = Seq(-1))
  private def oneHot(indices: In, depth: Long, dts: Seq[DType] = FI, axis: Int = -1, label: String = "",
      error: String = "", values: (In, In) = (on, off)) =
    KCase("OneHot", Seq(indices, if (error.isEmpty) int(depth) else fedDepth(depth), values._1, values._2), dts, Exact,
      Seq("T" -> Dt, "TI" -> indices.dtype.get, "axis" -> axis), label = label, error = error)

  val cases: Seq[KCase] = comparisons.flatMap(op => Seq(
    c(op, w(2, 5), w(2, 5)),
    c(op, w(2, 3), w(3), label = "broadcast"),
    c(op, w(2, 1, 3), w(4, 1), label = "broadcast both"),
    c(op, w(), w(2, 2), label = "scalar"),
    c(op, In(Seq(0, 3)), w(3), label = "empty"),
    c(op, specials, specials2, F, "NaN inf"),
    c(op, intLimits, In(Seq(4), edges = Seq(2147483647.0, -2147483648.0, 0, -7)), Seq(DType.INT32, DType.INT64), "int32 limits"),
    KCase(op, Seq(bad(w(2)), bad(w(3))), F32, Exact, label = "incompatible", error = "Incompatible shapes: [2] vs. [3]"),
  )) ++ Seq("Equal", "NotEqual").flatMap(op => Seq(
    c(op, In(Seq(2, 3), 0, 2), In(Seq(3), 0, 2), B, "bool"),
    c(op, In(Seq(2, 3), 0, 3), In(Seq(3), 0, 3), S, "string"),
    c(op, In(Seq(4), 0, 3), In(Nil, edges = Seq(1)), S, "string scalar"),
    c(op, w(2), w(3), F, "incompatible_shape_error=false", Seq("incompatible_shape_error" -> false)),
    c(op, w(2, 3), w(3), F, "incompatible_shape_error=false, compatible", Seq("incompatible_shape_error" -> false)),
  )) ++ Seq(
    KCase("LogicalAnd", Seq(bools(2, 3)(), bools(3)()), B, Exact, Nil, label = "broadcast"),
    KCase("LogicalOr", Seq(bools(2, 3)(), bools(3)()), B, Exact, Nil, label = "broadcast"),
    KCase("LogicalAnd", Seq(bools(2, 1)(), bools()(1)), B, Exact, Nil, label = "scalar"),
    KCase("LogicalOr", Seq(bools(0, 2)(), bools(2)()), B, Exact, Nil, label = "empty"),
    KCase("LogicalNot", Seq(bools(2, 3)()), B, Exact, Nil),
    // Select: scalar, same-shape and row-vector conditions
    KCase("Select", Seq(bools()(1), e(2, 3), e(2, 3)), FI, Exact, label = "scalar true"),
    KCase("Select", Seq(bools()(0), e(2, 3), e(2, 3)), FI, Exact, label = "scalar false"),
    KCase("Select", Seq(bools(2, 3)(), v(2, 3), v(2, 3)), FI, Exact, label = "same shape"),
    KCase("Select", Seq(bools(4)(), v(4), v(4)), FI, Exact, label = "vectors"),
    KCase("Select", Seq(bools(3)(1, 0, 1), v(3, 2), v(3, 2)), FI, Exact, label = "rows"),
    KCase("Select", Seq(bools(2)(0, 1), v(2, 2, 2), v(2, 2, 2)), FI, Exact, label = "rows rank 3"),
    KCase("Select", Seq(bools(8)(), specials, specials2), F, Exact, label = "NaN inf"),
    KCase("Select", Seq(bools(3)(), In(Seq(3), 0, 2), In(Seq(3), 0, 2)), B, Exact, label = "bool"),
    KCase("Select", Seq(bools(2)(), In(Seq(2, 2), 0, 9), In(Seq(2, 2), 0, 9)), S, Exact, label = "string rows"),
    KCase("Select", Seq(bools(0)(), v(0, 3), v(0, 3)), FI, Exact, label = "empty"),
    KCase("Select", Seq(bad(bools(3)()), bad(v(2, 2)), bad(v(2, 2))), F32, Exact, label = "rows mismatch",
      error = "Number of batches of 'then' must match size of 'cond', but saw: 2 vs. 3"),
    KCase("Select", Seq(bad(bools()(1)), bad(v(2)), bad(v(3))), F32, Exact, label = "then vs else",
      error = "'then' and 'else' must have the same size.  but received: [2] vs. [3]"),
    KCase("Select", Seq(bad(bools(2, 2)()), bad(v(2, 2)), bad(v(2, 3))), F32, Exact, label = "elementwise mismatch",
      error = "must have the same size and shape.  Input 0: [2,2] != input 2: [2,3]"),
    // SelectV2: all three broadcast
    KCase("SelectV2", Seq(bools(2, 1)(), v(3), v(2, 3)), FI, Exact, label = "broadcast"),
    KCase("SelectV2", Seq(bools(3)(), v(2, 1), v()), FI, Exact, label = "broadcast all"),
    KCase("SelectV2", Seq(bools()(0), v(2, 3), v(2, 3)), FI, Exact, label = "scalar"),
    KCase("SelectV2", Seq(bools(2, 3)(), v(2, 3), v(2, 3)), FI, Exact, label = "same shape"),
    KCase("SelectV2", Seq(bools(8)(), specials, specials2), F, Exact, label = "NaN inf"),
    KCase("SelectV2", Seq(bools(2, 1)(), In(Seq(3), 0, 9), In(Nil, edges = Seq(7))), S, Exact, label = "string"),
    KCase("SelectV2", Seq(bools(0, 1)(), v(), v(3)), FI, Exact, label = "empty"),
    KCase("SelectV2", Seq(bad(bools(2)()), bad(v(3)), bad(v(3))), F32, Exact, label = "not broadcastable",
      error = "condition [2], then [3], and else [3] must be broadcastable"),
    // GatherV2
    gather(v(4, 3), ints(3, 0, 3, 1), 0),
    gather(v(2, 3), idx(2, 2)(0, 2, 1, 1), 1, label = "matrix indices"),
    gather(v(2, 3, 2), ints(1, 0, 2), -2, label = "negative axis"),
    gather(v(2, 3), idx()(2), 1, label = "scalar index"),
    gather(v(2, 3), ints(), 0, label = "no indices"),
    gather(v(4), In(Seq(3), edges = Seq(3, 0, 2), const = true, dtype = Some(DType.INT64)), 0, indexType = DType.INT64,
      label = "int64"),
    gather(v(2, 3), In(Seq(2, 2), 0, 2.4, whole = true, dtype = Some(DType.INT32)), 1, label = "fed indices"),
    gather(v(2, 3), idx(2, 2)(0, 2, 1, 1), 1, batchDims = 1, label = "batch_dims 1"),
    gather(v(2, 3), idx(2, 2)(2, 2, 0, 1), 1, batchDims = -1, label = "batch_dims -1"),
    gather(v(2, 2, 3), idx(2, 1)(2, 0), 2, batchDims = 1, label = "batch_dims 1, axis 2"),
    gather(v(2, 2, 3), idx(2, 3)(1, 0, 1, 0, 0, 1), 1, batchDims = 1, label = "batch_dims 1, axis 1"),
    gather(specials, ints(0, 1, 2, 7, 6), 0, F, label = "NaN inf"),
    gather(In(Seq(4), 0, 9), ints(3, 3, 0), 0, S, label = "string"),
    gather(In(Seq(5), 0, 2), ints(4, 0), 0, B, label = "bool"),
    gather(v(0, 3), ints(1), 1, label = "empty params"),
    gather(v(2, 0), ints(5), 0, label = "no columns, index out of range"),
    gather(v(4, 3), ints(0, 4), 0, F32, error = "indices[1] = 4 is not in [0, 4)", label = "out of range"),
    gather(v(2, 3), idx(2, 2)(0, 1, -1, 0), 1, F32, error = "indices[1,0] = -1 is not in [0, 3)", label = "negative"),
    gather(v(2, 3), idx(2, 2)(0, 2, 1, 3), 1, F32, batchDims = 1, error = "indices[1,1] = 3 is not in [0, 3)",
      label = "batch_dims out of range"),
    gather(v(3), idx()(3), 0, F32, error = "indices = 3 is not in [0, 3)", label = "scalar out of range"),
    // OneHot
    oneHot(idx(4)(0, 2, -1, 5), 3),
    oneHot(idx(2, 2)(0, 1, 2, 0), 3, axis = 0, label = "axis 0"),
    oneHot(idx(2, 2)(0, 1, 2, 0), 3, axis = 1, label = "axis 1"),
    oneHot(idx(2, 3)(0, 1, 2, 3, -3, 1), 4, axis = 2, label = "axis 2"),
    oneHot(idx()(1), 3, label = "scalar index"),
    oneHot(idx(2)(0, 1), 0, label = "depth 0"),
    oneHot(idx(0)(), 3, label = "no indices"),
    oneHot(In(Seq(4), edges = Seq(3, -1, 0, 2), const = true, dtype = Some(DType.INT64)), 4, label = "int64"),
    oneHot(In(Seq(4), edges = Seq(0, 255, 2, 1), const = true, dtype = Some(DType.UINT8)), 3, label = "uint8"),
    oneHot(In(Seq(4), edges = Seq(-1, 2, 0, 127), const = true, dtype = Some(DType.INT8)), 3, label = "int8"),
    oneHot(In(Seq(3), 0, 4, whole = true, dtype = Some(DType.INT32)), 4, label = "fed indices"),
    oneHot(idx(3)(0, 2, 1), 3, F, label = "NaN on", values = (In(Nil, edges = Seq(NaN)), In(Nil, edges = Seq(Inf)))),
    oneHot(idx(3)(0, 2, 1), 3, B, label = "bool", values = (In(Nil, edges = Seq(1)), In(Nil, edges = Seq(0)))),
    oneHot(idx(3)(0, 2, 1), 3, S, label = "string", values = (In(Nil, edges = Seq(1)), In(Nil, edges = Seq(0)))),
    oneHot(idx(2)(0, 1), -1, F32, label = "negative depth", error = "depth must be non-negative, got: -1"),
  )
}
