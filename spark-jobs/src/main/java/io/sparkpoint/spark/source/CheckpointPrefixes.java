package io.sparkpoint.spark.source;

import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.checkpoint.CheckpointReader;
import io.sparkpoint.checkpoint.CheckpointState;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.SupportsDirectories;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the paths a user loads into checkpoint prefixes, and prefixes into training steps. */
final class CheckpointPrefixes {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointPrefixes.class);
  /** The {@code -N} a Saver appends to a prefix for global step N. */

  private CheckpointPrefixes() {}

  /**
   * Every checkpoint the paths name, in order, each once. A prefix is that checkpoint. A directory
   * is its latest checkpoint through its state file, or with {@code all} every checkpoint the state
   * file lists, oldest first; listed checkpoints whose index is gone (deleted by retention after
   * the state file was read) are skipped with a warning.
   *
   * @throws FileNotFoundException naming the path and what was expected, when a path is no checkpoint
   * @throws io.sparkpoint.bundle.UnsupportedBundleException for a V1 checkpoint
   */
  static List<String> resolve(FileIO io, List<String> paths, boolean all) throws IOException {
    Set<String> prefixes = new LinkedHashSet<>();
    for (String path : paths) {
      if (all && !indexExists(io, path) && io instanceof SupportsDirectories dirs && dirs.isDirectory(path)) {
        prefixes.addAll(listed(io, path));
      } else {
        prefixes.add(checkedPrefix(io, Checkpoints.resolvePrefix(io, path)));
      }
    }
    return List.copyOf(prefixes);
  }

  private static List<String> listed(FileIO io, String directory) throws IOException {
    CheckpointState state = Checkpoints.getCheckpointState(io, directory, null);
    if (state == null) {
      throw new FileNotFoundException("Couldn't find 'checkpoint' file or checkpoints in given directory " + directory);
    }
    List<String> listed = new ArrayList<>(state.allModelCheckpointPaths());
    if (!listed.contains(state.modelCheckpointPath())) {
      listed.add(state.modelCheckpointPath());
    }
    List<String> present = new ArrayList<>();
    for (String prefix : listed) {
      if (indexExists(io, prefix)) {
        present.add(prefix);
      } else {
        LOG.warn("Skipping checkpoint {}: the state file of {} lists it but {} does not exist", prefix, directory,
            BundleNaming.indexFile(prefix));
      }
    }
    if (present.isEmpty()) {
      throw new FileNotFoundException(
          "Couldn't find 'checkpoint' file or checkpoints in given directory " + directory + ": none of the "
              + listed.size() + " checkpoints its state file lists exists");
    }
    return present;
  }

  /** A resolved prefix without {@code .index} is a V1 checkpoint: fails with the checkpoint reader's message. */
  private static String checkedPrefix(FileIO io, String prefix) throws IOException {
    if (!indexExists(io, prefix)) {
      CheckpointReader.open(io, prefix).close();
    }
    return prefix;
  }

  private static boolean indexExists(FileIO io, String prefix) throws IOException {
    return io.newInputFile(BundleNaming.indexFile(prefix)).exists();
  }
}
