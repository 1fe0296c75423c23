package io.sparkpoint.spark.jobs;

import io.sparkpoint.fs.FileIO;
import io.sparkpoint.retention.RetainAction;
import java.io.IOException;

/** Applies max_to_keep and keep-every-N-hours to a checkpoint directory now (see {@link RetainAction}). */
public final class RetainJob {
  private RetainJob() {}

  public static RetainAction.Result run(FileIO io, String directory, int maxToKeep, Double keepCheckpointEveryNHours, boolean dryRun)
      throws IOException {
    return RetainAction.run(io, directory, maxToKeep, keepCheckpointEveryNHours, dryRun, System.currentTimeMillis() / 1000.0);
  }
}
