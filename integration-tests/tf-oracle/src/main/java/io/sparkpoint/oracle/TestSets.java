package io.sparkpoint.oracle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The deterministic tensor sets of the {@code write} command. */
final class TestSets {
  private TestSets() {}

  /**
   * {@code saves}: one list per SaveV2 call (for a sharded set: one per shard, in shard order).
   * {@code manifest}: the lines to write.
   */
  record TestSet(String name, List<List<TensorData>> saves, List<Manifest.Entry> manifest,
      boolean sharded) {}

  static final List<String> NAMES = List.of("dtypes", "strings", "many", "sharded", "large");

  static TestSet build(String set) {
    switch (set) {
      case "dtypes": return dtypes();
      case "strings": return single(set, strings(new Rng(0x57121465L)));
      case "many": return single(set, many());
      case "sharded": return sharded();
      case "large": return single(set, large());
      default: throw new IllegalArgumentException("unknown set '" + set + "', expected " + NAMES);
    }
  }

  private static TestSet single(String name, List<TensorData> data) {
    return new TestSet(name, List.of(data), entries(data), false);
  }

  /** Manifest lines for every tensor saved whole. */
  private static List<Manifest.Entry> entries(List<TensorData> data) {
    List<Manifest.Entry> out = new ArrayList<>();
    for (TensorData td : data) {
      if (td.saveSpec.isEmpty()) {
        out.add(td.manifestEntry());
      }
    }
    return out;
  }

  static final long[][] SHAPES = {{}, {0}, {2, 0}, {5}, {2, 3}, {2, 1, 3}, {2, 1, 2, 3}};
  static final String[] SHAPE_NAMES = {"scalar", "empty", "empty2", "r1", "r2", "r3", "r4"};

  private static TestSet dtypes() {
    Rng rng = new Rng(0xD7E5L);
    List<TensorData> data = new ArrayList<>();
    for (DType dt : DType.values()) {
      for (int s = 0; s < SHAPES.length; s++) {
        data.add(random(dt.pyName + "/" + SHAPE_NAMES[s], dt, SHAPES[s], rng, s >= 4));
      }
    }
    List<Manifest.Entry> manifest = entries(data);
    // partitioned variables: saved only as slices, restored whole and as sub-slices
    long[] embShape = {6, 4};
    byte[] emb = random("x", DType.FLOAT32, embShape, rng, true).bytes();
    Slices.partition(data, "part/emb", DType.FLOAT32, embShape, emb, "0,2:-", "2,2:-", "4,2:-");
    manifest.add(Slices.entry("part/emb", DType.FLOAT32, embShape, emb, ""));
    manifest.add(Slices.entry("part/emb", DType.FLOAT32, embShape, emb, "1,3:1,2"));
    manifest.add(Slices.entry("part/emb", DType.FLOAT32, embShape, emb, "2,2:-"));
    long[] wShape = {4, 2};
    byte[] w = random("x", DType.INT64, wShape, rng, false).bytes();
    Slices.partition(data, "part/w", DType.INT64, wShape, w, "-:0,1", "-:1,1");
    manifest.add(Slices.entry("part/w", DType.INT64, wShape, w, ""));
    manifest.add(Slices.entry("part/w", DType.INT64, wShape, w, "1,2:1,1"));
    return new TestSet("dtypes", List.of(data), manifest, false);
  }

  /** Random bits; bool 0/1; with {@code specials}, float types start with NaN/inf/-0/subnormals. */
  static TensorData random(String name, DType dt, long[] shape, Rng rng, boolean specials) {
    int n = (int) Manifest.numElements(shape);
    if (dt.isString()) {
      List<byte[]> elems = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        elems.add(rng.bytes(rng.nextInt(24)));
      }
      return TensorData.strings(name, shape, elems);
    }
    byte[] b = rng.bytes(n * dt.size);
    if (dt == DType.BOOL) {
      for (int i = 0; i < b.length; i++) {
        b[i] &= 1;
      }
    }
    int c = dt.floatComponentSize();
    if (specials && c > 0) {
      long[] sp = specialBits(dt);
      for (int j = 0; j < sp.length && (j + 1) * c <= b.length; j++) {
        for (int k = 0; k < c; k++) {
          b[j * c + k] = (byte) (sp[j] >>> (8 * k));
        }
      }
    }
    return TensorData.numeric(name, dt, shape, b);
  }

  /** qNaN, +inf, -inf, -0.0, min subnormal, sNaN, negative NaN with payload. */
  private static long[] specialBits(DType dt) {
    switch (dt) {
      case FLOAT16: return new long[] {0x7e00, 0x7c00, 0xfc00, 0x8000, 0x0001, 0x7d01, 0xfe21};
      case BFLOAT16: return new long[] {0x7fc0, 0x7f80, 0xff80, 0x8000, 0x0001, 0x7fa1, 0xffc3};
      case FLOAT32: case COMPLEX64:
        return new long[] {0x7fc00000L, 0x7f800000L, 0xff800000L, 0x80000000L, 0x00000001L,
            0x7fa00001L, 0xffc12345L};
      default:
        return new long[] {0x7ff8000000000000L, 0x7ff0000000000000L, 0xfff0000000000000L,
            0x8000000000000000L, 0x1L, 0x7ff4000000000001L, 0xfff8000000012345L};
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<TensorData> strings(Rng rng) {
    List<TensorData> d = new ArrayList<>();
    d.add(TensorData.strings("str/scalar", new long[] {}, List.of(utf8("hello"))));
    d.add(TensorData.strings("str/scalar_empty", new long[] {}, List.of(new byte[0])));
    d.add(TensorData.strings("str/empty", new long[] {0}, List.of()));
    d.add(TensorData.strings("str/empty2", new long[] {2, 0}, List.of()));
    d.add(TensorData.strings("str/empty_elems", new long[] {3},
        List.of(new byte[0], new byte[0], new byte[0])));
    d.add(TensorData.strings("str/varint_edges", new long[] {5}, List.of(
        ascii(127), ascii(128), ascii(300), ascii(16383), ascii(16384))));
    d.add(TensorData.strings("str/huge_100k", new long[] {}, List.of(ascii(100_000))));
    d.add(TensorData.strings("str/utf8", new long[] {5}, List.of(utf8("héllo wörld"),
        utf8("日本語"), utf8("emoji 😀🚀🧪"), utf8("Ωμέγα ∑ ∞"), utf8("ascii"))));
    d.add(TensorData.strings("str/nul", new long[] {4}, List.of(new byte[] {0},
        utf8("a\0b"), utf8("\0\0\0end"), utf8("nul\0byte"))));
    d.add(TensorData.strings("str/binary", new long[] {3},
        List.of(rng.bytes(17), rng.bytes(255), new byte[] {(byte) 0xff, (byte) 0xfe, 0})));
    d.add(random("str/r2", DType.STRING, new long[] {2, 3}, rng, false));
    d.add(random("str/r3", DType.STRING, new long[] {2, 2, 3}, rng, false));
    List<byte[]> mixed = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      mixed.add(i % 4 == 0 ? new byte[0] : rng.bytes(rng.nextInt(400)));
    }
    d.add(TensorData.strings("str/r4_mixed", new long[] {2, 1, 2, 3}, mixed));
    return d;
  }

  /** 'a'..'z' repeated. */
  private static byte[] ascii(int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  static List<TensorData> many() {
    Rng rng = new Rng(0x3A4EL);
    List<TensorData> d = new ArrayList<>();
    for (int i = 0; i < 10_240; i++) {
      String layer = String.format("layer_%05d", i);
      d.add(random(layer + "/kernel", DType.FLOAT32, new long[] {4}, rng, false));
      if (i % 64 == 0) {
        d.add(random(layer + "/step", DType.INT64, new long[] {}, rng, false));
      }
    }
    return d;
  }

  private static TestSet sharded() {
    Rng rng = new Rng(0x54A4DL);
    List<TensorData> s0 = new ArrayList<>();
    List<TensorData> s1 = new ArrayList<>();
    List<TensorData> s2 = new ArrayList<>();
    s0.add(random("shard0/a_float", DType.FLOAT32, new long[] {3, 4}, rng, true));
    s0.add(random("shard0/c_string", DType.STRING, new long[] {3}, rng, false));
    s0.add(random("shard0/i8", DType.INT8, new long[] {5}, rng, false));
    s1.add(random("shard1/b_int64", DType.INT64, new long[] {2, 2}, rng, false));
    s1.add(random("shard1/d_bool", DType.BOOL, new long[] {4}, rng, false));
    s1.add(random("shard1/h", DType.FLOAT16, new long[] {7}, rng, true));
    s1.add(random("global_step", DType.INT64, new long[] {}, rng, false));
    s2.add(random("shard2/e_double", DType.FLOAT64, new long[] {2, 3}, rng, true));
    s2.add(random("shard2/f_c64", DType.COMPLEX64, new long[] {2}, rng, false));
    s2.add(random("shard2/g_str", DType.STRING, new long[] {2, 2}, rng, false));
    s2.add(random("shard2/u64", DType.UINT64, new long[] {3}, rng, false));
    s2.add(random("shard2/empty", DType.FLOAT32, new long[] {0}, rng, false));
    List<Manifest.Entry> manifest = new ArrayList<>();
    for (List<TensorData> s : List.of(s0, s1, s2)) {
      manifest.addAll(entries(s));
    }
    // a partitioned variable whose slices live in different shards
    long[] shape = {4, 3};
    byte[] emb = random("x", DType.FLOAT32, shape, rng, false).bytes();
    Slices.partition(s0, "sharded/emb", DType.FLOAT32, shape, emb, "0,2:-");
    Slices.partition(s2, "sharded/emb", DType.FLOAT32, shape, emb, "2,2:-");
    manifest.add(Slices.entry("sharded/emb", DType.FLOAT32, shape, emb, ""));
    manifest.add(Slices.entry("sharded/emb", DType.FLOAT32, shape, emb, "1,2:0,2"));
    return new TestSet("sharded", List.of(s0, s1, s2), manifest, true);
  }

  /** 512 MiB of float32: one 256 MiB tensor and four of 64 MiB, plus an int64 scalar. */
  static List<TensorData> large() {
    List<TensorData> d = new ArrayList<>();
    d.add(TensorData.generated("large/big", DType.FLOAT32, new long[] {8192, 8192}, 0x1A46EL));
    for (int i = 0; i < 4; i++) {
      d.add(TensorData.generated("large/part_" + i, DType.FLOAT32, new long[] {4096, 4096},
          0x1A470L + i));
    }
    d.add(random("large/step", DType.INT64, new long[] {}, new Rng(7), false));
    return d;
  }
}
