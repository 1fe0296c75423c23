package io.sparkpoint;

import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/** Shared fixtures: the TensorFlow-written files under shared/testdata/tf-real, and generated tensors. */
public final class TestFixtures {
  private TestFixtures() {}

  /** The tf-real directory (system property {@code sparkpoint.testdata}, set by the build). */
  public static Path tfReal() {
    String configured = System.getProperty("sparkpoint.testdata");
    Path path = configured != null ? Paths.get(configured) : Paths.get("../../shared/testdata/tf-real");
    if (!Files.isDirectory(path)) {
      throw new IllegalStateException("Cannot find the TensorFlow fixtures at " + path.toAbsolutePath());
    }
    return path.toAbsolutePath().normalize();
  }

  /** The prefix of a fixture checkpoint, e.g. {@code libtensorflow-2.18-generated/all_dtypes_v2/ckpt}. */
  public static String prefix(String relative) {
    return tfReal().resolve(relative).toString();
  }

  /** Every V2 checkpoint prefix under tf-real (relative paths), found by their .index files. */
  public static List<String> allV2Prefixes() {
    try (Stream<Path> files = Files.walk(tfReal())) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".index"))
          .map(p -> tfReal().relativize(p).toString())
          .map(s -> s.substring(0, s.length() - ".index".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a fixture checkpoint's files into memory under {@code /mem/<name>}; returns the new prefix. */
  public static String copyToMemory(InMemoryFileIO io, String relativePrefix, String name) {
    Path prefix = tfReal().resolve(relativePrefix);
    String base = prefix.getFileName().toString();
    String target = "/mem/" + name + "/" + base;
    try (Stream<Path> files = Files.list(prefix.getParent())) {
      for (Path file : files.toList()) {
        String fileName = file.getFileName().toString();
        if (fileName.startsWith(base + ".")) {
          io.put("/mem/" + name + "/" + fileName, Files.readAllBytes(file));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  /** Tensors of every storable dtype: scalars, empty tensors, ranks 1 to 4, and edge-case strings. */
  public static Map<String, Tensor> everyDtype(long seed) {
    Random random = new Random(seed);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Shape[] shapes = {Shape.scalar(), Shape.of(0), Shape.of(5), Shape.of(2, 3), Shape.of(2, 1, 3), Shape.of(2, 1, 2, 3), Shape.of(2, 0)};
    String[] labels = {"scalar", "empty", "r1", "r2", "r3", "r4", "empty2"};
    for (DType dtype : DType.values()) {
      if (!dtype.isStorable()) {
        continue;
      }
      for (int i = 0; i < shapes.length; i++) {
        tensors.put(dtype.pythonName() + "/" + labels[i], randomTensor(dtype, shapes[i], random));
      }
    }
    tensors.put("strings/edge", Tensor.ofStrings(Shape.of(6), edgeStrings().toArray(new String[0])));
    return tensors;
  }

  public static List<String> edgeStrings() {
    List<String> strings = new ArrayList<>();
    strings.add("");
    strings.add("a");
    strings.add("héllo wörld");
    strings.add("x".repeat(200));
    strings.add("nul\0byte");
    strings.add("日本語 🚀");
    return strings;
  }

  public static Tensor randomTensor(DType dtype, Shape shape, Random random) {
    int n = Math.toIntExact(shape.numElements());
    if (dtype == DType.STRING) {
      List<byte[]> values = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] value = new byte[random.nextInt(300)];
        random.nextBytes(value);
        values.add(value);
      }
      return Tensor.ofStrings(shape, values);
    }
    byte[] bytes = new byte[n * dtype.byteWidth()];
    random.nextBytes(bytes);
    if (dtype == DType.BOOL) {
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] &= 1;
      }
    }
    return Tensor.of(dtype, shape, bytes);
  }

  /** A fresh in-memory filesystem with a {@code /mem} directory. */
  public static InMemoryFileIO memory() {
    InMemoryFileIO io = new InMemoryFileIO();
    io.createDirectories("/mem");
    return io;
  }

  /** The largest absolute difference of two tensors' elements, relative to the largest magnitude of {@code expected}. */
  public static double relativeDifference(Tensor actual, Tensor expected) {
    double diff = 0;
    double scale = 1e-12;
    for (long i = 0; i < expected.numElements(); i++) {
      diff = Math.max(diff, Math.abs(actual.doubleAt(i) - expected.doubleAt(i)));
      scale = Math.max(scale, Math.abs(expected.doubleAt(i)));
    }
    return diff / scale;
  }
}
