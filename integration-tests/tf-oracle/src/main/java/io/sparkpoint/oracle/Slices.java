package io.sparkpoint.oracle;

import java.util.List;

/**
 * Helpers for partitioned tensors: slice strings as in shape_and_slice ("0,2:-"), and the
 * row-major sub-block of a canonical byte array that a slice selects.
 */
final class Slices {
  private Slices() {}

  /** Full shape as the "d0 d1 ... " prefix of a shape_and_slice spec, plus the slice. */
  static String spec(long[] full, String slice) {
    StringBuilder sb = new StringBuilder();
    for (long d : full) {
      sb.append(d).append(' ');
    }
    return sb.append(slice).toString();
  }

  /** Parses "a,b:-:..." into {starts, lengths} against the full shape. */
  static long[][] parse(long[] full, String slice) {
    String[] items = slice.split(":", -1);
    if (items.length != full.length) {
      throw new IllegalArgumentException("slice '" + slice + "' rank != " + full.length);
    }
    long[] start = new long[full.length];
    long[] len = new long[full.length];
    for (int i = 0; i < items.length; i++) {
      if (items[i].equals("-")) {
        len[i] = full[i];
      } else {
        String[] p = items[i].split(",", -1);
        start[i] = Long.parseLong(p[0]);
        len[i] = Long.parseLong(p[1]);
      }
    }
    return new long[][] {start, len};
  }

  /** The elements selected by start/len, row-major, from a row-major array of elemSize bytes. */
  static byte[] block(byte[] full, long[] shape, int elemSize, long[] start, long[] len) {
    int rank = shape.length;
    long[] strides = new long[rank];
    long s = 1;
    for (int d = rank - 1; d >= 0; d--) {
      strides[d] = s;
      s *= shape[d];
    }
    long n = Manifest.numElements(len);
    byte[] out = new byte[(int) (n * elemSize)];
    for (long k = 0; k < n; k++) {
      long rem = k;
      long off = 0;
      for (int d = rank - 1; d >= 0; d--) {
        off += (start[d] + rem % len[d]) * strides[d];
        rem /= len[d];
      }
      System.arraycopy(full, (int) (off * elemSize), out, (int) (k * elemSize), elemSize);
    }
    return out;
  }

  /** Adds one SaveV2 input per slice of the full tensor, saved with its shape_and_slice. */
  static void partition(List<TensorData> out, String name, DType dt, long[] full, byte[] data,
      String... slices) {
    for (String slice : slices) {
      long[][] sl = parse(full, slice);
      byte[] part = block(data, full, dt.size, sl[0], sl[1]);
      out.add(TensorData.numeric(name, dt, sl[1], part).withSaveSpec(spec(full, slice)));
    }
  }

  /** Manifest line restoring the tensor whole (slice "") or the given slice of it. */
  static Manifest.Entry entry(String name, DType dt, long[] full, byte[] data, String slice) {
    if (slice.isEmpty()) {
      return new Manifest.Entry(name, dt, full, "", Canonical.ofBytes(data));
    }
    long[][] sl = parse(full, slice);
    byte[] part = block(data, full, dt.size, sl[0], sl[1]);
    return new Manifest.Entry(name, dt, sl[1], spec(full, slice), Canonical.ofBytes(part));
  }
}
