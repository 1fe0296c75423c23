package io.sparkpoint.table;

/**
 * How a table is laid out. The defaults are the settings TensorFlow uses for every checkpoint
 * index, so that our files are byte-identical to TensorFlow's.
 *
 * @param blockSizeBytes a data block is closed once its estimated size reaches this
 * @param restartInterval entries between restart points in data blocks (the index block uses 1)
 */
public record TableOptions(int blockSizeBytes, int restartInterval) {
  public static final TableOptions TENSORFLOW = new TableOptions(256 * 1024, 16);

  public TableOptions {
    if (blockSizeBytes <= 0) {
      throw new IllegalArgumentException("Invalid block size: " + blockSizeBytes);
    }
    if (restartInterval <= 0) {
      throw new IllegalArgumentException("Invalid restart interval: " + restartInterval);
    }
  }
}
