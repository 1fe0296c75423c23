package io.sparkpoint.spark.source;

import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.CorruptBundleException;
import io.sparkpoint.bundle.SliceKeys;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.TensorSliceProto;
import io.sparkpoint.tensor.TensorSlice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a tensor's bytes lie: in its own index entry, or, for a partitioned (sliced) tensor, in
 * one entry per slice, possibly in different data files.
 *
 * @param entry the tensor's own index entry (for a partitioned tensor: full shape, no bytes)
 * @param pieces the entries holding its bytes, each with the name errors give it
 */
record TensorPieces(String name, BundleEntryProto entry, List<Piece> pieces) {
  /** One stored entry: the whole tensor, or one slice named {@code name (slice 0,2:-)}. */
  record Piece(String displayName, BundleEntryProto entry) {}

  /**
   * @throws io.sparkpoint.bundle.KeyNotFoundException when the checkpoint has no tensor {@code name}
   * @throws CorruptBundleException when a slice the tensor lists has no entry
   */
  static TensorPieces of(BundleReader reader, String name) throws IOException {
    BundleEntryProto entry = reader.entry(name);
    if (entry.getSlicesCount() == 0) {
      return new TensorPieces(name, entry, List.of(new Piece(name, entry)));
    }
    List<Piece> pieces = new ArrayList<>();
    for (TensorSliceProto proto : entry.getSlicesList()) {
      TensorSlice slice = TensorSlice.fromProto(proto);
      BundleEntryProto stored = reader.rawEntries().get(SliceKeys.encode(name, slice));
      if (stored == null) {
        throw new CorruptBundleException(
            "Missing slice " + slice + " of partitioned tensor " + name + " in " + BundleNaming.indexFile(reader.prefix()));
      }
      pieces.add(new Piece(name + " (slice " + slice + ")", stored));
    }
    return new TensorPieces(name, entry, pieces);
  }

  boolean partitioned() {
    return entry.getSlicesCount() > 0;
  }

  /** The data file index of a whole tensor; null for a partitioned one, whose slices may lie in several. */
  Integer shard() {
    return partitioned() ? null : entry.getShardId();
  }

  /** The data file a task reading this tensor starts from: its own, or its first slice's. */
  int firstShard() {
    return pieces.get(0).entry().getShardId();
  }

  /** Bytes stored in the data files, all slices together. */
  long sizeBytes() {
    long bytes = 0;
    for (Piece piece : pieces) {
      bytes += piece.entry().getSize();
    }
    return bytes;
  }
}
