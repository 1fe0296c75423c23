package io.sparkpoint.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;

/** Small files written all at once: a reader sees the old content or the new, never a part. */
public final class AtomicFiles {
  /** What follows a file's name in the name of its temporary copy: {@code .tmp} and 32 hex digits. */
  public static final String TEMP_SUFFIX_REGEX = "\\.tmp[0-9a-f]{32}";

  private AtomicFiles() {}

  /**
   * Writes {@code bytes} to {@code location}, replacing what is there. With {@link SupportsRename},
   * the bytes go to {@code location.tmp<32 hex digits>} first, which is then renamed over the
   * target, so a crash or a failure leaves the previous file intact (the temporary copy is deleted
   * on failure; only a crash leaves it behind). Without renames the file is overwritten in place.
   */
  public static void replace(FileIO io, String location, byte[] bytes) throws IOException {
    if (!(io instanceof SupportsRename renamer)) {
      try (OutputStream out = io.newOutputFile(location).createOrOverwrite()) {
        out.write(bytes);
      }
      return;
    }
    String temp = location + ".tmp" + UUID.randomUUID().toString().replace("-", "");
    try {
      try (OutputStream out = io.newOutputFile(temp).create()) {
        out.write(bytes);
      }
      renamer.renameReplacing(temp, location);
    } catch (IOException | RuntimeException e) {
      io.deleteFile(temp);
      throw e;
    }
  }
}
