package io.sparkpoint.fs;

import java.io.IOException;
import java.util.List;

/** A FileIO with directories: listing, creating and removing them. */
public interface SupportsDirectories {
  boolean isDirectory(String location) throws IOException;

  /** Creates the directory and any missing parents; an existing directory is fine. */
  void createDirectories(String location) throws IOException;

  /** The locations of the direct children of a directory, sorted; empty if it does not exist. */
  List<String> list(String directory) throws IOException;

  /** Deletes a directory with everything in it; false if it did not exist. */
  boolean deleteDirectory(String location) throws IOException;
}
