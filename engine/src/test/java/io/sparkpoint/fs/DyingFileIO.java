package io.sparkpoint.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Predicate;

/**
 * Another FileIO, until the process "dies": once a rename onto a chosen name succeeded (the state
 * file was written), the next delete throws, and so does every call after it, as if the process had
 * been killed right there. Files written before stay as they are, for a new FileIO to find.
 */
public final class DyingFileIO<T extends FileIO & SupportsRename & SupportsDirectories> implements FileIO, SupportsRename, SupportsDirectories {
  private final T delegate;
  private final Predicate<String> armingRenameTarget;
  private boolean armed;
  private boolean dead;

  /** @param armingRenameTarget the rename targets after which the next delete kills the process */
  public DyingFileIO(T delegate, Predicate<String> armingRenameTarget) {
    this.delegate = delegate;
    this.armingRenameTarget = armingRenameTarget;
  }

  public boolean dead() {
    return dead;
  }

  private void alive() {
    if (dead) {
      throw new UncheckedIOException(new IOException("simulated crash: the process is dead"));
    }
  }

  @Override
  public InputFile newInputFile(String location) {
    alive();
    return delegate.newInputFile(location);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    alive();
    return delegate.newOutputFile(location);
  }

  @Override
  public boolean deleteFile(String location) {
    alive();
    if (armed) {
      dead = true;
      throw new UncheckedIOException(new IOException("simulated crash before deleting " + location));
    }
    return delegate.deleteFile(location);
  }

  @Override
  public void renameNoReplace(String from, String to) throws IOException {
    alive();
    delegate.renameNoReplace(from, to);
    armed |= armingRenameTarget.test(to);
  }

  @Override
  public void renameReplacing(String from, String to) throws IOException {
    alive();
    delegate.renameReplacing(from, to);
    armed |= armingRenameTarget.test(to);
  }

  @Override
  public boolean isDirectory(String location) throws IOException {
    alive();
    return delegate.isDirectory(location);
  }

  @Override
  public void createDirectories(String location) throws IOException {
    alive();
    delegate.createDirectories(location);
  }

  @Override
  public List<String> list(String directory) throws IOException {
    alive();
    return delegate.list(directory);
  }

  @Override
  public boolean deleteDirectory(String location) throws IOException {
    alive();
    return delegate.deleteDirectory(location);
  }
}
