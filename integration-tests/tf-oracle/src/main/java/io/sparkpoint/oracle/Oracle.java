package io.sparkpoint.oracle;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.tensorflow.TensorFlow;

/**
 * Command-line oracle: real TensorFlow (TF Java 1.1.0 = TF 2.18 runtime) writes and reads V2
 * checkpoints for our tests. Always run in its own JVM. Exit 0 = success, 1 = some tensor failed,
 * 2 = usage or other error. The last stdout line is {@code oracle: <command> ok=N failed=M}.
 *
 * <pre>
 *   write &lt;set&gt; &lt;prefix&gt; &lt;manifestOut&gt;      sets: dtypes strings many sharded large
 *   restore &lt;prefix&gt; &lt;manifestIn&gt; &lt;reportOut&gt;
 *   bench &lt;dir&gt; &lt;count&gt; &lt;bytesPerTensor&gt; &lt;repeats&gt;
 *   selfcheck &lt;dir&gt;                             write + restore dtypes, strings, sharded
 *   run &lt;graph.pb|.pbtxt&gt; &lt;valuesOut&gt; --fetch T[,T...] [--feed NAME=DTYPE:SHAPE:VALUES]...
 *       [--target OP]... [--import-prefix P] [--runs N]
 *   make-mlp &lt;dir&gt; &lt;valuesOut&gt;                  TF Java exports a small MLP SavedModel
 * </pre>
 */
public final class Oracle {
  static final int MAX_BATCH = 256;
  static final long MAX_BATCH_BYTES = 256L << 20;

  private int ok;
  private int failed;

  private Oracle() {}

  public static void main(String[] args) {
    // JavaCPP (under TF Java) refuses to track new native tensors once the process RSS exceeds
    // 4 x -Xmx; our tensors are large and live in native memory, so lift that limit unless the
    // caller set it. Must happen before any TF class loads.
    if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
      System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
    }
    String cmd = args.length > 0 ? args[0] : "";
    Oracle o = new Oracle();
    int rc;
    try {
      rc = o.dispatch(cmd, Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
    } catch (IllegalArgumentException e) {
      System.err.println("oracle: " + e.getMessage());
      System.err.println(usage());
      rc = 2;
    } catch (Exception | Error e) {
      System.err.println("oracle: " + cmd + " failed: " + e);
      e.printStackTrace();
      rc = 2;
    }
    System.out.println("oracle: " + (cmd.isEmpty() ? "?" : cmd) + " ok=" + o.ok + " failed="
        + o.failed);
    System.out.flush();
    System.exit(rc);
  }

  static String usage() {
    return "usage: Oracle write <set> <prefix> <manifestOut>   (sets: " + TestSets.NAMES + ")\n"
        + "       Oracle restore <prefix> <manifestIn> <reportOut>\n"
        + "       Oracle bench <dir> <count> <bytesPerTensor> <repeats>\n"
        + "       Oracle selfcheck <dir>\n"
        + "       Oracle run <graph.pb|.pbtxt> <valuesOut> --fetch T[,T...] [--feed NAME=DTYPE:SHAPE:VALUES]...\n"
        + "                  [--target OP]... [--import-prefix P] [--runs N]\n"
        + "       Oracle make-mlp <dir> <valuesOut>\n"
        + "       Oracle bench-graph <graph.pb> <warmup> <iters> --random NAME=SHAPE ... [--classes NAME=SHAPE:N ...] [--init OP] [--target OP] --fetch T\n"
        + "       Oracle make-train-mlp <dir> <gd|momentum> <feedsOut>\n"
        + "       " + TrainRun.USAGE + "\n"
        + "       Oracle dump-ops <knownOpsFile> <out.pbtxt>";
  }

  private int dispatch(String cmd, String[] a) throws IOException {
    switch (cmd) {
      case "write":
        need(a, 3);
        return write(a[0], a[1], Path.of(a[2]));
      case "restore":
        need(a, 3);
        return restore(a[0], Path.of(a[1]), Path.of(a[2]));
      case "bench":
        need(a, 4);
        ok = Bench.run(Path.of(a[0]), Integer.parseInt(a[1]), Long.parseLong(a[2]),
            Integer.parseInt(a[3]));
        return 0;
      case "selfcheck":
        need(a, 1);
        return selfcheck(Path.of(a[0]));
      case "run":
        ok = GraphRun.command(a);
        return 0;
      case "bench-graph":
        ok = GraphBench.command(a);
        return 0;
      case "make-mlp":
        ok = MakeMlp.command(a);
        return 0;
      case "make-train-mlp":
        ok = MakeTrainMlp.command(a);
        return 0;
      case "train":
        ok = TrainRun.command(a);
        return 0;
      case "dump-ops":
        need(a, 2);
        ok = DumpOps.run(Path.of(a[0]), Path.of(a[1]));
        return 0;
      default:
        throw new IllegalArgumentException("unknown command '" + cmd + "'");
    }
  }

  private static void need(String[] a, int n) {
    if (a.length != n) {
      throw new IllegalArgumentException("expected " + n + " arguments, got " + a.length);
    }
  }

  int write(String set, String prefix, Path manifestOut) throws IOException {
    TestSets.TestSet ts = TestSets.build(set);
    Path parent = Path.of(prefix).toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    long t0 = System.nanoTime();
    try {
      if (ts.sharded()) {
        // as Saver(sharded=True): <prefix>_temp_<uuid hex>/part, ShardedFilename, merge
        String tmp = prefix + "_temp_" + UUID.randomUUID().toString().replace("-", "") + "/part";
        int n = ts.saves().size();
        List<String> shards = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          shards.add(TfCheckpointOps.shardedFilename(tmp, i, n));
        }
        for (int i = 0; i < n; i++) {
          TfCheckpointOps.save(shards.get(i), ts.saves().get(i));
        }
        TfCheckpointOps.merge(shards, prefix, true);
      } else {
        for (List<TensorData> save : ts.saves()) {
          TfCheckpointOps.save(prefix, save);
        }
      }
    } catch (RuntimeException e) {
      System.err.println("oracle: TensorFlow failed to write set " + set + ": " + oneLine(e));
      failed = ts.manifest().size();
      return 1;
    }
    long t1 = System.nanoTime();
    int tensors = ts.saves().stream().mapToInt(List::size).sum();
    System.err.printf("oracle: SaveV2 of %d tensors took %.3f s%n", tensors, (t1 - t0) / 1e9);
    Manifest.write(manifestOut, ts.manifest(), List.of(
        "written by io.sparkpoint.oracle.Oracle write " + set + " " + prefix,
        "TensorFlow " + TensorFlow.version() + " (TF Java 1.1.0)",
        "name\tdtype\tshape\tsliceSpec\tsha256"));
    ok = ts.manifest().size();
    return 0;
  }

  int restore(String prefix, Path manifestIn, Path reportOut) throws IOException {
    List<Manifest.Entry> entries = Manifest.read(manifestIn);
    long t0 = System.nanoTime();
    List<String> report = new ArrayList<>();
    for (int i = 0; i < entries.size(); ) {
      int j = i;
      long bytes = 0;
      while (j < entries.size() && j - i < MAX_BATCH
          && (j == i || bytes + estimate(entries.get(j)) <= MAX_BATCH_BYTES)) {
        bytes += estimate(entries.get(j++));
      }
      restoreBatch(prefix, entries.subList(i, j), report);
      i = j;
    }
    System.err.printf("oracle: RestoreV2 of %d tensors took %.3f s%n", entries.size(),
        (System.nanoTime() - t0) / 1e9);
    Path parent = reportOut.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter w = Files.newBufferedWriter(reportOut, StandardCharsets.UTF_8)) {
      for (String line : report) {
        w.write(line);
        w.write('\n');
      }
    }
    return failed == 0 ? 0 : 1;
  }

  private static long estimate(Manifest.Entry e) {
    return Manifest.numElements(e.shape()) * (e.dtype().isString() ? 64 : e.dtype().size);
  }

  /** Restores a batch; if TF fails, retries one by one so each error names its tensor. */
  private void restoreBatch(String prefix, List<Manifest.Entry> batch, List<String> report) {
    List<TfCheckpointOps.Restored> got;
    try {
      got = TfCheckpointOps.restore(prefix, batch);
    } catch (RuntimeException e) {
      if (batch.size() > 1) {
        for (Manifest.Entry one : batch) {
          restoreBatch(prefix, List.of(one), report);
        }
      } else {
        fail(report, "ERROR\t" + batch.get(0).name() + "\t" + oneLine(e));
      }
      return;
    }
    for (int k = 0; k < batch.size(); k++) {
      Manifest.Entry e = batch.get(k);
      TfCheckpointOps.Restored r = got.get(k);
      List<String> diffs = new ArrayList<>();
      if (!Arrays.equals(e.shape(), r.shape())) {
        diffs.add("shape expected [" + Manifest.formatShape(e.shape()) + "] got ["
            + Manifest.formatShape(r.shape()) + "]");
      }
      if (!e.sha256().equals(r.sha256())) {
        diffs.add("sha256 expected " + e.sha256() + " got " + r.sha256());
      }
      if (diffs.isEmpty()) {
        ok++;
        report.add("OK\t" + e.name());
      } else {
        fail(report, "MISMATCH\t" + e.name() + "\t" + String.join("; ", diffs));
      }
    }
  }

  private void fail(List<String> report, String line) {
    failed++;
    report.add(line);
    System.err.println(line);
  }

  /** TF's message on one line, without the graph-node suffix "[[{{node RestoreV2_0}}]]". */
  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.replaceAll("\\[\\[\\{\\{node [^}]*\\}\\}\\]\\]", " ")
        .replaceAll("[\\t\\r\\n]+", " ").trim();
  }

  /** Writes and restores the small sets under dir/<set> (replaced); all must come back OK. */
  private int selfcheck(Path dir) throws IOException {
    int rc = 0;
    for (String set : List.of("dtypes", "strings", "sharded")) {
      Path d = dir.resolve(set);
      deleteTree(d);
      Oracle o = new Oracle();
      String prefix = d.resolve("ckpt").toString();
      int w = o.write(set, prefix, d.resolve("manifest.tsv"));
      o.ok = 0; // count the restore outcomes only
      int r = w != 0 ? w : o.restore(prefix, d.resolve("manifest.tsv"), d.resolve("report.tsv"));
      System.err.printf("oracle: selfcheck %s: ok=%d failed=%d%n", set, o.ok, o.failed);
      ok += o.ok;
      failed += o.failed;
      rc = Math.max(rc, Math.max(w, r));
    }
    return rc;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
