package io.sparkpoint.spark.jobs;

import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.ByteBalance;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.restore.PartialRestore;
import io.sparkpoint.restore.RestoreOptions;
import io.sparkpoint.spark.hadoop.HadoopPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The offline warm start: a new checkpoint holding the target checkpoint's variables, with the
 * values the plan takes from the source checkpoint (see {@link PartialRestore}), in this JVM or as
 * Spark tasks (see {@link Placement}). On Spark the driver plans, checks and gets OUT ready; OUT's
 * tensors are split into one byte-balanced group per task (Spark's default parallelism, at most
 * one tensor per group), each task copies its group into a bundle of its own, the driver merges
 * them (the index last, see {@link ShardCopies}) and copies the meta graph. OUT then has one data
 * file per task instead of one; its tensors, bytes and checksums are the same either way, and a
 * rerun finds OUT holding this restore however it was sharded. A dry run, or a rerun that finds
 * OUT written, never starts Spark.
 */
public final class RestorePartialJob {
  private RestorePartialJob() {}

  /**
   * @param placement where OUT's bundle is written; a dry run, or a rerun that finds OUT written, never starts Spark
   * @throws java.io.FileNotFoundException naming the role when SRC or DST is missing; the other failures are {@link PartialRestore#run}'s
   * @throws io.sparkpoint.bundle.CorruptBundleException when a tensor to copy does not match its checksum; OUT is then not written
   */
  public static PartialRestore.Result run(FileIO io, String source, String target, String out, RestoreOptions options,
      PartialRestore.Mode mode, Placement placement) throws IOException {
    if (placement.mode() == Placement.Mode.LOCAL || mode == PartialRestore.Mode.DRY_RUN) {
      return PartialRestore.run(io, source, target, out, options, mode);
    }
    PartialRestore.Prepared prepared = PartialRestore.prepare(io, source, target, out, options, mode);
    if (!prepared.pending()) {
      return prepared.result();
    }
    if (!placement.usesSpark(prepared.bytesToCopy(), prepared.copies().size())) {
      return PartialRestore.write(io, prepared);
    }
    onSpark(placement.session("sparkpoint restore-partial"), io, prepared);
    return PartialRestore.finish(io, prepared);
  }

  /** One byte-balanced group of copies per task, each written in OUT's order; the driver merges them into OUT. */
  private static void onSpark(SparkSession spark, FileIO io, PartialRestore.Prepared prepared) throws IOException {
    PartialRestore.Result result = prepared.result();
    List<ArrayList<PartialRestore.Copy>> groups = new ArrayList<>();
    for (List<PartialRestore.Copy> group : ByteBalance.split(prepared.copies(), spark.sparkContext().defaultParallelism(),
        PartialRestore.Copy::sizeBytes, PartialRestore.Copy::to)) {
      ArrayList<PartialRestore.Copy> ordered = new ArrayList<>(group);
      ordered.sort(Comparator.comparing(PartialRestore.Copy::to));
      groups.add(ordered);
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String sourcePrefix = HadoopPaths.absolute(result.source(), conf);
    String targetPrefix = HadoopPaths.absolute(result.target(), conf);
    ShardCopies.run(spark, io, result.out(), groups, "sparkpoint restore-partial " + result.source() + " into " + result.out() + " in "
        + groups.size() + " tasks", (taskIO, copies, writer) -> {
          try (BundleReader sources = BundleReader.open(taskIO, sourcePrefix); BundleReader targets = BundleReader.open(taskIO, targetPrefix)) {
            PartialRestore.copy(copies, sources, targets, writer);
          }
        });
  }
}
