package io.sparkpoint.it

import io.sparkpoint.tensor.DType

/**
 * The file-name ops of Saver graphs against TensorFlow 2.18: ShardedFilename, ShardedFilespec, StringJoin and
 * RegexFullMatch, single-op as every kernel (see [[ConformanceSuite]]); all Exact (strings and bools compare as
 * text). The harness makes strings from numbers ("s3", "s-7"), so a pattern here is such a literal.
 *
 * SaveV2, RestoreV2 and MergeV2Checkpoints write and read files, so their conformance is proven on files instead:
 * [[SaverOracleSuite]] has TensorFlow restore checkpoints our SaveV2 and MergeV2Checkpoints wrote (plain and 3
 * shards), run our whole sharded save graph (StringJoin, ShardedFilename, 3 SaveV2, MergeV2Checkpoints) and restore
 * it here with our RestoreV2; [[WeWriteTfReadsSuite]] and [[TfWritesWeReadSuite]] cover the bundle format itself.
 */
class CheckpointOpsConformanceSuite extends ConformanceSuite(CheckpointOpsConformanceSuite.cases)

object CheckpointOpsConformanceSuite {
  import KernelConformance._

  private val S: Seq[DType] = Seq(DType.STRING)
  private def str(shape: Long*) = In(shape, -20, 20)
  private def literal(value: Long) = In(Nil, edges = Seq(value.toDouble), const = true)

  val cases: Seq[KCase] = Seq(
    KCase("ShardedFilename", Seq(str(), int(2), int(7)), S, Exact, Nil),
    KCase("ShardedFilename", Seq(str(), int(123456), int(100000)), S, Exact, Nil, label = "more than 5 digits"),
    KCase("ShardedFilespec", Seq(str(), int(12)), S, Exact, Nil),
    KCase("StringJoin", Seq(str(3), str(3), str()), S, Exact, Seq("N" -> 3, "separator" -> "/"), label = "scalar broadcast"),
    KCase("StringJoin", Seq(str(), str()), S, Exact, Seq("N" -> 2), label = "no separator"),
    KCase("StringJoin", Seq(str(2), str(3)), S, Exact, Seq("N" -> 2), label = "shapes differ", error = "shape"),
    KCase("RegexFullMatch", Seq(In(Seq(6), -4, 4, edges = Seq(3, -3, 13, 3)), literal(3)), S, Exact, Nil),
  )
}
