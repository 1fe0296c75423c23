package io.sparkpoint.bench;

import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.model.ModelGenerator;
import io.sparkpoint.model.ModelSpec;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.exec.Session;
import io.sparkpoint.replica.Chief;
import io.sparkpoint.replica.GradientSum;
import io.sparkpoint.replica.Replica;
import io.sparkpoint.replica.TrainOpSplit;
import io.sparkpoint.spark.train.TrainJob;
import io.sparkpoint.spark.train.TrainOptions;
import io.sparkpoint.spark.train.VariableValuesAccess;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code sparkpoint train} runs of one model on one generated dataset, and the same step computed
 * in one process: the model is {@code sparkpoint model}'s MLP 784-256-10 with Adam, batch 256; the
 * dataset holds uniform features in [-1, 1) and random class ids, as parquet.
 */
final class TrainRuns {
  static final int FEATURES = 784;
  static final int CLASSES = 10;
  static final int BATCH = 256;
  static final int LOG_EVERY = 10;
  private static final Pattern PROGRESS = Pattern.compile("step (\\d+)/\\d+  loss \\S+  examples/s ([0-9.]+)");

  /**
   * A run: its loop's seconds (steps and the final save), its steady per-step time, and Spark's view
   * of its steady step jobs (medians, ms): submitted to ended, then the largest over each job's
   * tasks of launch to finish, deserialization, run, result serialization and GC.
   */
  record Run(double loopSeconds, double examplesPerSecond, double msPerStep, double jobWallMs, double taskMs, double deserializeMs, double runMs,
      double resultMs, double gcMs) {}

  private final FileIO io;
  private final String meta;
  private final String data;
  private final Map<String, Tensor> firstBatch;

  TrainRuns(SparkSession spark, HadoopFileIO io, String root, int examples) throws IOException {
    this.io = io;
    io.createDirectories(root + "/model");
    this.meta = ModelGenerator.write(new ModelSpec(ModelSpec.Kind.MLP, List.of((long) FEATURES), CLASSES, List.of(256L), ModelSpec.Optimizer.ADAM,
        0.001, 1), io, root + "/model").checkpoint() + ".meta";
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    float[] x = new float[BATCH * FEATURES];
    long[] y = new long[BATCH];
    for (int i = 0; i < examples; i++) {
      List<Float> features = new ArrayList<>(FEATURES);
      for (int j = 0; j < FEATURES; j++) {
        float value = random.nextFloat() * 2 - 1;
        features.add(value);
        if (i < BATCH) {
          x[i * FEATURES + j] = value;
        }
      }
      long label = random.nextInt(CLASSES);
      if (i < BATCH) {
        y[i] = label;
      }
      rows.add(RowFactory.create(features, label));
    }
    StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("label", DataTypes.LongType);
    this.data = root + "/data.parquet";
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(data);
    this.firstBatch = Map.of(ModelGenerator.INPUT, Tensor.ofFloats(Shape.of(BATCH, FEATURES), x), ModelGenerator.LABELS,
        Tensor.ofLongs(Shape.of(BATCH), y));
  }

  /** {@code sparkpoint train} in sync mode, 2 shards, default partitions (one per core), a progress line every 10 steps. */
  TrainOptions options(String checkpointDir, long steps, Long saveEvery, boolean async) {
    return new TrainOptions(meta, null, null, data, "parquet", Map.of("x", List.of("features"), "labels", List.of("label")), BATCH, steps, null, 42,
        checkpointDir, saveEvery, null, 3, null, 2, TrainOptions.Mode.SYNC, 1, async, ModelGenerator.TRAIN, ModelGenerator.LOSS, null, LOG_EVERY);
  }

  /**
   * Trains; the steady per-step time is the median over the progress windows after the first
   * {@code skipWindows} (replica creation, JIT).
   */
  static Run train(SparkSession spark, JobClock clock, TrainOptions options, int skipWindows) throws Exception {
    clock.clear();
    StringWriter progress = new StringWriter();
    TrainJob.Result result = TrainJob.run(spark, options, new PrintWriter(progress));
    List<Double> windows = new ArrayList<>();
    Matcher m = PROGRESS.matcher(progress.toString());
    while (m.find()) {
      windows.add(BATCH * 1000.0 / Double.parseDouble(m.group(2)));
    }
    if (windows.size() <= skipWindows) {
      throw new IllegalStateException("Too few progress lines to measure: " + progress);
    }
    int steps = Math.toIntExact(result.lastStep() - result.firstStep());
    List<JobClock.Job> jobs = clock.await("sparkpoint train step", steps);
    List<JobClock.Job> steady = jobs.subList(Math.min(jobs.size() - 1, skipWindows * LOG_EVERY), jobs.size());
    return new Run(result.examples() / result.examplesPerSecond(), result.examplesPerSecond(),
        BenchSupport.median(windows.subList(skipWindows, windows.size()).stream().mapToDouble(Double::doubleValue).toArray()),
        median(steady, JobClock.Job::wallMs), median(steady, JobClock.Job::longestTaskMs), median(steady, JobClock.Job::deserializeMs),
        median(steady, JobClock.Job::runMs), median(steady, JobClock.Job::resultMs), median(steady, JobClock.Job::gcMs));
  }

  private static double median(List<JobClock.Job> jobs, java.util.function.ToDoubleFunction<JobClock.Job> field) {
    return BenchSupport.median(jobs.stream().mapToDouble(field).toArray());
  }

  /**
   * Milliseconds of Spark's floor under a step (median of {@code iters}): a job of one task per
   * core over a cached RDD, each task returning its partition's index.
   */
  static double emptyJob(SparkSession spark, int warmup, int iters) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int partitions = jsc.defaultParallelism();
    JavaRDD<Integer> cached = jsc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions).cache();
    cached.count();
    double millis = BenchSupport.medianMillis(warmup, iters, i -> cached.mapPartitionsWithIndex((index, it) -> List.of(index).iterator(), true)
        .collect());
    cached.unpersist(false);
    return millis;
  }

  /** Milliseconds of one plain training step in one Session: the train op on the full batch (median of {@code iters}). */
  double sessionStep(int warmup, int iters) throws IOException {
    Graph graph = new Graph();
    MetaGraphs.importMetaGraph(graph, MetaGraphs.read(io, meta), MetaGraphs.ImportOptions.defaults());
    Session session = new Session(graph);
    session.initializeGlobalVariables();
    return BenchSupport.medianMillis(warmup, iters, i -> session.run(firstBatch, List.of(ModelGenerator.LOSS), List.of(ModelGenerator.TRAIN)));
  }

  /**
   * Milliseconds of the data-parallel step's own work in one process, on the full batch: the
   * chief's variables read and loaded into a replica, its gradients, summed as a task sums them,
   * and the chief's apply (median of {@code iters}).
   */
  double replicaStep(int warmup, int iters) throws IOException {
    MetaGraphDef def = MetaGraphs.read(io, meta);
    TrainOpSplit split = TrainOpSplit.of(def, ModelGenerator.TRAIN, ModelGenerator.LOSS);
    Chief chief = new Chief(split, io);
    chief.initialize();
    Replica replica = new Replica(split, def);
    return BenchSupport.medianMillis(warmup, iters, i -> {
      replica.load(i, chief.read(split.replicaVariables()));
      chief.apply(GradientSum.empty(split.gradients().size()).add(BATCH, replica.gradients(firstBatch)).mean());
    });
  }

  /**
   * Milliseconds spent on a step's data in one process (medians of {@code iters}): the variables
   * encoded as the chief broadcasts them, Java-serialized and back (the broadcast's codec, minus
   * compression) and decoded as a task reads them; and one task's gradient sum serialized and
   * back (a task result).
   */
  double[] stepData(int iters) throws Exception {
    MetaGraphDef def = MetaGraphs.read(io, meta);
    TrainOpSplit split = TrainOpSplit.of(def, ModelGenerator.TRAIN, ModelGenerator.LOSS);
    Chief chief = new Chief(split, io);
    chief.initialize();
    Replica replica = new Replica(split, def);
    replica.load(0, chief.read(split.replicaVariables()));
    GradientSum sum = GradientSum.empty(split.gradients().size()).add(BATCH / 2, replica.gradients(firstBatch));
    double[] variables = new double[iters];
    double[] gradients = new double[iters];
    for (int i = 0; i < 2 * iters; i++) {
      long start = System.nanoTime();
      Serializable values = VariableValuesAccess.encode(i, chief.read(split.replicaVariables()));
      VariableValuesAccess.decode((Serializable) roundTrip(values));
      long middle = System.nanoTime();
      roundTrip(sum);
      long end = System.nanoTime();
      if (i >= iters) {
        variables[i - iters] = (middle - start) / 1e6;
        gradients[i - iters] = (end - middle) / 1e6;
      }
    }
    return new double[] {BenchSupport.median(variables), BenchSupport.median(gradients)};
  }

  private static Object roundTrip(Serializable value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }
}
