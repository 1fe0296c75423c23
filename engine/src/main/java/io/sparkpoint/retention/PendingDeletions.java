package io.sparkpoint.retention;

import io.sparkpoint.checkpoint.CheckpointState;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.AtomicFiles;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.RandomAccessInput;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The record that closes retention's crash window. TensorFlow's Saver writes the state file, then
 * deletes the checkpoints that left it; a crash in between leaves their files behind, listed
 * nowhere and, unlike a checkpoint kept every N hours (also unlisted, but on purpose), impossible to
 * recognise. Here a sweep goes:
 * <ol>
 *   <li>{@link #record} the prefixes about to be deleted, atomically, next to the state file;
 *   <li>write the state file;
 *   <li>{@link #finish}: delete the files of every recorded checkpoint the state file does not list,
 *       then remove the record.
 * </ol>
 * Every save, commit and retain in the directory calls {@link #finish} before it writes anything,
 * so whatever a crash interrupted is completed by the next writer: a recorded checkpoint the state
 * file still lists (the crash came before the state file) is kept and dropped from the record, and
 * one it no longer lists is garbage for sure and deleted. Checkpoints kept every N hours are never
 * recorded. Deleting is idempotent: files already gone are skipped.
 *
 * <p>The record is {@code DIR/.STATE.pending-deletions} ({@code .checkpoint.pending-deletions} for
 * the default state file): hidden, and matching no checkpoint file name, so no listing takes it for
 * a checkpoint. It is UTF-8 text, one item a line:
 * <pre>
 * sparkpoint pending-deletions v1
 * also meta manifest.json
 * delete /models/run/model.ckpt-100
 * delete /models/run/model.ckpt-150
 * end
 * </pre>
 * {@code also} names, by suffix, the files deleted besides {@code PREFIX.index} and the data files
 * the index names. Each {@code delete} line holds one prefix, exactly as its writer named it. The
 * {@code end} line proves the record complete. A record that does not parse is never acted upon: it
 * fails naming the file. Not thread-safe: one writer per directory.
 */
public final class PendingDeletions {
  static final String HEADER = "sparkpoint pending-deletions v1";
  private static final String ALSO = "also";
  private static final String DELETE = "delete ";
  private static final String END = "end";
  /** Far beyond any real record (a few hundred bytes); refuses to load a stray huge file. */
  private static final long MAX_BYTES = 16L << 20;

  private final FileIO io;
  private final String directory;
  /** The state file's name; the record's is derived from it. */
  private final String stateFile;

  private PendingDeletions(FileIO io, String directory, String stateFile) {
    this.io = io;
    this.directory = directory;
    this.stateFile = stateFile == null ? Checkpoints.DEFAULT_STATE_FILE : stateFile;
  }

  /**
   * The record of the state file {@code stateFile} (null for {@code checkpoint}) of {@code directory}.
   * Nothing is read until asked.
   */
  public static PendingDeletions of(FileIO io, String directory, String stateFile) {
    return new PendingDeletions(io, directory, stateFile);
  }

  /** The record's location: {@code DIR/.STATE.pending-deletions}. */
  public String location() {
    return Locations.join(directory, "." + stateFile + ".pending-deletions");
  }

  /** A record's content: the checkpoints to delete, and the suffixes of their files besides the index and data. */
  public record Contents(List<String> prefixes, List<String> alsoSuffixes) {}

  /**
   * What {@link #finish} did.
   *
   * @param prefixes the recorded checkpoints it deleted (or found already deleted)
   * @param files the files it deleted
   * @param failures one message per checkpoint it could not delete; those stay recorded
   */
  public record Finished(List<String> prefixes, List<String> files, List<String> failures) {
    static final Finished NOTHING = new Finished(List.of(), List.of(), List.of());

    /** @throws IOException with every failure, when there was one */
    public Finished requireComplete() throws IOException {
      if (!failures.isEmpty()) {
        throw new IOException(String.join("; ", failures));
      }
      return this;
    }
  }

  /**
   * @return the record, or null when there is none
   * @throws IOException naming the record when it cannot be read or parsed
   */
  public Contents read() throws IOException {
    String text;
    try (RandomAccessInput input = io.newInputFile(location()).open()) {
      if (input.length() > MAX_BYTES) {
        throw invalid(input.length() + " bytes is too large for a record");
      }
      text = new String(input.readFully(0, (int) input.length()), StandardCharsets.UTF_8);
    } catch (FileNotFoundException e) {
      return null;
    }
    return parse(text);
  }

  /** The recorded checkpoints the state file does not list: what {@link #finish} would delete (a dry run). */
  public List<String> leftovers() throws IOException {
    Contents record = read();
    if (record == null) {
      return List.of();
    }
    Set<String> listed = listedNames();
    return record.prefixes().stream().filter(p -> !listed.contains(Locations.name(p))).toList();
  }

  /**
   * Records that the checkpoints {@code prefixes} are about to be deleted, before the state file
   * stops listing them; checkpoints a previous record still holds stay recorded. Writes nothing for
   * an empty list. Atomic where the FileIO renames: a crash leaves the previous record, or none.
   *
   * @param alsoSuffixes the suffixes of the files to delete besides the index and data ({@code meta})
   * @throws IllegalArgumentException for a prefix with a line break, or a suffix that is empty or has a space
   */
  public void record(List<String> prefixes, List<String> alsoSuffixes) throws IOException {
    if (prefixes.isEmpty()) {
      return;
    }
    for (String prefix : prefixes) {
      if (prefix.isEmpty() || prefix.contains("\n") || prefix.contains("\r")) {
        throw new IllegalArgumentException("Cannot record checkpoint prefix '" + prefix + "' for deletion: it is empty or has a line break");
      }
    }
    for (String suffix : alsoSuffixes) {
      if (suffix.isEmpty() || suffix.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("Invalid file suffix '" + suffix + "': expected a non-empty suffix without spaces");
      }
    }
    Contents previous = read();
    Set<String> allPrefixes = new LinkedHashSet<>();
    Set<String> allSuffixes = new LinkedHashSet<>();
    if (previous != null) {
      allPrefixes.addAll(previous.prefixes());
      allSuffixes.addAll(previous.alsoSuffixes());
    }
    allPrefixes.addAll(prefixes);
    allSuffixes.addAll(alsoSuffixes);
    write(new Contents(List.copyOf(allPrefixes), List.copyOf(allSuffixes)));
  }

  /**
   * Completes the record: deletes the files of each recorded checkpoint the state file does not
   * list (index first), then removes the record, or, when some could not be deleted, rewrites it
   * with just those. Does nothing without a record.
   *
   * @return what was deleted, and what could not be (reported, not thrown: the state file is already right)
   * @throws IOException naming the file when the record is invalid or the state file unreadable: then nothing is deleted
   */
  public Finished finish() throws IOException {
    Contents record = read();
    if (record == null) {
      return Finished.NOTHING;
    }
    Set<String> listed = listedNames();
    List<String> done = new ArrayList<>();
    List<String> files = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<String> remaining = new ArrayList<>();
    for (String prefix : record.prefixes()) {
      if (listed.contains(Locations.name(prefix))) {
        continue; // listed again (a crash before the state file, or saved anew): a live checkpoint
      }
      try {
        files.addAll(CheckpointFiles.remove(io, prefix, record.alsoSuffixes()));
        done.add(prefix);
      } catch (IOException | RuntimeException e) {
        failures.add("Cannot delete old checkpoint " + prefix + " (it stays in " + location() + " for the next save): " + e.getMessage());
        remaining.add(prefix);
      }
    }
    if (remaining.isEmpty()) {
      io.deleteFile(location());
    } else if (remaining.size() < record.prefixes().size()) {
      write(new Contents(remaining, record.alsoSuffixes()));
    }
    return new Finished(done, files, failures);
  }

  /** The names of the checkpoints the state file lists; compared by name, so a path spelled differently still counts as listed. */
  private Set<String> listedNames() throws IOException {
    CheckpointState state;
    try {
      state = Checkpoints.getCheckpointState(io, directory, stateFile);
    } catch (IOException e) {
      throw new IOException("Cannot finish the pending deletions of " + location() + ": which checkpoints the state file lists is unknown: "
          + e.getMessage(), e);
    }
    Set<String> names = new HashSet<>();
    if (state != null) {
      names.add(Locations.name(state.modelCheckpointPath()));
      state.allModelCheckpointPaths().forEach(p -> names.add(Locations.name(p)));
    }
    return names;
  }

  private void write(Contents record) throws IOException {
    StringBuilder text = new StringBuilder(HEADER).append('\n').append(ALSO);
    record.alsoSuffixes().forEach(s -> text.append(' ').append(s));
    text.append('\n');
    record.prefixes().forEach(p -> text.append(DELETE).append(p).append('\n'));
    text.append(END).append('\n');
    AtomicFiles.replace(io, location(), text.toString().getBytes(StandardCharsets.UTF_8));
  }

  private Contents parse(String text) throws IOException {
    if (!text.endsWith("\n")) {
      throw invalid("it does not end with a line break, so it may be cut short");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (!lines[0].equals(HEADER)) {
      throw invalid("line 1 is '" + lines[0] + "', expected '" + HEADER + "'");
    }
    if (lines.length < 3 || !(lines[1].equals(ALSO) || lines[1].startsWith(ALSO + " "))) {
      throw invalid("line 2 should be '" + ALSO + "' and the file suffixes to delete, got '" + (lines.length < 2 ? "" : lines[1]) + "'");
    }
    if (!lines[lines.length - 1].equals(END)) {
      throw invalid("the last line is '" + lines[lines.length - 1] + "', expected '" + END + "', so it may be cut short");
    }
    List<String> suffixes = List.of(lines[1].substring(ALSO.length()).trim().split(" +")).stream().filter(s -> !s.isEmpty()).toList();
    List<String> prefixes = new ArrayList<>();
    for (int i = 2; i < lines.length - 1; i++) {
      if (!lines[i].startsWith(DELETE) || lines[i].length() == DELETE.length()) {
        throw invalid("line " + (i + 1) + " is '" + lines[i] + "', expected '" + DELETE + "PREFIX'");
      }
      prefixes.add(lines[i].substring(DELETE.length()));
    }
    return new Contents(List.copyOf(prefixes), suffixes);
  }

  private IOException invalid(String problem) {
    return new IOException("Invalid pending-deletions record " + location() + ": " + problem
        + ". Nothing was deleted; check the checkpoints it names against the state file, then remove it by hand");
  }
}
