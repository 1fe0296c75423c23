package io.sparkpoint.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.table.TableOptions;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorSlice;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of valid index files. Each iteration damages a valid index with 1 to 4 mutations
 * (raw byte edits, edits inside blocks whose checksums are then recomputed, and edits of the
 * entries' protos re-encoded into a well-formed table), then opens the bundle, reads every tensor
 * and validates it. Only the documented IOExceptions may come out: never a RuntimeException, an
 * OutOfMemoryError, a StackOverflowError or a hang.
 *
 * <p>{@code -Dsparkpoint.fuzz.iterations=N} sets the iteration count; {@code
 * -Dsparkpoint.fuzz.seed=S} replays a run (each failure prints its seed and iteration).
 */
class IndexFuzzTest {
  private static final int ITERATIONS = Integer.getInteger("sparkpoint.fuzz.iterations", 5000);
  /** Fixed in the default build so CI is reproducible; "random" (the fuzz-long profile) explores. */
  private static final long SEED = seed(System.getProperty("sparkpoint.fuzz.seed", "random"));
  private static final long ITERATION_TIMEOUT_SECONDS = 20;
  /** A read of a damaged index may allocate this much at most; the largest fixture is under 2 MiB. */
  private static final long MAX_ALLOCATION = 256L << 20;
  private static final List<Class<? extends IOException>> DOCUMENTED = List.of(
      CorruptBundleException.class, UnsupportedBundleException.class, KeyNotFoundException.class,
      FileNotFoundException.class, EOFException.class);

  private record Base(String name, String prefix, byte[] index) {}

  /** How deep the damaged indexes got: opened, tensors read, tensors refused. */
  private final AtomicLongArray outcomes = new AtomicLongArray(3);

  private static long seed(String value) {
    return value.equals("random") ? new Random().nextLong() : Long.parseLong(value);
  }

  @Test
  void damagedIndexesFailOnlyWithDocumentedExceptions() throws Exception {
    InMemoryFileIO io = TestFixtures.memory();
    List<Base> bases = bases(io);
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "index-fuzz");
      thread.setDaemon(true); // a hung iteration must not keep the JVM alive
      return thread;
    });
    List<String> failures = new ArrayList<>();
    long started = System.nanoTime();
    int ran = 0;
    try {
      for (int i = 0; i < ITERATIONS && failures.size() < 5; i++, ran++) {
        Random random = new Random(SEED * 0x9E3779B97F4A7C15L + i);
        Base base = bases.get(random.nextInt(bases.size()));
        List<String> applied = new ArrayList<>();
        byte[] index = base.index();
        for (int m = 1 + random.nextInt(4); m > 0; m--) {
          index = IndexMutations.mutate(index, random, applied);
        }
        io.put(base.prefix() + ".index", index);
        Future<Throwable> outcome = worker.submit(() -> exercise(io, base.prefix()));
        Throwable bad;
        boolean hung = false;
        try {
          bad = outcome.get(ITERATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          bad = new AssertionError("no result after " + ITERATION_TIMEOUT_SECONDS + " s: a hang");
          hung = true;
        }
        if (bad != null) {
          failures.add(String.format("iteration %d on %s after %s: %s%n%s", i, base.name(), applied, bad, stackOf(bad)));
        }
        if (hung) {
          break; // the worker is stuck
        }
      }
    } finally {
      worker.shutdownNow();
      for (Base base : bases) {
        io.put(base.prefix() + ".index", base.index());
      }
    }
    System.out.printf(
        "IndexFuzzTest: %d iterations, seed %d, %.1f s; %d damaged indexes opened, %d tensors read, %d refused%n",
        ran, SEED, (System.nanoTime() - started) / 1e9, outcomes.get(0), outcomes.get(1), outcomes.get(2));
    assertThat(failures)
        .as("undocumented failures; replay with -Dsparkpoint.fuzz.seed=%d -Dsparkpoint.fuzz.iterations=%d", SEED, ITERATIONS)
        .isEmpty();
  }

  /** Opens, lists, reads every tensor, validates; returns what should not have happened, or null. */
  private Throwable exercise(FileIO io, String prefix) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    try {
      try (BundleReader reader = BundleReader.open(io, prefix)) {
        outcomes.incrementAndGet(0);
        reader.shapeMap();
        reader.dtypeMap();
        for (String name : reader.tensorNames()) {
          try {
            reader.lookup(name);
            outcomes.incrementAndGet(1);
          } catch (IOException e) {
            outcomes.incrementAndGet(2);
            if (!documented(e)) {
              return e;
            }
          }
        }
      } catch (IOException e) {
        if (!documented(e)) {
          return e;
        }
      }
      BundleValidator.Report report = BundleValidator.validate(io, prefix);
      assertThat(report.prefix()).isEqualTo(prefix);
    } catch (Throwable t) { // RuntimeExceptions, OutOfMemoryError, StackOverflowError
      return t;
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    return allocated > MAX_ALLOCATION ? new AssertionError("allocated " + allocated + " bytes") : null;
  }

  private static boolean documented(IOException e) {
    return DOCUMENTED.stream().anyMatch(type -> type.isInstance(e));
  }

  // --- the valid indexes

  private static List<Base> bases(InMemoryFileIO io) throws IOException {
    List<Base> bases = new ArrayList<>();
    List<String> fixtures = TestFixtures.allV2Prefixes();
    for (int i = 0; i < fixtures.size(); i++) {
      String prefix = TestFixtures.copyToMemory(io, fixtures.get(i), "fixture" + i);
      bases.add(new Base(fixtures.get(i), prefix, io.contents(prefix + ".index")));
    }
    bases.add(written(io, "single", w -> w.add("v", Tensor.ofFloats(Shape.of(2), 1f, 2f))));
    bases.add(written(io, "strings", w -> {
      w.add("edge", Tensor.ofStrings(Shape.of(6), TestFixtures.edgeStrings().toArray(new String[0])));
      w.add("empty", Tensor.ofStrings(Shape.of(0)));
      w.add("scalar", Tensor.ofStrings(Shape.scalar(), "hello"));
      w.add("grid", TestFixtures.randomTensor(DType.STRING, Shape.of(2, 3), new Random(3)));
    }));
    bases.add(written(io, "partitioned", w -> {
      for (int row = 0; row < 6; row += 2) {
        w.addSlice("emb", Shape.of(6, 4), TensorSlice.parse(row + ",2:-"), TestFixtures.randomTensor(DType.FLOAT, Shape.of(2, 4), new Random(row)));
      }
      w.addSlice("w", Shape.of(4, 2), TensorSlice.parse("-:0,1"), TestFixtures.randomTensor(DType.INT64, Shape.of(4, 1), new Random(1)));
      w.addSlice("w", Shape.of(4, 2), TensorSlice.parse("-:1,1"), TestFixtures.randomTensor(DType.INT64, Shape.of(4, 1), new Random(2)));
      w.addSlice("vocab", Shape.of(5), TensorSlice.parse("0,3"), Tensor.ofStrings(Shape.of(3), "a", "b", "c"));
      w.addSlice("vocab", Shape.of(5), TensorSlice.parse("3,2"), Tensor.ofStrings(Shape.of(2), "d", "e"));
      w.add("bias", Tensor.ofFloats(Shape.of(2), 0.5f, -0.5f));
    }));
    bases.add(written(io, "every dtype", w -> {
      for (Map.Entry<String, Tensor> entry : TestFixtures.everyDtype(11).entrySet()) {
        w.add(entry.getKey(), entry.getValue());
      }
    }));
    Base many = written(io, "many tensors", w -> {
      for (int i = 0; i < 300; i++) {
        w.add(String.format("model/layer_%03d/kernel", i), Tensor.ofFloats(Shape.of(2), i, -i));
      }
    });
    // The same entries in small blocks, so the index has many data blocks.
    byte[] blocks = IndexBytes.table(IndexBytes.entries(many.index()), new TableOptions(2048, 16));
    io.put(many.prefix() + ".index", blocks);
    bases.add(new Base("many tensors in small blocks", many.prefix(), blocks));
    return bases;
  }

  private interface Content {
    void write(BundleWriter writer) throws IOException;
  }

  private static Base written(InMemoryFileIO io, String name, Content content) throws IOException {
    String prefix = "/mem/written/" + name.replace(' ', '_') + "/ckpt";
    io.createDirectories("/mem/written");
    try (BundleWriter writer = BundleWriter.create(io, prefix)) {
      content.write(writer);
      writer.finish();
    }
    return new Base(name, prefix, io.contents(prefix + ".index"));
  }

  private static String stackOf(Throwable t) {
    StringBuilder text = new StringBuilder();
    for (StackTraceElement frame : t.getStackTrace()) {
      if (text.length() > 1500) {
        break;
      }
      text.append("    at ").append(frame).append('\n');
    }
    return text.toString();
  }
}
