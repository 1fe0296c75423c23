package io.sparkpoint.checkpoint;

import com.google.protobuf.TextFormat;
import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.fs.AtomicFiles;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.RandomAccessInput;
import io.sparkpoint.fs.SupportsDirectories;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A checkpoint directory: its state file, the latest checkpoint, whether a checkpoint exists. The
 * state file is named {@code checkpoint} unless a caller chooses another name.
 */
public final class Checkpoints {
  public static final String DEFAULT_STATE_FILE = "checkpoint";
  private static final java.util.regex.Pattern STEP_SUFFIX = java.util.regex.Pattern.compile("-(\\d+)$");

  private Checkpoints() {}

  /**
   * Reads the state file of {@code directory}. Relative paths in it are resolved against the
   * directory. An absolute path that does not exist but whose file name does exist in the directory
   * (a directory copied from another machine) resolves to the copy in the directory.
   *
   * @param stateFile the state file's name, or null for {@code checkpoint}
   * @return null when there is no state file
   * @throws InvalidCheckpointStateException when it cannot be parsed or names no checkpoint
   */
  public static CheckpointState getCheckpointState(FileIO io, String directory, String stateFile) throws IOException {
    String file = Locations.join(directory, stateFile == null ? DEFAULT_STATE_FILE : stateFile);
    String text;
    try (RandomAccessInput input = io.newInputFile(file).open()) {
      if (input.length() > (64L << 20)) {
        throw new InvalidCheckpointStateException("Invalid checkpoint state " + file + ": " + input.length() + " bytes is too large", null);
      }
      text = new String(input.readFully(0, (int) input.length()), StandardCharsets.UTF_8);
    } catch (FileNotFoundException e) {
      return null;
    }
    CheckpointState state;
    try {
      state = CheckpointStateParser.parse(text);
    } catch (TextFormat.ParseException | IllegalArgumentException e) {
      throw new InvalidCheckpointStateException("Invalid checkpoint state loaded from " + file + ": " + e.getMessage(), e);
    }
    if (state.modelCheckpointPath().isEmpty()) {
      throw new InvalidCheckpointStateException("Invalid checkpoint state loaded from " + directory + ": model_checkpoint_path is empty", null);
    }
    List<String> paths = new ArrayList<>();
    for (String path : state.allModelCheckpointPaths()) {
      paths.add(resolve(io, directory, path));
    }
    return new CheckpointState(
        resolve(io, directory, state.modelCheckpointPath()), paths, state.allModelCheckpointTimestamps(), state.lastPreservedTimestamp());
  }

  /**
   * The newest checkpoint of {@code directory} according to its state file, if its files exist.
   *
   * @return the checkpoint prefix, or null when there is none
   */
  public static String latestCheckpoint(FileIO io, String directory, String stateFile) throws IOException {
    CheckpointState state = getCheckpointState(io, directory, stateFile);
    if (state == null || !checkpointExists(io, state.modelCheckpointPath())) {
      return null;
    }
    return state.modelCheckpointPath();
  }

  /** True when {@code prefix.index} (V2) or a file named {@code prefix} (V1) exists. */
  public static boolean checkpointExists(FileIO io, String prefix) throws IOException {
    return io.newInputFile(BundleNaming.indexFile(prefix)).exists() || io.newInputFile(prefix).exists();
  }

  /**
   * Resolves what a user typed: a checkpoint prefix, or a directory whose state file names one.
   *
   * @throws FileNotFoundException with the reason when neither applies
   */
  public static String resolvePrefix(FileIO io, String prefixOrDirectory) throws IOException {
    if (io.newInputFile(BundleNaming.indexFile(prefixOrDirectory)).exists()) {
      return prefixOrDirectory;
    }
    if (io instanceof SupportsDirectories dirs && dirs.isDirectory(prefixOrDirectory)) {
      String latest = latestCheckpoint(io, prefixOrDirectory, null);
      if (latest == null) {
        throw new FileNotFoundException(
            "Couldn't find 'checkpoint' file or checkpoints in given directory " + prefixOrDirectory);
      }
      return latest;
    }
    if (io.newInputFile(prefixOrDirectory).exists()) {
      return prefixOrDirectory; // a V1 file; the reader says it is unsupported
    }
    throw new FileNotFoundException(
        "Cannot find a checkpoint at " + prefixOrDirectory + ": expected " + BundleNaming.indexFile(prefixOrDirectory)
            + " or a directory with a 'checkpoint' state file");
  }

  /**
   * Writes the state file atomically: to a temporary file, then renamed over the old one. With
   * {@code relativePaths}, paths inside {@code directory} are written relative to it.
   */
  public static void updateCheckpointState(
      FileIO io, String directory, CheckpointState state, String stateFile, PathStyle style) throws IOException {
    String file = Locations.join(directory, stateFile == null ? DEFAULT_STATE_FILE : stateFile);
    if (file.equals(state.modelCheckpointPath())) {
      throw new IllegalArgumentException(
          "Save path '" + state.modelCheckpointPath() + "' conflicts with path used for checkpoint state.  Please use a different save path.");
    }
    List<String> paths = new ArrayList<>(state.allModelCheckpointPaths());
    if (paths.isEmpty() || !paths.get(paths.size() - 1).equals(state.modelCheckpointPath())) {
      paths.add(state.modelCheckpointPath());
    }
    if (!Locations.isAbsolute(directory) && !Locations.hasScheme(directory)) {
      style = PathStyle.RELATIVE; // as TensorFlow: with a relative directory, paths are written relative to it
    }
    List<String> written = new ArrayList<>();
    for (String path : paths) {
      written.add(style.render(directory, path));
    }
    List<Double> timestamps = state.allModelCheckpointTimestamps();
    if (!timestamps.isEmpty() && timestamps.size() != written.size()) {
      throw new IllegalArgumentException(
          "Checkpoint timestamps, if provided, must match checkpoint paths (got paths " + written + " and timestamps " + timestamps + ")");
    }
    CheckpointState out = new CheckpointState(
        style.render(directory, state.modelCheckpointPath()), written, timestamps, state.lastPreservedTimestamp());
    AtomicFiles.replace(io, file, CheckpointStateParser.toText(out).getBytes(StandardCharsets.UTF_8));
  }

  /** The global step in a prefix's {@code -N} suffix ({@code model.ckpt-100} is step 100); null without one. */
  public static Long stepOf(String prefix) {
    java.util.regex.Matcher matcher = STEP_SUFFIX.matcher(Locations.name(prefix));
    if (!matcher.find()) {
      return null;
    }
    try {
      return Long.parseLong(matcher.group(1));
    } catch (NumberFormatException e) {
      return null; // more digits than a long holds: not a step
    }
  }

  /** How paths are written into the state file. */
  public enum PathStyle {
    /** As given (TF1 Saver's default). */
    AS_GIVEN,
    /** Relative to the directory when they lie inside it (TF2, and {@code save_relative_paths}). */
    RELATIVE;

    String render(String directory, String path) {
      if (this == AS_GIVEN) {
        return path;
      }
      String base = directory.endsWith("/") ? directory : directory + "/";
      return path.startsWith(base) ? path.substring(base.length()) : path;
    }
  }

  private static String resolve(FileIO io, String directory, String path) throws IOException {
    if (!Locations.isAbsolute(path)) {
      return Locations.join(directory, path);
    }
    if (!checkpointExists(io, path)) {
      String local = Locations.join(directory, Locations.name(path));
      if (checkpointExists(io, local)) {
        return local;
      }
    }
    return path;
  }
}
