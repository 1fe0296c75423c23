package io.sparkpoint.spark.hadoop;

import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration, shipped to executors with a task so that their reads and writes
 * reach the same filesystems (Spark's own wrapper is private to Spark). It travels in the
 * configuration's Writable form: every property set.
 */
public final class HadoopConf implements Serializable {
  private static final long serialVersionUID = 1L;
  private transient Configuration conf;

  public HadoopConf(Configuration conf) {
    this.conf = conf;
  }

  public Configuration value() {
    return conf;
  }

  /** A FileIO over this configuration. */
  public FileIO fileIO() {
    return new HadoopFileIO(conf);
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(in);
  }
}
