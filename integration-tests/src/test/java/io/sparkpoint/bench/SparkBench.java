package io.sparkpoint.bench;

import io.sparkpoint.fs.hadoop.HadoopFileIO;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark layer's costs, every figure taken side by side in one run against an in-process HDFS
 * (MiniDFSCluster, 3 datanodes) and Spark in local mode:
 * <ol>
 *   <li>checkpoint saves of 1 GiB at 1, 2 and 4 shards ({@link HdfsSaveBench}) against HDFS client
 *       streams writing the same bytes;
 *   <li>the per-step overhead of sync training: a {@code sparkpoint train} step (local[2]) against
 *       the same step's computation in one process ({@link TrainRuns});
 *   <li>training throughput at local[1] and local[2];
 *   <li>the training time lost to saves every K steps, synchronous and {@code --async-save}.
 * </ol>
 * Each point is measured {@code repeats} times, interleaved; tables give medians and the spread.
 *
 * <p>Arguments: {@code [repeats=3] [tensors=64] [tensorBytes=16777216] [steps=200] [dir]}; 0 tensors skips the saves, 0
 * steps the training.
 */
public final class SparkBench {
  private static final int[] SHARDS = {1, 2, 4};

  private SparkBench() {}

  public static void main(String[] args) throws Exception {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int tensors = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int tensorBytes = args.length > 2 ? Integer.parseInt(args[2]) : 16 << 20;
    int steps = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    Path dir = args.length > 4 ? Path.of(args[4]) : Files.createTempDirectory("sparkpoint-spark-bench");
    Path base = dir.resolve("minidfs");
    if (Files.exists(base)) {
      try (Stream<Path> old = Files.walk(base)) {
        old.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(new Configuration(), base.toFile()).numDataNodes(3).build();
    try {
      cluster.waitActive();
      FileSystem fs = cluster.getFileSystem();
      String root = fs.getUri() + "/bench";
      boolean opens = ByteBuffer.class.getModule().isOpen("java.nio", SparkBench.class.getModule());
      System.out.printf(Locale.ROOT, "Spark layer benchmark: %d cores, max heap %d MiB, Java %s (%s conf/spark-defaults.conf's JVM flags), "
          + "%d repeats per point; HDFS: MiniDFSCluster in this JVM, 3 datanodes, replication %s%n%n", Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"), opens ? "with" : "without", repeats,
          fs.getConf().get("dfs.replication", "3"));
      if (tensors > 0) {
        saves(fs, root + "/save", tensors, tensorBytes, repeats);
      }
      if (steps > 0) {
        training(new HadoopFileIO(fs.getConf()), root + "/train", steps, repeats);
      }
    } finally {
      cluster.shutdown();
    }
  }

  private static SparkSession session(String master, JobClock clock, String... settings) {
    SparkSession.Builder builder = SparkSession.builder().master(master).appName("SparkBench").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2");
    for (int i = 0; i < settings.length; i += 2) {
      builder.config(settings[i], settings[i + 1]);
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().addSparkListener(clock);
    return spark;
  }

  /**
   * Part 1. Each repeat: one stream, saves at 1, 2 and 4 shards each followed by as many parallel
   * streams, in a local[4] session; then, in a session that does not compress broadcasts, one more
   * save of 1 shard (how much of a save Spark's LZ4 costs).
   */
  private static void saves(FileSystem fs, String root, int tensors, int tensorBytes, int repeats) throws Exception {
    HdfsSaveBench bench = new HdfsSaveBench(fs, root, tensors, tensorBytes);
    double[] one = new double[repeats];
    double[][] streams = new double[SHARDS.length][repeats];
    HdfsSaveBench.Save[][] saves = new HdfsSaveBench.Save[SHARDS.length + 1][repeats];
    JobClock clock = new JobClock();
    for (int r = -1; r < repeats; r++) { // r = -1: warm-up, not recorded
      SparkSession spark = session("local[4]", clock);
      try {
        double seconds = bench.oneStream();
        if (r >= 0) {
          one[r] = seconds;
        }
        for (int s = 0; s < SHARDS.length; s++) {
          HdfsSaveBench.Save save = bench.save(spark, clock, SHARDS[s], "save-" + SHARDS[s] + "-" + r);
          double parallel = SHARDS[s] > 1 ? bench.parallelStreams(SHARDS[s]) : seconds;
          if (r >= 0) {
            saves[s][r] = save;
            streams[s][r] = parallel;
          }
        }
      } finally {
        spark.stop();
      }
      spark = session("local[4]", clock, "spark.broadcast.compress", "false");
      try {
        HdfsSaveBench.Save save = bench.save(spark, clock, 1, "save-uncompressed-" + r);
        if (r >= 0) {
          saves[SHARDS.length][r] = save;
        }
      } finally {
        spark.stop();
      }
    }
    double mib = bench.bytes() / (double) (1 << 20);
    System.out.printf(Locale.ROOT, "1. Checkpoint save to HDFS: %d float32 tensors of %d MiB (%.0f MiB), Spark local[4] on %d cores; "
        + "vs one stream = one stream's median / this median (above 1.0x: faster)%n%n", tensors, tensorBytes >> 20, mib,
        Runtime.getRuntime().availableProcessors());
    System.out.println("| write | s, median | min-max | MiB/s | vs one stream | commit s (share) | shard job s | longest task's run s "
        + "| before the job s |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    double baseline = BenchSupport.median(one);
    System.out.printf(Locale.ROOT, "| one HDFS stream | %.2f | %s | %.0f | 1.00x | | | | |%n", baseline, spread(one), mib / baseline);
    for (int s = 1; s < SHARDS.length; s++) {
      double median = BenchSupport.median(streams[s]);
      System.out.printf(Locale.ROOT, "| %d HDFS streams, %d threads | %.2f | %s | %.0f | %.2fx | | | | |%n", SHARDS[s], SHARDS[s], median,
          spread(streams[s]), mib / median, baseline / median);
    }
    for (int s = 0; s <= SHARDS.length; s++) {
      String label = s < SHARDS.length ? "sparkpoint save, " + SHARDS[s] + (SHARDS[s] == 1 ? " shard" : " shards")
          : "sparkpoint save, 1 shard, spark.broadcast.compress=false";
      double[] total = values(saves[s], HdfsSaveBench.Save::total);
      double median = BenchSupport.median(total);
      double commit = BenchSupport.median(values(saves[s], HdfsSaveBench.Save::commit));
      System.out.printf(Locale.ROOT, "| %s | %.2f | %s | %.0f | %.2fx | %.2f (%.0f%%) | %.2f | %.2f | %.2f |%n", label, median, spread(total),
          mib / median, baseline / median, commit, 100 * commit / median, BenchSupport.median(values(saves[s], HdfsSaveBench.Save::tasks)),
          BenchSupport.median(values(saves[s], HdfsSaveBench.Save::taskRun)), BenchSupport.median(values(saves[s], HdfsSaveBench.Save::before)));
    }
    System.out.printf(Locale.ROOT, "%nAll repeats (s): one stream %s", list(one));
    for (int s = 1; s < SHARDS.length; s++) {
      System.out.printf(Locale.ROOT, "; %d streams %s", SHARDS[s], list(streams[s]));
    }
    for (int s = 0; s <= SHARDS.length; s++) {
      System.out.printf(Locale.ROOT, "; save %s %s (commit %s)", s < SHARDS.length ? SHARDS[s] + " shards" : "1 shard uncompressed",
          list(values(saves[s], HdfsSaveBench.Save::total)), list(values(saves[s], HdfsSaveBench.Save::commit)));
    }
    System.out.printf("%n%n");
  }

  /**
   * Parts 2 to 4. Each repeat, in fresh sessions: the step in one process, Spark's empty job, then
   * runs without saves, with saves and with async saves at local[2], and one at local[1]. The first
   * repeat only warms up (JIT, HDFS), as in part 1.
   */
  private static void training(HadoopFileIO io, String root, int steps, int repeats) throws Exception {
    JobClock clock = new JobClock();
    SparkSession spark = session("local[2]", clock);
    TrainRuns runs;
    try {
      runs = new TrainRuns(spark, io, root, TrainRuns.BATCH * 40);
    } finally {
      spark.stop();
    }
    long saveEvery = Math.max(1, steps / 10);
    int saveCount = (int) ((steps - 1) / saveEvery);
    int skip = 2;
    double[] session = new double[repeats];
    double[] replica = new double[repeats];
    double[] floor = new double[repeats];
    double[][] data = new double[repeats][];
    List<TrainRuns.Run> one = new ArrayList<>();
    List<TrainRuns.Run> two = new ArrayList<>();
    List<TrainRuns.Run> sync = new ArrayList<>();
    List<TrainRuns.Run> async = new ArrayList<>();
    for (int r = -1; r < repeats; r++) { // r = -1: warm-up, not recorded
      String tag = r < 0 ? "warmup" : Integer.toString(r);
      double sessionMs = runs.sessionStep(100, 100);
      double replicaMs = runs.replicaStep(100, 100);
      double[] dataMs = runs.stepData(50);
      spark = session("local[2]", clock);
      try {
        double floorMs = TrainRuns.emptyJob(spark, 50, 100);
        TrainRuns.Run none = TrainRuns.train(spark, clock, runs.options(root + "/ckpt/none-" + tag, steps, null, false), skip);
        TrainRuns.Run synchronous = TrainRuns.train(spark, clock, runs.options(root + "/ckpt/sync-" + tag, steps, saveEvery, false), skip);
        TrainRuns.Run background = TrainRuns.train(spark, clock, runs.options(root + "/ckpt/async-" + tag, steps, saveEvery, true), skip);
        if (r >= 0) {
          session[r] = sessionMs;
          replica[r] = replicaMs;
          data[r] = dataMs;
          floor[r] = floorMs;
          two.add(none);
          sync.add(synchronous);
          async.add(background);
        }
      } finally {
        spark.stop();
      }
      spark = session("local[1]", clock);
      try {
        TrainRuns.Run single = TrainRuns.train(spark, clock, runs.options(root + "/ckpt/local1-" + tag, steps, null, false), skip);
        if (r >= 0) {
          one.add(single);
        }
      } finally {
        spark.stop();
      }
    }
    printStep(session, replica, floor, data, two);
    printThroughput(one, two);
    printSaves(two, sync, async, steps, saveEvery, saveCount);
  }

  private static void printStep(double[] session, double[] replica, double[] floor, double[][] data, List<TrainRuns.Run> two) {
    double[] step = runs(two, TrainRuns.Run::msPerStep);
    double spark = BenchSupport.median(step);
    double compute = BenchSupport.median(replica);
    double plain = BenchSupport.median(session);
    double job = BenchSupport.median(runs(two, TrainRuns.Run::jobWallMs));
    System.out.printf(Locale.ROOT, "2. Per-step cost of sync training, MLP 784-256-10 (Adam), batch %d, steady state (progress windows of %d "
        + "steps after the first %d); ms per step%n%n", TrainRuns.BATCH, TrainRuns.LOG_EVERY, 2 * TrainRuns.LOG_EVERY);
    System.out.println("| per step | ms, median | min-max | share of the Spark step |");
    System.out.println("|---|---|---|---|");
    row("sparkpoint train step, local[2] (2 partitions of 128 examples)", step, spark);
    row("one process: Session runs the train op on the full batch", session, spark);
    row("one process: replica gradients + sum + chief apply, full batch", replica, spark);
    System.out.printf(Locale.ROOT, "| Spark overhead = Spark step - replica path | %.2f | | %.0f%% |%n", spark - compute, 100 * (spark - compute) / spark);
    System.out.printf(Locale.ROOT, "| Spark step - plain Session step | %.2f | | %.0f%% |%n", spark - plain, 100 * (spark - plain) / spark);
    row("of the Spark step: the step's Spark job, submitted to ended", runs(two, TrainRuns.Run::jobWallMs), spark);
    row("of that job: its longest task, launch to finish", runs(two, TrainRuns.Run::taskMs), spark);
    row("of a task: deserializing it", runs(two, TrainRuns.Run::deserializeMs), spark);
    row("of a task: running it (variables, gradients, sum)", runs(two, TrainRuns.Run::runMs), spark);
    row("of a task: serializing its result", runs(two, TrainRuns.Run::resultMs), spark);
    row("of a task: JVM GC while it ran", runs(two, TrainRuns.Run::gcMs), spark);
    System.out.printf(Locale.ROOT, "| of the Spark step: the driver outside the job (broadcast, merge, apply) | %.2f | | %.0f%% |%n", spark - job,
        100 * (spark - job) / spark);
    row("Spark's floor: an empty job of 2 tasks over a cached RDD, same session", floor, spark);
    row("one process: variables encoded, serialized, decoded (the broadcast's data)", Arrays.stream(data).mapToDouble(d -> d[0]).toArray(), spark);
    row("one process: a task's gradient sum serialized and back (its result)", Arrays.stream(data).mapToDouble(d -> d[1]).toArray(), spark);
    System.out.printf(Locale.ROOT, "%nAll repeats (ms): Spark step %s; Session %s; replica path %s%n%n", list(step), list(session), list(replica));
  }

  private static void printThroughput(List<TrainRuns.Run> one, List<TrainRuns.Run> two) {
    System.out.printf(Locale.ROOT, "3. Throughput, examples/s, the same run at local[1] (1 partition) and local[2] (2 partitions)%n%n");
    System.out.println("| examples/s | local[1] median | min-max | local[2] median | min-max | local[2] / local[1] |");
    System.out.println("|---|---|---|---|---|---|");
    double[] steady1 = runs(one, r -> TrainRuns.BATCH * 1000 / r.msPerStep());
    double[] steady2 = runs(two, r -> TrainRuns.BATCH * 1000 / r.msPerStep());
    double[] whole1 = runs(one, TrainRuns.Run::examplesPerSecond);
    double[] whole2 = runs(two, TrainRuns.Run::examplesPerSecond);
    System.out.printf(Locale.ROOT, "| steady state | %.0f | %s | %.0f | %s | %.2fx |%n", BenchSupport.median(steady1), spread(steady1),
        BenchSupport.median(steady2), spread(steady2), BenchSupport.median(steady2) / BenchSupport.median(steady1));
    System.out.printf(Locale.ROOT, "| whole loop (first steps and final save included) | %.0f | %s | %.0f | %s | %.2fx |%n%n",
        BenchSupport.median(whole1), spread(whole1), BenchSupport.median(whole2), spread(whole2),
        BenchSupport.median(whole2) / BenchSupport.median(whole1));
  }

  private static void printSaves(List<TrainRuns.Run> none, List<TrainRuns.Run> sync, List<TrainRuns.Run> async, int steps, long every, int saves) {
    System.out.printf(Locale.ROOT, "4. Saves during training: %d steps, local[2], a save every %d steps (%d saves, 2 shards, to HDFS) "
        + "besides the final one every run makes; stall per save = (loop - loop without saves) / %d%n%n", steps, every, saves, saves);
    System.out.println("| run | loop s, median | min-max | stall per save ms |");
    System.out.println("|---|---|---|---|");
    double[] base = runs(none, TrainRuns.Run::loopSeconds);
    double baseline = BenchSupport.median(base);
    System.out.printf(Locale.ROOT, "| no saves | %.2f | %s | |%n", baseline, spread(base));
    for (var variant : List.of(java.util.Map.entry("synchronous saves", sync), java.util.Map.entry("--async-save", async))) {
      double[] loop = runs(variant.getValue(), TrainRuns.Run::loopSeconds);
      double median = BenchSupport.median(loop);
      double[] stalls = new double[loop.length];
      for (int i = 0; i < loop.length; i++) {
        stalls[i] = 1000 * (loop[i] - base[i]) / saves;
      }
      System.out.printf(Locale.ROOT, "| %s | %.2f | %s | %.0f (repeats %s) |%n", variant.getKey(), median, spread(loop), 1000 * (median - baseline) / saves,
          list(stalls));
    }
    System.out.println();
  }

  private static void row(String label, double[] values, double of) {
    double median = BenchSupport.median(values);
    System.out.printf(Locale.ROOT, "| %s | %.2f | %s | %.0f%% |%n", label, median, spread(values), 100 * median / of);
  }

  private static double[] runs(List<TrainRuns.Run> runs, ToDoubleFunction<TrainRuns.Run> field) {
    return runs.stream().mapToDouble(field).toArray();
  }

  private static <T> double[] values(T[] items, ToDoubleFunction<T> field) {
    return Arrays.stream(items).mapToDouble(field).toArray();
  }

  private static String spread(double[] values) {
    return String.format(Locale.ROOT, "%.2f-%.2f", BenchSupport.best(values), Arrays.stream(values).max().orElse(Double.NaN));
  }

  private static String list(double[] values) {
    return String.join(", ", Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
  }
}
