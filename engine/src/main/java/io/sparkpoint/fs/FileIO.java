package io.sparkpoint.fs;

/**
 * The storage seam: every byte the engine reads or writes goes through a FileIO.
 *
 * <p>Locations are strings: a URI ({@code hdfs://nn:8020/ckpt/model}) or a plain path. Optional
 * abilities (renames, directories) are separate interfaces; test for them with {@code instanceof}.
 */
public interface FileIO {
  InputFile newInputFile(String location);

  OutputFile newOutputFile(String location);

  /**
   * Deletes one file.
   *
   * @return false if there was nothing to delete
   */
  boolean deleteFile(String location);
}
