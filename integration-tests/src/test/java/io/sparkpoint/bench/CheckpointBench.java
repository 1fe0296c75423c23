package io.sparkpoint.bench;

import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes and reads the same checkpoint three ways in one run, side by side: Sparkpoint's bundle
 * writer/reader, TensorFlow 2.18's SaveV2/RestoreV2 (the tf-oracle subprocess), and a raw sequential
 * FileChannel write/read of the same bytes. Then measures peak heap for a 2 GiB checkpoint in a JVM
 * limited to -Xmx256m. Not a test: run it with {@code mvn -B -Pbench -pl integration-tests -am
 * -DskipTests verify} (see BENCHMARKS.md).
 *
 * <p>Arguments: {@code [count=64] [bytesPerTensor=16777216] [repeats=3] [dir]}.
 */
public final class CheckpointBench {
  private CheckpointBench() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int bytesPerTensor = args.length > 1 ? Integer.parseInt(args[1]) : 16 << 20;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path dir = args.length > 3 ? Paths.get(args[3]) : Files.createTempDirectory("sparkpoint-bench");
    Files.createDirectories(dir);
    long total = (long) count * bytesPerTensor;
    System.out.printf("bench: %d tensors x %d bytes = %.2f GiB, %d repeats after a warm-up, sync before each timing, in %s%n",
        count, bytesPerTensor, total / (double) (1L << 30), repeats, dir);

    List<Tensor> tensors = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      tensors.add(Tensor.wrap(DType.FLOAT, Shape.of(bytesPerTensor / 4), BenchSupport.pattern(bytesPerTensor, i)));
    }
    FileIO io = HadoopFileIO.withDefaults();
    String prefix = dir.resolve("sparkpoint-bench").toString();
    Path raw = dir.resolve("raw-bench.bin");
    ByteBuffer readBuffer = ByteBuffer.allocate(bytesPerTensor);

    double[] oursWrite = new double[repeats];
    double[] oursRead = new double[repeats];
    double[] oursLookup = new double[repeats];
    double[] rawWrite = new double[repeats];
    double[] rawRead = new double[repeats];
    for (int r = -1; r < repeats; r++) { // r = -1 is an unrecorded warm-up
      deleteCheckpoint(dir);
      BenchSupport.settle();
      long t0 = System.nanoTime();
      try (BundleWriter writer = BundleWriter.create(io, prefix)) {
        for (int i = 0; i < count; i++) {
          writer.add(String.format("bench/t_%05d", i), tensors.get(i));
        }
        writer.finish();
      }
      double write = seconds(t0);

      BenchSupport.settle();
      t0 = System.nanoTime();
      try (BundleReader reader = BundleReader.open(io, prefix)) {
        for (int i = 0; i < count; i++) {
          readBuffer.clear();
          reader.readInto(String.format("bench/t_%05d", i), readBuffer);
        }
      }
      double read = seconds(t0);

      BenchSupport.settle();
      t0 = System.nanoTime();
      long sink = 0;
      try (BundleReader reader = BundleReader.open(io, prefix)) {
        for (int i = 0; i < count; i++) {
          sink += reader.lookup(String.format("bench/t_%05d", i)).data().get(0);
        }
      }
      double lookup = seconds(t0);
      if (sink == 42) {
        System.out.print("");
      }

      Files.deleteIfExists(raw);
      BenchSupport.settle();
      t0 = System.nanoTime();
      try (FileChannel channel = FileChannel.open(raw, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        for (Tensor tensor : tensors) {
          ByteBuffer data = tensor.data();
          while (data.hasRemaining()) {
            channel.write(data);
          }
        }
      }
      double rawWriteSeconds = seconds(t0);

      BenchSupport.settle();
      t0 = System.nanoTime();
      try (FileChannel channel = FileChannel.open(raw, StandardOpenOption.READ)) {
        for (int i = 0; i < count; i++) {
          readBuffer.clear();
          while (readBuffer.hasRemaining() && channel.read(readBuffer) >= 0) {
            // keep reading
          }
        }
      }
      double rawReadSeconds = seconds(t0);
      if (r >= 0) {
        oursWrite[r] = write;
        oursRead[r] = read;
        oursLookup[r] = lookup;
        rawWrite[r] = rawWriteSeconds;
        rawRead[r] = rawReadSeconds;
      }
    }
    deleteCheckpoint(dir);
    Files.deleteIfExists(raw);
    tensors.clear();

    double[] tf = tensorFlow(dir.resolve("tf"), count, bytesPerTensor, repeats);
    double gib = total / (double) (1L << 30);
    System.out.println();
    System.out.println("| 1 GiB | Sparkpoint s | TensorFlow 2.18 s | raw FileChannel s | Sparkpoint vs TF | Sparkpoint vs raw |");
    System.out.println("|---|---|---|---|---|---|");
    row("write, best", BenchSupport.best(oursWrite), tf[0], BenchSupport.best(rawWrite));
    row("write, median", BenchSupport.median(oursWrite), tf[2], BenchSupport.median(rawWrite));
    row("read (readInto, streamed), best", BenchSupport.best(oursRead), tf[1], BenchSupport.best(rawRead));
    row("read (readInto, streamed), median", BenchSupport.median(oursRead), tf[3], BenchSupport.median(rawRead));
    row("read (lookup, new arrays), best", BenchSupport.best(oursLookup), tf[1], BenchSupport.best(rawRead));
    row("read (lookup, new arrays), median", BenchSupport.median(oursLookup), tf[3], BenchSupport.median(rawRead));
    System.out.printf("%nthroughput GiB/s: ours write %.2f, read %.2f; TF write %.2f, read %.2f; raw write %.2f, read %.2f%n",
        gib / BenchSupport.best(oursWrite), gib / BenchSupport.best(oursRead), gib / tf[0], gib / tf[1], gib / BenchSupport.best(rawWrite), gib / BenchSupport.best(rawRead));
    System.out.println("all repeats (s): ours write " + Arrays.toString(oursWrite) + ", ours read " + Arrays.toString(oursRead)
        + ", ours lookup " + Arrays.toString(oursLookup) + ", raw write " + Arrays.toString(rawWrite) + ", raw read " + Arrays.toString(rawRead));

    heapProbe(dir.resolve("heap"));
  }

  /** Speed ratios: time of the other divided by ours, so above 1.0 means we are faster. */
  private static void row(String label, double ours, double tf, double raw) {
    System.out.printf("| %s | %.3f | %.3f | %.3f | %.2fx | %.2fx |%n", label, ours, tf, raw, tf / ours, raw / ours);
  }

  private static double[] tensorFlow(Path dir, int count, int bytesPerTensor, int repeats) throws Exception {
    String output = BenchSupport.oracle("bench",
        dir.toString(), Integer.toString(count), Integer.toString(bytesPerTensor), Integer.toString(repeats + 1));
    double[] writes = null;
    double[] reads = null;
    for (String line : output.split("\n")) {
      if (line.startsWith("tf.write.seconds.all=")) {
        writes = parseList(line.substring("tf.write.seconds.all=".length()));
      } else if (line.startsWith("tf.read.seconds.all=")) {
        reads = parseList(line.substring("tf.read.seconds.all=".length()));
      }
      if (line.startsWith("tf.") && line.contains(".all=")) {
        System.out.println("  " + line);
      }
    }
    if (writes == null || reads == null) {
      throw new IllegalStateException("The oracle printed no timings: " + output);
    }
    writes = Arrays.copyOfRange(writes, 1, writes.length); // the first repeat is TensorFlow's warm-up
    reads = Arrays.copyOfRange(reads, 1, reads.length);
    return new double[] {BenchSupport.best(writes), BenchSupport.best(reads), BenchSupport.median(writes), BenchSupport.median(reads)};
  }

  /** Runs {@link HeapProbe} in a JVM with -Xmx256m and prints its report. */
  private static void heapProbe(Path dir) throws Exception {
    String classpath = System.getProperty("java.class.path");
    List<String> command = new ArrayList<>(List.of(BenchSupport.javaBin(), "-Xmx256m"));
    command.addAll(Arrays.asList(System.getProperty("sparkpoint.jvm.opens", "").split(" ")));
    command.removeIf(String::isBlank);
    command.addAll(List.of("-cp", classpath, HeapProbe.class.getName(), dir.toString(), Long.toString(2L << 30)));
    System.out.println();
    System.out.print(BenchSupport.run(command));
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }


  private static double[] parseList(String text) {
    return Arrays.stream(text.trim().split(",")).mapToDouble(Double::parseDouble).toArray();
  }



  private static void deleteCheckpoint(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        if (file.getFileName().toString().startsWith("sparkpoint-bench")) {
          Files.delete(file);
        }
      }
    }
  }
}
