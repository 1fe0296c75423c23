package io.sparkpoint.fs;

import java.io.IOException;

/** A FileIO that can rename; how atomic each rename is depends on the filesystem (see implementations). */
public interface SupportsRename {
  /**
   * Renames {@code from} to {@code to}, failing if {@code to} exists.
   *
   * @throws java.nio.file.FileAlreadyExistsException when {@code to} exists
   * @throws IOException when the rename did not happen
   */
  void renameNoReplace(String from, String to) throws IOException;

  /** Renames {@code from} to {@code to}, replacing {@code to} in one atomic step where the filesystem can. */
  void renameReplacing(String from, String to) throws IOException;
}
