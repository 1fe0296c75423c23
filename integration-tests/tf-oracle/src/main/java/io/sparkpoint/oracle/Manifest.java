package io.sparkpoint.oracle;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The manifest file: UTF-8, one tensor per line,
 * {@code name \t dtype \t shape \t sliceSpec \t sha256hex}; lines starting with '#' are comments.
 * Shape is the dims joined by ',' (empty for a scalar). A non-empty sliceSpec is a RestoreV2
 * shape_and_slice string; shape and sha256 then describe the restored slice.
 */
final class Manifest {
  private Manifest() {}

  record Entry(String name, DType dtype, long[] shape, String sliceSpec, String sha256) {
    String toLine() {
      return String.join("\t", name, dtype.pyName, formatShape(shape), sliceSpec, sha256);
    }
  }

  static String formatShape(long[] shape) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(shape[i]);
    }
    return sb.toString();
  }

  static long[] parseShape(String s) {
    if (s.isEmpty()) {
      return new long[0];
    }
    return Arrays.stream(s.split(",", -1)).mapToLong(Long::parseLong).toArray();
  }

  static long numElements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  static List<Entry> read(Path file) throws IOException {
    List<Entry> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != 5) {
        throw new IllegalArgumentException(
            file + ":" + lineNo + ": expected 5 tab-separated fields, got " + f.length);
      }
      try {
        out.add(new Entry(f[0], DType.of(f[1]), parseShape(f[2]), f[3], f[4].toLowerCase()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  static void write(Path file, List<Entry> entries, List<String> comments) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (String c : comments) {
        w.write("# " + c.replace('\n', ' ') + "\n");
      }
      for (Entry e : entries) {
        w.write(e.toLine());
        w.write('\n');
      }
    }
  }
}
