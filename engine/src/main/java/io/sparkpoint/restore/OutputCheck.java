package io.sparkpoint.restore;

import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.BundleValidator;
import io.sparkpoint.bundle.SliceKeys;
import io.sparkpoint.bundle.TensorCopy;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.InputFile;
import io.sparkpoint.fs.RandomAccessInput;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.TensorSliceProto;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.TensorSlice;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Whether an existing checkpoint already holds exactly what a restore would write: the same tensor
 * names, and for each the same dtype, shape, layout, size and checksum as its planned source, with
 * every stored byte matching its checksum. This is what makes a rerun a no-op.
 */
final class OutputCheck {
  private static final int CHUNK_BYTES = 1 << 20;

  private OutputCheck() {}

  /** The first way the checkpoint at {@code out} differs from {@code copies}, or null when it holds exactly them. */
  static String bundleDifference(FileIO io, String out, List<PartialRestore.Copy> copies, BundleReader sources, BundleReader targets) {
    try (BundleReader written = BundleReader.open(io, out)) {
      for (PartialRestore.Copy copy : copies) {
        if (!written.contains(copy.to())) {
          return "it lacks tensor " + copy.to();
        }
        if (!sameTensor(copy, copy.reader(sources, targets), written)) {
          return "tensor " + copy.to() + " differs";
        }
      }
      if (written.tensorNames().size() != copies.size()) {
        return "it holds " + written.tensorNames().size() + " tensors, this restore writes " + copies.size();
      }
    } catch (IOException | RuntimeException e) {
      return "it cannot be read: " + e.getMessage();
    }
    BundleValidator.Report report = BundleValidator.validate(io, out);
    return report.isValid() ? null : "it is damaged: " + report.problems().get(0);
  }

  private static boolean sameTensor(PartialRestore.Copy copy, BundleReader reader, BundleReader written) throws IOException {
    BundleEntryProto want = reader.entry(copy.from());
    BundleEntryProto got = written.entry(copy.to());
    if (want.getSlicesCount() == 0) {
      return sameStored(want, got, copy.shape());
    }
    if (!Shape.fromProto(want.getShape()).equals(copy.shape())) { // reassembled and reshaped: compare values
      return got.getSlicesCount() == 0
          && written.lookup(copy.to()).equals(TensorCopy.reshape(reader.lookup(copy.from()), copy.shape()));
    }
    if (got.getDtypeValue() != want.getDtypeValue() || !got.getShape().equals(want.getShape()) || !got.getSlicesList().equals(want.getSlicesList())) {
      return false;
    }
    for (TensorSliceProto proto : want.getSlicesList()) {
      TensorSlice slice = TensorSlice.fromProto(proto);
      BundleEntryProto wantSlice = reader.rawEntries().get(SliceKeys.encode(copy.from(), slice));
      BundleEntryProto gotSlice = written.rawEntries().get(SliceKeys.encode(copy.to(), slice));
      if (wantSlice == null || !sameStored(wantSlice, gotSlice, Shape.fromProto(wantSlice.getShape()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameStored(BundleEntryProto want, BundleEntryProto got, Shape shape) {
    return got != null
        && got.getSlicesCount() == 0
        && got.getDtypeValue() == want.getDtypeValue()
        && Shape.fromProto(got.getShape()).equals(shape)
        && got.getSize() == want.getSize()
        && got.getCrc32C() == want.getCrc32C();
  }

  /** Whether two files both exist with the same bytes, or both do not exist. Streams both. */
  static boolean sameFile(FileIO io, String first, String second) throws IOException {
    InputFile a = io.newInputFile(first);
    InputFile b = io.newInputFile(second);
    if (!a.exists() || !b.exists()) {
      return a.exists() == b.exists();
    }
    try (RandomAccessInput left = a.open(); RandomAccessInput right = b.open()) {
      if (left.length() != right.length()) {
        return false;
      }
      byte[] x = new byte[(int) Math.min(CHUNK_BYTES, Math.max(1, left.length()))];
      byte[] y = new byte[x.length];
      for (long done = 0; done < left.length(); ) {
        int n = (int) Math.min(x.length, left.length() - done);
        left.readFully(done, x, 0, n);
        right.readFully(done, y, 0, n);
        if (!Arrays.equals(x, 0, n, y, 0, n)) {
          return false;
        }
        done += n;
      }
      return true;
    }
  }
}
