package io.sparkpoint.spark.jobs;

import io.sparkpoint.freeze.FreezeGraph;
import io.sparkpoint.fs.FileIO;
import java.io.IOException;
import java.util.List;

/** Freezes a checkpoint's graph into one GraphDef file (see {@link FreezeGraph}); runs on the driver. */
public final class FreezeJob {
  private FreezeJob() {}

  /**
   * @param checkpoint a checkpoint prefix, or a directory whose state file names one
   * @param meta the MetaGraphDef to use instead of {@code <prefix>.meta}, or null
   */
  public static FreezeGraph.Result run(
      FileIO io, String checkpoint, String meta, List<String> outputs, String out, FreezeGraph.Format format)
      throws IOException {
    return FreezeGraph.freeze(io, checkpoint, meta, outputs, out, format);
  }
}
