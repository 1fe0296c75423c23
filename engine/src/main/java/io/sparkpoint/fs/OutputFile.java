package io.sparkpoint.fs;

import java.io.IOException;

/** A file to write. */
public interface OutputFile {
  String location();

  /**
   * Creates the file.
   *
   * @throws java.nio.file.FileAlreadyExistsException when it exists
   * @throws java.io.FileNotFoundException when its parent directory does not exist
   */
  PositionOutputStream create() throws IOException;

  /** Creates the file, replacing an existing one. */
  PositionOutputStream createOrOverwrite() throws IOException;
}
