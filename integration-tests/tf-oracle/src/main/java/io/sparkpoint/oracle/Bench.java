package io.sparkpoint.oracle;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.proto.DataType;

/**
 * Times TensorFlow itself: SaveV2 of {@code count} float32 tensors of {@code bytesPerTensor} bytes
 * into dir/tf-bench, then RestoreV2 of all of them. Data and graphs are prepared before the clock
 * starts; the previous checkpoint files are deleted before each write; each read touches every
 * 4 KiB page of the restored tensors and closes them.
 */
final class Bench {
  static volatile long sink;

  private Bench() {}

  /** Returns the number of repeats done. */
  static int run(Path dir, int count, long bytesPerTensor, int repeats) throws IOException {
    if (count < 1 || repeats < 1 || bytesPerTensor < 4 || bytesPerTensor % 4 != 0) {
      throw new IllegalArgumentException(
          "bench needs count >= 1, repeats >= 1 and bytesPerTensor a positive multiple of 4");
    }
    Files.createDirectories(dir);
    String prefix = dir.resolve("tf-bench").toString();
    List<String> names = new ArrayList<>();
    List<String> specs = new ArrayList<>();
    List<Tensor> data = new ArrayList<>();
    List<Double> writes = new ArrayList<>();
    List<Double> reads = new ArrayList<>();
    long tp = System.nanoTime();
    try (Graph g = new Graph(); Session s = TfCheckpointOps.newSession(g)) {
      TfCheckpointOps.Builder b = new TfCheckpointOps.Builder(g);
      Output<?>[] phs = new Output<?>[count];
      DataType[] dtypes = new DataType[count];
      for (int i = 0; i < count; i++) {
        names.add(String.format("bench/t_%05d", i));
        specs.add("");
        phs[i] = b.placeholder(DataType.DT_FLOAT);
        dtypes[i] = DataType.DT_FLOAT;
        data.add(TensorData.generated(names.get(i), DType.FLOAT32,
            new long[] {bytesPerTensor / 4}, 0xBE4C0L + i).newFeedTensor());
      }
      Output<?> prefixOut = b.string(prefix);
      Output<?> namesOut = b.strings(names);
      Output<?> specsOut = b.strings(specs);
      GraphOperation save = b.op("SaveV2").addInput(prefixOut).addInput(namesOut)
          .addInput(specsOut).addInputList(phs).setAttr("dtypes", dtypes).build();
      GraphOperation restore = b.op("RestoreV2").addInput(prefixOut).addInput(namesOut)
          .addInput(specsOut).setAttr("dtypes", dtypes).build();
      System.err.printf("oracle: bench data and graphs prepared in %.3f s%n",
          (System.nanoTime() - tp) / 1e9);
      for (int rep = 0; rep < repeats; rep++) {
        deleteBenchFiles(dir);
        Session.Runner w = s.runner();
        for (int i = 0; i < count; i++) {
          w.feed(phs[i], data.get(i));
        }
        w.addTarget(save);
        settle();
        long t0 = System.nanoTime();
        Result none = w.run();
        writes.add((System.nanoTime() - t0) / 1e9);
        none.close();
        Session.Runner r = s.runner();
        for (int i = 0; i < count; i++) {
          r.fetch(restore.output(i));
        }
        settle();
        long t1 = System.nanoTime();
        try (Result res = r.run()) {
          long x = 0;
          for (int i = 0; i < count; i++) {
            ByteDataBuffer buf = res.get(i).asRawTensor().data();
            long n = buf.size();
            for (long p = 0; p < n; p += 4096) {
              x += buf.getByte(p);
            }
            x += buf.getByte(n - 1);
          }
          sink = x;
          reads.add((System.nanoTime() - t1) / 1e9);
        }
      }
    } finally {
      data.forEach(Tensor::close);
    }
    System.out.println("tf.write.seconds=" + min(writes));
    System.out.println("tf.read.seconds=" + min(reads));
    System.out.println("tf.write.seconds.all=" + join(writes));
    System.out.println("tf.read.seconds.all=" + join(reads));
    System.out.println("tf.bytes=" + (long) count * bytesPerTensor);
    return repeats;
  }

  /** Flushes dirty pages (sync) so one measurement's writeback does not slow the next. */
  static void settle() throws IOException {
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while running sync", e);
    }
  }

  private static void deleteBenchFiles(Path dir) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "tf-bench.*")) {
      for (Path p : ds) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String min(List<Double> xs) {
    return String.format("%.6f", xs.stream().mapToDouble(Double::doubleValue).min().orElse(0));
  }

  private static String join(List<Double> xs) {
    return xs.stream().map(x -> String.format("%.6f", x)).collect(Collectors.joining(","));
  }
}
