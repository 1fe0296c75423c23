package io.sparkpoint.it

import io.sparkpoint.tensor.DType

/**
 * The seeded random ops against TensorFlow 2.18: RandomUniform, RandomStandardNormal, TruncatedNormal and
 * RandomUniformInt, run with the same seed/seed2 attrs in our Session and in TF (see [[ConformanceSuite]]).
 * Shapes cover one element, sizes that leave the last group of 4 (float32, int32) or 2 (float64, int64) part
 * full, an empty output, a scalar, an int64 shape input and 100,000 elements (more than one of TF's work
 * shards). Cases with `runs = 3` fetch three times in one session: the node goes on with its sequence.
 *
 * Tolerances, |ours - tf| <= tol:
 * {{{
 *   family    ops                                          int32/int64  float32   float64
 *   Exact     RandomUniform RandomUniformInt               exact        exact     exact
 *   Ulps(n)   RandomStandardNormal TruncatedNormal         -            4 ulp(tf) 3 ulp(tf)
 * }}}
 * Uniforms are mantissa bits, so they are bit-identical. Normals go through log, sin and cos, which TF takes from
 * glibc (logf and sincosf for float32, which are not always correctly rounded). We compute them with Java's Math in
 * double and round once, a choice made so that no third-party math code is copied here: a small fraction of the
 * normals then sit a few ulp from TF's (measured here: float64 461 of 204,114 elements, at most 2 ulp; float32
 * 3,154 of 204,114, at most 3 ulp; the summary line counts them on every run), and no truncated normal crosses ±2 differently in these cases.
 * TF's own normals are not the same everywhere either: glibc's FMA and SSE2 builds differ in about 0.06% of the
 * float64 ones.
 */
class RandomConformanceSuite extends ConformanceSuite(RandomConformanceSuite.cases)

object RandomConformanceSuite {
  import KernelConformance._

  private val I: Seq[DType] = Seq(DType.INT32, DType.INT64)
  /** A fixed int64 shape vector (a Const). */
  private def longs(values: Long*): In = ints(values: _*).copy(dtype = Some(DType.INT64))
  /** A Const scalar of the dtype under test (RandomUniformInt's minval and maxval). */
  private def bound(value: Double): In = In(Nil, edges = Seq(value), const = true)

  private def seeded(seed: Long, seed2: Long, shapeType: DType = DType.INT32): Seq[(String, Any)] =
    Seq("dtype" -> Dt, "T" -> shapeType, "seed" -> seed, "seed2" -> seed2)

  /** The cases of one op and dtype. */
  private def floats(op: String, dtype: DType, family: Family): Seq[KCase] = Seq(
    KCase(op, Seq(ints(1)), Seq(dtype), family, seeded(87654321, 0), label = "one element"),
    KCase(op, Seq(ints(2, 3)), Seq(dtype), family, seeded(0, 7), label = "seed2 only"),
    KCase(op, Seq(ints(5)), Seq(dtype), family, seeded(1, 2), label = "odd size", runs = 3),
    KCase(op, Seq(ints(7, 1, 3)), Seq(dtype), family, seeded(-3, -4), label = "negative seeds"),
    KCase(op, Seq(ints(4, 0)), Seq(dtype), family, seeded(5, 5), label = "empty"),
    KCase(op, Seq(ints()), Seq(dtype), family, seeded(9, 0), label = "scalar", runs = 3),
    KCase(op, Seq(longs(3, 3)), Seq(dtype), family, seeded(11, 12, DType.INT64), label = "int64 shape"),
    KCase(op, Seq(ints(100000)), Seq(dtype), family, seeded(123456789, 987654321), label = "100,000 elements"),
    KCase(op, Seq(ints(1001)), Seq(dtype), family, seeded(42, 0), label = "1001 elements", runs = 2),
  )

  val cases: Seq[KCase] = Seq("RandomUniform", "RandomStandardNormal", "TruncatedNormal").flatMap { op =>
    floats(op, DType.FLOAT, if (op == "RandomUniform") Exact else Ulps(4)) ++
      floats(op, DType.DOUBLE, if (op == "RandomUniform") Exact else Ulps(3))
  } ++ Seq(
    KCase("RandomUniformInt", Seq(ints(2, 5), bound(-5), bound(5)), I, Exact,
      Seq("Tout" -> Dt, "T" -> DType.INT32, "seed" -> 3L, "seed2" -> 4L), label = "[-5, 5)", runs = 3),
    KCase("RandomUniformInt", Seq(ints(7), bound(-2e9), bound(2e9)), I, Exact,
      Seq("Tout" -> Dt, "T" -> DType.INT32, "seed" -> 0L, "seed2" -> 1L), label = "a range beyond int32"),
    KCase("RandomUniformInt", Seq(ints(3), bound(-5e18), bound(5e18)), Seq(DType.INT64), Exact,
      Seq("Tout" -> Dt, "T" -> DType.INT32, "seed" -> 6L, "seed2" -> 0L), label = "a range beyond int64"),
    KCase("RandomUniformInt", Seq(ints(100000), bound(0), bound(1000)), I, Exact,
      Seq("Tout" -> Dt, "T" -> DType.INT32, "seed" -> 77L, "seed2" -> 78L), label = "100,000 elements"),
    KCase("RandomUniformInt", Seq(ints(0), bound(5), bound(5)), I, Exact,
      Seq("Tout" -> Dt, "T" -> DType.INT32, "seed" -> 1L, "seed2" -> 1L), label = "empty, minval = maxval"),
    // a case that must fail, in both with the same gist (one oracle launch of its own)
    KCase("RandomUniformInt", Seq(ints(3), bound(5), bound(5)), Seq(DType.INT64), Exact,
      Seq("Tout" -> Dt, "T" -> DType.INT32, "seed" -> 1L), label = "minval = maxval", error = "Need minval < maxval, got 5 >= 5"),
  )
}
