package io.sparkpoint.spark.jobs;

import io.sparkpoint.bundle.BundleValidator;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.FileIO;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;

/** Checks a checkpoint end to end (see {@link BundleValidator}). */
public final class ValidateJob {
  private ValidateJob() {}

  public static BundleValidator.Report run(FileIO io, String path) throws IOException {
    String prefix;
    try {
      prefix = Checkpoints.resolvePrefix(io, path);
    } catch (FileNotFoundException e) {
      return new BundleValidator.Report(path, 0, 0, List.of(new BundleValidator.Problem(path, null, e.getMessage())));
    }
    return BundleValidator.validate(io, prefix);
  }
}
