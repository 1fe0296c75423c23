package io.sparkpoint.bench;

import io.sparkpoint.bundle.BundleReader;
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
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Writes then reads a checkpoint far larger than the heap (run with -Xmx256m): 16 MiB tensors,
 * each generated, written and dropped; then every tensor streamed back into one reusable buffer.
 * Then freezes a graph of 1 GiB of those variables. Prints the peak heap of each phase.
 */
public final class HeapProbe {
  private static final int TENSOR_BYTES = 16 << 20;

  private HeapProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    long totalBytes = Long.parseLong(args[1]);
    Files.createDirectories(dir);
    int count = (int) (totalBytes / TENSOR_BYTES);
    FileIO io = HadoopFileIO.withDefaults();
    String prefix = dir.resolve("heap-probe").toString();
    long maxHeap = Runtime.getRuntime().maxMemory();

    resetPeaks();
    long t0 = System.nanoTime();
    try (BundleWriter writer = BundleWriter.create(io, prefix)) {
      for (int i = 0; i < count; i++) {
        writer.add(String.format("t_%05d", i), Tensor.wrap(DType.FLOAT, Shape.of(TENSOR_BYTES / 4), BenchSupport.pattern(TENSOR_BYTES, i)));
      }
      writer.finish();
    }
    double writeSeconds = (System.nanoTime() - t0) / 1e9;
    long writePeak = peakHeap();

    resetPeaks();
    t0 = System.nanoTime();
    ByteBuffer buffer = ByteBuffer.allocate(TENSOR_BYTES);
    try (BundleReader reader = BundleReader.open(io, prefix)) {
      for (int i = 0; i < count; i++) {
        buffer.clear();
        reader.readInto(String.format("t_%05d", i), buffer);
      }
    }
    double readSeconds = (System.nanoTime() - t0) / 1e9;
    long readPeak = peakHeap();

    long bytes = Files.size(Paths.get(prefix + ".data-00000-of-00001"));

    // Freeze a graph whose variables are the first 1 GiB of tensors (a frozen graph must stay under 2 GiB).
    int frozenCount = Math.min(count, 64);
    Graph graph = new Graph();
    OperationBuilder out = graph.opBuilder("NoOp", "out");
    for (int i = 0; i < frozenCount; i++) {
      Operation variable = graph.opBuilder("VariableV2", String.format("t_%05d", i))
          .setAttr("dtype", DType.FLOAT).setAttr("shape", Shape.of(TENSOR_BYTES / 4)).build();
      out.addControlInput(variable);
    }
    out.build();
    MetaGraphs.exportMetaGraph(io, graph, MetaGraphs.ExportOptions.defaults().withFilename(prefix + ".meta"));
    resetPeaks();
    t0 = System.nanoTime();
    FreezeGraph.Result frozen = FreezeGraph.freeze(io, prefix, null, List.of("out"), dir.resolve("frozen.pb").toString(), FreezeGraph.Format.BINARY);
    double freezeSeconds = (System.nanoTime() - t0) / 1e9;
    long freezePeak = peakHeap();
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    System.out.printf("heap probe: %.2f GiB checkpoint (%d tensors of 16 MiB), -Xmx %d MiB%n", bytes / (double) (1L << 30), count, maxHeap >> 20);
    System.out.printf("| phase | peak heap MiB | seconds |%n|---|---|---|%n| write 2 GiB | %d | %.2f |%n| read 2 GiB (readInto) | %d | %.2f |%n",
        writePeak >> 20, writeSeconds, readPeak >> 20, readSeconds);
    System.out.printf("| freeze %d variables, %.2f GiB frozen graph | %d | %.2f |%n",
        frozen.frozenVariables().size(), frozen.bytes() / (double) (1L << 30), freezePeak >> 20, freezeSeconds);
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  /** Sum of the heap pools' peaks: an upper bound on the heap in use at any moment. */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
