package io.sparkpoint.retention;

import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.SupportsDirectories;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes one checkpoint's files, and only those: {@code prefix.index}, the data files the index
 * names ({@code prefix.data-00000-of-0000N} ...) and {@code prefix.meta}. No glob is ever used, so a
 * file that merely looks similar ({@code prefix.index.bak}, {@code prefix-best.index}) survives.
 * The index goes first, so a half-deleted checkpoint is never taken for a valid one.
 */
public final class CheckpointFiles {
  private CheckpointFiles() {}

  /** When a checkpoint was saved: its index file's modification time in seconds, or null when it is gone. */
  public static Double savedAt(FileIO io, String prefix) {
    try {
      return io.newInputFile(BundleNaming.indexFile(prefix)).lastModifiedMillis() / 1000.0;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * @param metaGraphSuffix the meta graph's suffix ({@code meta}), or null to keep the meta graph
   * @return the files deleted
   */
  public static List<String> remove(FileIO io, String prefix, String metaGraphSuffix) throws IOException {
    return remove(io, prefix, metaGraphSuffix == null ? List.of() : List.of(metaGraphSuffix));
  }

  /**
   * Deletes the index, the data files, then {@code prefix.SUFFIX} for each of {@code alsoSuffixes}
   * ({@code meta}, {@code manifest.json}); files already gone are skipped, so it can be repeated.
   *
   * @return the files deleted
   */
  public static List<String> remove(FileIO io, String prefix, List<String> alsoSuffixes) throws IOException {
    Set<String> files = new LinkedHashSet<>();
    String index = BundleNaming.indexFile(prefix);
    files.add(index);
    files.addAll(dataFiles(io, prefix));
    for (String suffix : alsoSuffixes) {
      files.add(prefix + "." + suffix);
    }
    List<String> deleted = new ArrayList<>();
    for (String file : files) {
      if (io.deleteFile(file)) {
        deleted.add(file);
      }
    }
    return deleted;
  }

  /** The data files of the index's header, or, when the index is unreadable, those listed in the directory with exact data-file names. */
  private static List<String> dataFiles(FileIO io, String prefix) throws IOException {
    List<String> files = new ArrayList<>();
    try (BundleReader reader = BundleReader.open(io, prefix)) {
      int shards = reader.numShards();
      for (int shard = 0; shard < shards; shard++) {
        files.add(BundleNaming.dataFile(prefix, shard, shards));
      }
      return files;
    } catch (IOException | RuntimeException unreadable) {
      if (io instanceof SupportsDirectories dirs && dirs.isDirectory(Locations.parent(prefix))) {
        for (String file : dirs.list(Locations.parent(prefix))) {
          String name = Locations.name(file);
          if (BundleNaming.isDataFileOf(Locations.name(prefix), name)) {
            files.add(Locations.join(Locations.parent(prefix), name));
          }
        }
      }
      return files;
    }
  }
}
