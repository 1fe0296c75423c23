package io.sparkpoint.bench;

import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.freeze.FreezeGraph;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * Freezes a model with 1 GiB of variables (64 float32 variables of 16 MiB, each read through an
 * Identity, all gathered by one output node) and compares the time with reading plus writing the
 * same 1 GiB with raw FileChannels on the same disk, in the same run.
 *
 * <p>Arguments: {@code [count=64] [bytesPerVariable=16777216] [repeats=5] [dir]}.
 */
public final class FreezeBench {
  private FreezeBench() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int bytes = args.length > 1 ? Integer.parseInt(args[1]) : 16 << 20;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path dir = args.length > 3 ? Paths.get(args[3]) : Files.createTempDirectory("sparkpoint-freeze-bench");
    Files.createDirectories(dir);
    FileIO io = HadoopFileIO.withDefaults();
    String prefix = dir.resolve("model.ckpt").toString();

    Graph graph = new Graph();
    OperationBuilder out = graph.opBuilder("NoOp", "out");
    try (BundleWriter writer = BundleWriter.create(io, prefix)) {
      for (int i = 0; i < count; i++) {
        String name = String.format("layer_%03d/kernel", i);
        Operation variable = graph.opBuilder("VariableV2", name).setAttr("dtype", DType.FLOAT).setAttr("shape", Shape.of(bytes / 4)).build();
        Operation read = graph.opBuilder("Identity", name + "/read").addInput(variable.output(0)).setAttr("T", DType.FLOAT).build();
        out.addControlInput(read);
        writer.add(name, Tensor.wrap(DType.FLOAT, Shape.of(bytes / 4), BenchSupport.pattern(bytes, i)));
      }
      writer.finish();
    }
    out.build();
    MetaGraphs.exportMetaGraph(io, graph, MetaGraphs.ExportOptions.defaults().withFilename(BundleNaming.metaFile(prefix)));

    Path frozen = dir.resolve("frozen.pb");
    Path data = Paths.get(BundleNaming.dataFile(prefix, 0, 1));
    Path copy = dir.resolve("raw-copy.bin");
    ByteBuffer buffer = ByteBuffer.allocate(bytes);
    double[] freeze = new double[repeats];
    double[] raw = new double[repeats];
    long frozenBytes = 0;
    for (int r = -1; r < repeats; r++) { // r = -1 is an unrecorded warm-up
      Files.deleteIfExists(frozen);
      BenchSupport.settle();
      long t0 = System.nanoTime();
      FreezeGraph.Result result = FreezeGraph.freeze(io, prefix, null, List.of("out"), frozen.toString(), FreezeGraph.Format.BINARY);
      double freezeSeconds = (System.nanoTime() - t0) / 1e9;
      frozenBytes = result.bytes();

      Files.deleteIfExists(copy);
      BenchSupport.settle();
      t0 = System.nanoTime();
      try (FileChannel in = FileChannel.open(data, StandardOpenOption.READ);
          FileChannel outChannel = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        while (true) {
          buffer.clear();
          if (in.read(buffer) < 0) {
            break;
          }
          buffer.flip();
          while (buffer.hasRemaining()) {
            outChannel.write(buffer);
          }
        }
      }
      double rawSeconds = (System.nanoTime() - t0) / 1e9;
      if (r >= 0) {
        freeze[r] = freezeSeconds;
        raw[r] = rawSeconds;
      }
    }
    Files.deleteIfExists(copy);
    Files.deleteIfExists(frozen);
    double[] ratios = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      ratios[r] = freeze[r] / raw[r];
    }
    System.out.printf("freeze bench: %d variables x %d bytes = %.2f GiB of variables, frozen graph %d bytes, %d repeats after a warm-up%n",
        count, bytes, count * (double) bytes / (1L << 30), frozenBytes, repeats);
    System.out.println("| 1 GiB | freeze s | raw read + write s | freeze / (read + write) |");
    System.out.println("|---|---|---|---|");
    System.out.printf("| best | %.3f | %.3f | %.2f |%n", BenchSupport.best(freeze), BenchSupport.best(raw), BenchSupport.best(freeze) / BenchSupport.best(raw));
    System.out.printf("| median | %.3f | %.3f | %.2f |%n", BenchSupport.median(freeze), BenchSupport.median(raw), BenchSupport.median(freeze) / BenchSupport.median(raw));
    System.out.println("all repeats (s): freeze " + Arrays.toString(freeze) + ", raw " + Arrays.toString(raw) + ", ratio per repeat " + Arrays.toString(ratios));
  }



}
