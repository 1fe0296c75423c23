package io.sparkpoint.bundle;

import io.sparkpoint.fs.FileIO;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.TensorSliceProto;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.TensorSlice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a checkpoint end to end, like fsck: the index and its header, that every data shard
 * exists, that every entry lies inside its file, and every tensor's checksum. It reports every
 * problem it finds rather than stopping at the first.
 */
public final class BundleValidator {
  private BundleValidator() {}

  /** One problem: the file it is in, the tensor if any (else null), and what is wrong. */
  public record Problem(String file, String tensor, String message) {
    @Override
    public String toString() {
      return file + (tensor == null ? "" : ": " + tensor) + ": " + message;
    }
  }

  /** The outcome: what was checked and what is wrong. */
  public record Report(String prefix, int tensorsChecked, long bytesChecked, List<Problem> problems) {
    public boolean isValid() {
      return problems.isEmpty();
    }
  }

  public static Report validate(FileIO io, String prefix) {
    List<Problem> problems = new ArrayList<>();
    String indexFile = BundleNaming.indexFile(prefix);
    BundleReader reader;
    try {
      reader = BundleReader.open(io, prefix);
    } catch (IOException | RuntimeException e) {
      problems.add(new Problem(indexFile, null, describe(e)));
      return new Report(prefix, 0, 0, problems);
    }
    int checked = 0;
    long bytes = 0;
    try (reader) {
      boolean[] shardMissing = new boolean[reader.numShards()];
      for (int shard = 0; shard < reader.numShards(); shard++) {
        String file = BundleNaming.dataFile(prefix, shard, reader.numShards());
        try {
          if (!io.newInputFile(file).exists()) {
            shardMissing[shard] = true;
            problems.add(new Problem(file, null, "missing data shard " + shard + " of " + reader.numShards()));
          }
        } catch (IOException e) {
          problems.add(new Problem(file, null, describe(e)));
        }
      }
      for (Map.Entry<byte[], BundleEntryProto> item : reader.rawEntries().entrySet()) {
        String name = BundleReader.printable(item.getKey());
        BundleEntryProto entry = item.getValue();
        if (entry.getSlicesCount() > 0) {
          checkSlices(reader, name, entry, problems, indexFile);
          continue;
        }
        int shard = entry.getShardId();
        String file = shard >= 0 && shard < reader.numShards() ? BundleNaming.dataFile(prefix, shard, reader.numShards()) : indexFile;
        if (file != indexFile && shardMissing[shard]) {
          problems.add(new Problem(file, name, "cannot be read: its data shard is missing"));
          continue;
        }
        try {
          reader.verifyEntry(name, entry);
          checked++;
          bytes += entry.getSize();
        } catch (IOException | RuntimeException e) {
          problems.add(new Problem(file, name, describe(e)));
        }
      }
    } catch (IOException e) {
      problems.add(new Problem(prefix, null, describe(e)));
    }
    return new Report(prefix, checked, bytes, problems);
  }

  private static void checkSlices(BundleReader reader, String name, BundleEntryProto entry, List<Problem> problems, String indexFile) {
    try {
      Shape full = Shape.fromProto(entry.getShape());
      long covered = 0;
      for (TensorSliceProto proto : entry.getSlicesList()) {
        TensorSlice slice = TensorSlice.fromProto(proto);
        if (!reader.rawEntries().containsKey(SliceKeys.encode(name, slice))) {
          problems.add(new Problem(indexFile, name, "slice " + slice + " is listed but has no entry"));
        }
        covered += slice.sliceShape(full).numElements();
      }
      if (covered != full.numElements()) {
        problems.add(new Problem(indexFile, name,
            "slices cover " + covered + " of " + full.numElements() + " elements of shape " + full));
      }
    } catch (RuntimeException e) {
      problems.add(new Problem(indexFile, name, describe(e)));
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
