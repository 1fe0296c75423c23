package io.sparkpoint.spark.jobs;

import io.sparkpoint.fs.FileIO;
import io.sparkpoint.restore.PartialRestore;
import io.sparkpoint.restore.RestoreOptions;
import java.io.IOException;

/**
 * The offline warm start: a new checkpoint holding the target checkpoint's variables, with the
 * values the plan takes from the source checkpoint (see {@link PartialRestore}).
 */
public final class RestorePartialJob {
  private RestorePartialJob() {}

  public static PartialRestore.Result run(FileIO io, String source, String target, String out, RestoreOptions options,
      PartialRestore.Mode mode) throws IOException {
    return PartialRestore.run(io, source, target, out, options, mode);
  }
}
