package io.sparkpoint.spark.hadoop;

import io.sparkpoint.fs.Locations;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Locations as every process of a Spark job sees them. */
public final class HadoopPaths {
  private HadoopPaths() {}

  /**
   * {@code location} made absolute here, on the driver, so that executors, whose working directory
   * differs, find it: a relative local path becomes {@code file:/...}, a relative HDFS one is
   * qualified with the filesystem and home directory. An absolute path or URI comes back unchanged.
   */
  public static String absolute(String location, Configuration conf) throws IOException {
    if (Locations.isAbsolute(location)) {
      return location;
    }
    Path path = new Path(location);
    return path.getFileSystem(conf).makeQualified(path).toString();
  }
}
