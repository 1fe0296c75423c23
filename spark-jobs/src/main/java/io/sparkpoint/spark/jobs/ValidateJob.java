package io.sparkpoint.spark.jobs;

import io.sparkpoint.bundle.BundleValidator;
import io.sparkpoint.bundle.ValidationPlan;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.FileIO;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;

/**
 * Checks a checkpoint end to end (see {@link BundleValidator}), in this JVM or as Spark tasks (see
 * {@link Placement}). On Spark the driver reads the index and checks what it alone shows; each task
 * checks the bounds and checksums of the tensors in up to {@code splitBytes} of one data file, a
 * larger tensor being split into ranges whose checksums the driver combines. Either way the report
 * is the same, problem for problem and word for word.
 */
public final class ValidateJob {
  /** The bytes one Spark task checks by default, as the {@code tfcheckpoint} source reads. */
  public static final long DEFAULT_SPLIT_BYTES = 64L << 20;

  private ValidateJob() {}

  /**
   * @param path a checkpoint prefix or a directory with a state file
   * @param splitBytes on Spark, the most bytes one task checks
   * @throws IllegalArgumentException when {@code splitBytes} is not positive
   */
  public static BundleValidator.Report run(FileIO io, String path, Placement placement, long splitBytes) throws IOException {
    if (splitBytes < 1) {
      throw new IllegalArgumentException("Invalid split size: " + splitBytes + " bytes; expected at least 1");
    }
    String prefix;
    try {
      prefix = Checkpoints.resolvePrefix(io, path);
    } catch (FileNotFoundException e) {
      return new BundleValidator.Report(path, 0, 0, List.of(new BundleValidator.Problem(path, null, e.getMessage())));
    }
    if (placement.mode() == Placement.Mode.LOCAL) {
      return BundleValidator.validate(io, prefix);
    }
    ValidationPlan plan = ValidationPlan.of(io, prefix, splitBytes);
    List<ValidationTasks.Task> tasks = ValidationTasks.group(plan, splitBytes);
    if (!placement.usesSpark(plan.bytesToCheck(), tasks.size())) {
      return tasks.isEmpty() ? plan.report(List.of()) : BundleValidator.validate(io, prefix);
    }
    return plan.report(ValidationTasks.run(placement.session("sparkpoint validate"), plan, tasks));
  }
}
