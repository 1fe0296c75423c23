package io.sparkpoint.oracle;

import java.security.MessageDigest;
import java.util.List;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * One input of a SaveV2 call: name, dtype, shape, shape_and_slice spec and the data, held as
 * canonical bytes (numeric), byte strings (string) or a seeded generator (large float data,
 * written straight into native tensor memory so it never sits on the Java heap).
 */
final class TensorData {
  private static final int CHUNK = 1 << 20; // multiple of 8: keeps the generator stream aligned

  final String name;
  final DType dtype;
  final long[] shape;
  final String saveSpec;
  private final byte[] bytes;
  private final List<byte[]> strings;
  private final long genSeed;

  private TensorData(String name, DType dtype, long[] shape, String saveSpec, byte[] bytes,
      List<byte[]> strings, long genSeed) {
    this.name = name;
    this.dtype = dtype;
    this.shape = shape;
    this.saveSpec = saveSpec;
    this.bytes = bytes;
    this.strings = strings;
    this.genSeed = genSeed;
    long n = Manifest.numElements(shape);
    if (bytes != null && bytes.length != n * dtype.size) {
      throw new IllegalArgumentException(name + ": " + bytes.length + " bytes for shape "
          + Manifest.formatShape(shape) + " of " + dtype);
    }
    if (strings != null && strings.size() != n) {
      throw new IllegalArgumentException(name + ": " + strings.size() + " strings for " + n);
    }
  }

  static TensorData numeric(String name, DType dtype, long[] shape, byte[] bytes) {
    if (dtype.isString()) {
      throw new IllegalArgumentException("numeric() for string tensor " + name);
    }
    return new TensorData(name, dtype, shape, "", bytes, null, 0);
  }

  static TensorData strings(String name, long[] shape, List<byte[]> elements) {
    return new TensorData(name, DType.STRING, shape, "", null, List.copyOf(elements), 0);
  }

  /** Random bits of a dtype that TF Java can allocate directly (used for float32). */
  static TensorData generated(String name, DType dtype, long[] shape, long seed) {
    if (dtype.viaBitcast() || dtype.isString()) {
      throw new IllegalArgumentException("generated() needs a direct numeric dtype: " + dtype);
    }
    return new TensorData(name, dtype, shape, "", null, null, seed);
  }

  TensorData withSaveSpec(String spec) {
    return new TensorData(name, dtype, shape, spec, bytes, strings, genSeed);
  }

  byte[] bytes() {
    return bytes;
  }

  List<byte[]> strings() {
    return strings;
  }

  long numBytes() {
    if (strings != null) {
      return strings.stream().mapToLong(s -> s.length + 8L).sum();
    }
    return Manifest.numElements(shape) * dtype.size;
  }

  String sha256() {
    if (bytes != null) {
      return Canonical.ofBytes(bytes);
    }
    if (strings != null) {
      return Canonical.ofStrings(strings);
    }
    MessageDigest md = Canonical.sha256();
    Rng rng = new Rng(genSeed);
    byte[] chunk = new byte[CHUNK];
    long total = numBytes();
    for (long pos = 0; pos < total; pos += CHUNK) {
      int n = (int) Math.min(CHUNK, total - pos);
      rng.fill(chunk, 0, n);
      md.update(chunk, 0, n);
    }
    return Canonical.hex(md);
  }

  Manifest.Entry manifestEntry() {
    return new Manifest.Entry(name, dtype, shape, "", sha256());
  }

  /**
   * A new tensor to feed for this data (caller closes it). Dtypes without a TF Java class come
   * as uint8 of shape [n, size] ([n] for 1-byte types) to be bitcast and reshaped in the graph.
   */
  Tensor newFeedTensor() {
    if (strings != null) {
      byte[][] arr = strings.toArray(new byte[0][]);
      return TString.tensorOfBytes(Shape.of(shape), DataBuffers.of(arr, true, false));
    }
    if (bytes == null) {
      Tensor t = Tensor.of(dtype.javaType, Shape.of(shape));
      ByteDataBuffer dst = t.asRawTensor().data();
      Rng rng = new Rng(genSeed);
      byte[] chunk = new byte[CHUNK];
      long total = numBytes();
      for (long pos = 0; pos < total; pos += CHUNK) {
        int n = (int) Math.min(CHUNK, total - pos);
        rng.fill(chunk, 0, n);
        dst.offset(pos).write(chunk, 0, n);
      }
      return t;
    }
    ByteDataBuffer src = DataBuffers.of(bytes, true, false);
    if (!dtype.viaBitcast()) {
      return Tensor.of(dtype.javaType, Shape.of(shape), src);
    }
    long n = Manifest.numElements(shape);
    Shape feed = dtype.size == 1 ? Shape.of(n) : Shape.of(n, dtype.size);
    return TUint8.tensorOf(feed, src);
  }
}
