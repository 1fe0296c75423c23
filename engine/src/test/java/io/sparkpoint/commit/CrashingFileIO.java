package io.sparkpoint.commit;

import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.InputFile;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.fs.OutputFile;
import io.sparkpoint.fs.SupportsDirectories;
import io.sparkpoint.fs.SupportsRename;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/** The local filesystem, except that renames onto chosen names fail, as if the process died there. */
final class CrashingFileIO implements FileIO, SupportsRename, SupportsDirectories {
  private final LocalFileIO local = new LocalFileIO();
  private final Predicate<String> crashOnRenameTo;

  CrashingFileIO(Predicate<String> crashOnRenameTo) {
    this.crashOnRenameTo = crashOnRenameTo;
  }

  @Override
  public InputFile newInputFile(String location) {
    return local.newInputFile(location);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return local.newOutputFile(location);
  }

  @Override
  public boolean deleteFile(String location) {
    return local.deleteFile(location);
  }

  @Override
  public void renameNoReplace(String from, String to) throws IOException {
    check(to);
    local.renameNoReplace(from, to);
  }

  @Override
  public void renameReplacing(String from, String to) throws IOException {
    check(to);
    local.renameReplacing(from, to);
  }

  private void check(String to) throws IOException {
    if (crashOnRenameTo.test(to)) {
      throw new IOException("simulated crash before renaming to " + to);
    }
  }

  @Override
  public boolean isDirectory(String location) {
    return local.isDirectory(location);
  }

  @Override
  public void createDirectories(String location) throws IOException {
    local.createDirectories(location);
  }

  @Override
  public List<String> list(String directory) throws IOException {
    return local.list(directory);
  }

  @Override
  public boolean deleteDirectory(String location) throws IOException {
    return local.deleteDirectory(location);
  }
}
