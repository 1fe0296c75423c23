package io.sparkpoint.bundle;

import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.proto.TensorSliceProto;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorSlice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a requested slice of a tensor from what is stored: the whole tensor, or the slices of a
 * partitioned one. Works for every dtype, strings included.
 */
final class SliceAssembler {
  private SliceAssembler() {}

  static Tensor assemble(BundleReader reader, String name, BundleEntryProto entry, TensorSlice request) throws IOException {
    Shape full = Shape.fromProto(entry.getShape());
    Shape requestShape;
    try {
      requestShape = request.sliceShape(full);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid slice " + request + " of tensor " + name + " with shape " + full, e);
    }
    Box want = Box.of(request, full);
    List<TensorSlice> stored = new ArrayList<>();
    Tensor whole = null;
    if (entry.getSlicesCount() == 0) {
      whole = reader.read(name, entry);
      if (request.coversAll(full)) {
        return whole;
      }
      stored.add(TensorSlice.full(full.rank()));
    } else {
      for (TensorSliceProto proto : entry.getSlicesList()) {
        stored.add(TensorSlice.fromProto(proto));
      }
    }
    DType dtype = DType.fromNumber(entry.getDtypeValue());
    if (!dtype.isStorable()) {
      throw new UnsupportedBundleException("Unsupported dtype " + dtype.pythonName() + " for tensor " + name + " in " + reader.prefix());
    }
    // Plan first: which slices overlap the request, and do they cover it? Only then is anything
    // read or allocated, so a damaged index cannot make us allocate what the files do not hold.
    List<TensorSlice> needed = new ArrayList<>();
    List<Box> haves = new ArrayList<>();
    List<Box> used = new ArrayList<>();
    long covered = 0;
    for (TensorSlice slice : stored) {
      Box have = Box.of(slice, full);
      Box overlap = have.intersect(want);
      if (overlap == null) {
        continue;
      }
      for (Box earlier : used) {
        if (earlier.intersect(overlap) != null) {
          throw new CorruptBundleException("Overlapping slices " + slice + " of partitioned tensor " + name + " in " + reader.prefix());
        }
      }
      used.add(overlap);
      needed.add(slice);
      haves.add(have);
      covered += overlap.volume();
    }
    if (covered != want.volume()) {
      throw new CorruptBundleException(
          "Does not have sufficient slices for partitioned tensor " + name + " to restore in slice_spec: "
              + full.toString().replaceAll("[\\[\\],]", " ").trim() + " " + request + " (" + reader.prefix() + ")");
    }
    List<BundleEntryProto> sliceEntries = new ArrayList<>();
    if (whole == null) {
      for (TensorSlice slice : needed) {
        BundleEntryProto sliceEntry = sliceEntry(reader, name, entry, slice, full);
        reader.locate(name + " (slice " + slice + ")", sliceEntry); // sizes checked against the data file
        sliceEntries.add(sliceEntry);
      }
    }
    if (dtype.isFixedWidth() && Tensor.byteSize(dtype, requestShape) > Integer.MAX_VALUE - 8) {
      throw new UnsupportedBundleException(
          "Cannot hold slice " + request + " of tensor " + name + " (" + Tensor.byteSize(dtype, requestShape) + " bytes) in memory");
    }
    Target target = new Target(dtype, requestShape);
    for (int i = 0; i < needed.size(); i++) {
      TensorSlice slice = needed.get(i);
      Tensor source = whole != null ? whole : reader.read(name + " (slice " + slice + ")", sliceEntries.get(i));
      target.copy(source, haves.get(i), used.get(i), want);
    }
    return target.build();
  }

  private static BundleEntryProto sliceEntry(BundleReader reader, String name, BundleEntryProto full, TensorSlice slice, Shape fullShape)
      throws IOException {
    byte[] key = SliceKeys.encode(name, slice);
    BundleEntryProto sliceEntry = reader.rawEntries().get(key);
    if (sliceEntry == null) {
      throw new CorruptBundleException(
          "Missing slice " + slice + " of partitioned tensor " + name + " in " + BundleNaming.indexFile(reader.prefix()));
    }
    if (sliceEntry.getDtypeValue() != full.getDtypeValue() || sliceEntry.getSlicesCount() > 0) {
      throw new CorruptBundleException(
          "Slice " + slice + " of " + name + " has a different dtype than the tensor, or slices of its own ("
              + BundleNaming.indexFile(reader.prefix()) + ")");
    }
    Shape expected = slice.sliceShape(fullShape);
    if (!Shape.fromProto(sliceEntry.getShape()).equals(expected)) {
      throw new CorruptBundleException(
          "Slice " + slice + " of " + name + " has shape " + Shape.fromProto(sliceEntry.getShape()) + ", expected " + expected
              + " (" + BundleNaming.indexFile(reader.prefix()) + ")");
    }
    return sliceEntry;
  }

  /** A box in full-tensor coordinates. */
  record Box(long[] start, long[] size) {
    static Box of(TensorSlice slice, Shape full) {
      long[] start = new long[full.rank()];
      long[] size = new long[full.rank()];
      for (int d = 0; d < full.rank(); d++) {
        start[d] = slice.isFullDim(d) ? 0 : slice.start(d);
        size[d] = slice.end(d, full) - start[d];
      }
      return new Box(start, size);
    }

    Box intersect(Box other) {
      long[] s = new long[start.length];
      long[] z = new long[start.length];
      for (int d = 0; d < start.length; d++) {
        s[d] = Math.max(start[d], other.start[d]);
        long end = Math.min(start[d] + size[d], other.start[d] + other.size[d]);
        if (end <= s[d]) {
          return null;
        }
        z[d] = end - s[d];
      }
      return new Box(s, z);
    }

    long volume() {
      long v = 1;
      for (long n : size) {
        v *= n;
      }
      return v;
    }

    /** Row-major index of an absolute position inside this box. */
    long indexOf(long[] position) {
      long index = 0;
      for (int d = 0; d < start.length; d++) {
        index = index * size[d] + (position[d] - start[d]);
      }
      return index;
    }
  }

  /** The tensor being assembled. */
  private static final class Target {
    private final DType dtype;
    private final Shape shape;
    private final ByteBuffer bytes;
    private final byte[][] strings;

    Target(DType dtype, Shape shape) {
      this.dtype = dtype;
      this.shape = shape;
      int count = Math.toIntExact(shape.numElements());
      this.bytes = dtype == DType.STRING ? null : ByteBuffer.allocate(Math.toIntExact(Tensor.byteSize(dtype, shape)));
      this.strings = dtype == DType.STRING ? new byte[count][] : null;
    }

    /** Copies the {@code region} of {@code source} (which covers box {@code have}) into this target (box {@code want}). */
    void copy(Tensor source, Box have, Box region, Box want) {
      int rank = region.start().length;
      if (rank == 0) {
        copyRun(source, 0, 0, 1);
        return;
      }
      long run = region.size()[rank - 1];
      long[] position = region.start().clone();
      while (true) {
        copyRun(source, have.indexOf(position), want.indexOf(position), run);
        int d = rank - 2;
        while (d >= 0) {
          position[d]++;
          if (position[d] < region.start()[d] + region.size()[d]) {
            break;
          }
          position[d] = region.start()[d];
          d--;
        }
        if (d < 0) {
          return;
        }
      }
    }

    private void copyRun(Tensor source, long from, long to, long count) {
      if (strings != null) {
        for (long i = 0; i < count; i++) {
          strings[(int) (to + i)] = source.string((int) (from + i));
        }
        return;
      }
      int width = dtype.byteWidth();
      ByteBuffer src = source.data();
      src.position((int) (from * width)).limit((int) ((from + count) * width));
      bytes.position((int) (to * width));
      bytes.put(src);
    }

    Tensor build() {
      if (strings != null) {
        return Tensor.ofStrings(shape, Arrays.asList(strings));
      }
      bytes.clear();
      return Tensor.wrap(dtype, shape, bytes);
    }
  }
}
