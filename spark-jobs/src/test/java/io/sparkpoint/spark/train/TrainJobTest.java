package io.sparkpoint.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.BundleValidator;
import io.sparkpoint.checkpoint.CheckpointReader;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.TestFixtures;
import io.sparkpoint.exec.Session;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.model.ModelGenerator;
import io.sparkpoint.model.ModelSpec;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.replica.BatchNormModel;
import io.sparkpoint.replica.TrainOpSplit;
import io.sparkpoint.restore.RestoreOptions;
import io.sparkpoint.spark.hadoop.HadoopConf;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on Spark equals training in one process on the same global batches; checkpoints, resume, retention, averaging; batch-norm
 * moving averages.
 */
class TrainJobTest {
  private static final int FEATURES = 6;
  private static final int EXAMPLES = 64;
  private static final int BATCH = 16;
  private static SparkSession spark;
  @TempDir static Path shared;
  private static String meta;
  private static String data;
  private static float[][] features = new float[EXAMPLES][FEATURES];
  private static long[] labels = new long[EXAMPLES];
  @TempDir Path dir;
  private final FileIO io = new LocalFileIO();

  @BeforeAll
  static void setUp() {
    spark = SparkSession.builder().master("local[2]").appName("TrainJobTest").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    meta = ModelGenerator.write(new ModelSpec(ModelSpec.Kind.MLP, List.of((long) FEATURES), 3, List.of(8L), ModelSpec.Optimizer.ADAM, 0.05, 3),
        new LocalFileIO(), shared.resolve("model").toString()).checkpoint() + ".meta";
    Random random = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < EXAMPLES; i++) {
      List<Float> values = new ArrayList<>();
      for (int j = 0; j < FEATURES; j++) {
        features[i][j] = (float) random.nextGaussian();
        values.add(features[i][j]);
      }
      labels[i] = (features[i][0] > 0 ? 1 : 0) + (features[i][1] > 0.5 ? 1 : 0);
      rows.add(RowFactory.create(values, labels[i], (double) features[i][2]));
    }
    StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("label", DataTypes.LongType)
        .add("extra", DataTypes.DoubleType);
    Dataset<Row> frame = spark.createDataFrame(rows, schema).coalesce(1);
    data = shared.resolve("data.parquet").toString();
    frame.write().parquet(data);
  }

  @AfterAll
  static void tearDown() {
    spark.stop();
  }

  private TrainOptions options(long steps, TrainOptions.Mode mode, int localSteps, int partitions, boolean async) {
    return new TrainOptions(meta, null, null, data, "parquet", Map.of("x", List.of("features"), "labels", List.of("label")), BATCH, steps, null, 42,
        dir.resolve("run").toString(), 2L, null, 2, null, 2, mode, localSteps, async, "train", "loss:0", partitions, 1);
  }

  private TrainJob.Result train(TrainOptions options) throws Exception {
    return TrainJob.run(spark, options, new PrintWriter(new StringWriter()));
  }

  /** One process, one session: the same global batches in the same order. */
  private static Session reference(String model, long steps) throws Exception {
    Graph graph = new Graph();
    MetaGraphs.importMetaGraph(graph, MetaGraphs.read(new LocalFileIO(), model), MetaGraphs.ImportOptions.defaults());
    Session session = new Session(graph);
    session.initializeGlobalVariables();
    long perEpoch = EXAMPLES / BATCH;
    for (long step = 0; step < steps; step++) {
      int[] positions = BatchOrder.positions(42, step / perEpoch, EXAMPLES);
      int[] byPosition = new int[EXAMPLES];
      for (int i = 0; i < EXAMPLES; i++) {
        byPosition[positions[i]] = i;
      }
      float[] x = new float[BATCH * FEATURES];
      long[] y = new long[BATCH];
      for (int b = 0; b < BATCH; b++) {
        int example = byPosition[(int) ((step % perEpoch) * BATCH + b)];
        System.arraycopy(features[example], 0, x, b * FEATURES, FEATURES);
        y[b] = labels[example];
      }
      session.run(Map.of("x:0", Tensor.ofFloats(Shape.of(BATCH, FEATURES), x), "labels:0", Tensor.ofLongs(Shape.of(BATCH), y)), List.of(),
          List.of("train"));
    }
    return session;
  }

  private void assertMatchesReference(String prefix, long steps) throws Exception {
    Session reference = reference(meta, steps);
    try (CheckpointReader reader = CheckpointReader.open(io, prefix)) {
      assertThat(reader.variableToShapeMap()).containsKeys("dense/kernel", "dense/kernel/Adam", "beta1_power", "global_step");
      for (String key : reader.variableToShapeMap().keySet()) {
        assertThat(TestFixtures.relativeDifference(reader.getTensor(key), reference.variables().read(key))).as(key).isLessThan(1e-5);
      }
      assertThat(reader.getTensor("global_step").longAt(0)).isEqualTo(steps);
    }
  }

  @Test
  void syncTrainingEqualsOneProcessOnTheSameGlobalBatchesAndWritesShardedCheckpointsUnderRetention() throws Exception {
    TrainJob.Result result = train(options(6, TrainOptions.Mode.SYNC, 1, 3, false));

    String run = dir.resolve("run").toString();
    assertThat(result.lastStep()).isEqualTo(6);
    assertThat(result.latestCheckpoint()).isEqualTo(run + "/model.ckpt-6");
    assertThat(result.checkpoints()).containsExactly(run + "/model.ckpt-4", run + "/model.ckpt-6");
    assertMatchesReference(result.latestCheckpoint(), 6);
    assertThat(BundleValidator.validate(io, result.latestCheckpoint()).problems()).isEmpty();
    try (BundleReader reader = BundleReader.open(io, result.latestCheckpoint())) {
      assertThat(reader.numShards()).isEqualTo(2);
    }
    try (var files = Files.list(dir.resolve("run"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).filteredOn(f -> !f.startsWith("events.out.tfevents."))
          .containsExactly("checkpoint", "model.ckpt-4.data-00000-of-00002", "model.ckpt-4.data-00001-of-00002", "model.ckpt-4.index",
              "model.ckpt-4.manifest.json", "model.ckpt-4.meta", "model.ckpt-6.data-00000-of-00002", "model.ckpt-6.data-00001-of-00002",
              "model.ckpt-6.index", "model.ckpt-6.manifest.json", "model.ckpt-6.meta");
    }
    assertThat(Files.readString(dir.resolve("run/model.ckpt-6.manifest.json"))).contains("\"step\": 6", "\"shards\": 2", "\"app_id\": \"local-");
    assertThat(result.eventFile()).contains("events.out.tfevents.");
  }

  @Test
  void aRunStoppedAndRestartedEndsWithTheSameVariablesAsAnUninterruptedOne() throws Exception {
    TrainJob.Result first = train(options(3, TrainOptions.Mode.SYNC, 1, 2, true));
    assertThat(first.lastStep()).isEqualTo(3);
    TrainJob.Result resumed = train(options(7, TrainOptions.Mode.SYNC, 1, 2, true));

    assertThat(resumed.resumed()).isTrue();
    assertThat(resumed.firstStep()).isEqualTo(3);
    assertMatchesReference(resumed.latestCheckpoint(), 7);
    assertThat(resumed.checkpoints()).hasSize(2).last().isEqualTo(dir.resolve("run/model.ckpt-7").toString());
    assertThat(Checkpoints.getCheckpointState(io, dir.resolve("run").toString(), null).allModelCheckpointPaths()).hasSize(2);
  }

  @Test
  void averagingOnOnePartitionIsPlainTrainingAndOnSeveralItStillLearns() throws Exception {
    TrainJob.Result single = train(options(4, TrainOptions.Mode.AVERAGE, 2, 1, false));
    assertMatchesReference(single.latestCheckpoint(), 4);

    dir.resolve("run").toFile().renameTo(dir.resolve("single").toFile());
    TrainJob.Result averaged = train(options(40, TrainOptions.Mode.AVERAGE, 4, 3, false));
    try (CheckpointReader reader = CheckpointReader.open(io, averaged.latestCheckpoint())) {
      assertThat(reader.getTensor("global_step").longAt(0)).isEqualTo(40);
    }
    assertThat(averaged.loss()).isLessThan(single.loss());
  }

  @Test
  void badFeedsAndATooSmallDatasetAreRefusedNamingWhatIsWrong() {
    assertThatThrownBy(() -> train(new TrainOptions(meta, null, null, data, "parquet", Map.of("x", List.of("features")), BATCH, 2L, null, 0,
        dir.toString(), null, null, 1, null, 1, TrainOptions.Mode.SYNC, 1, false, "train", "loss:0", 2, 1)))
        .hasMessage("Placeholder 'labels' is read by the step (its gradients, loss or batch-dependent updates), so it needs a column; add --feed labels=COLUMN");
    assertThatThrownBy(() -> train(new TrainOptions(meta, null, null, data, "parquet", Map.of("x", List.of("features"), "labels", List.of("lbl")), BATCH,
        2L, null, 0, dir.toString(), null, null, 1, null, 1, TrainOptions.Mode.SYNC, 1, false, "train", "loss:0", 2, 1)))
        .hasMessage("--feed labels: the dataset has no column 'lbl'; its columns are [features, label, extra]");
    assertThatThrownBy(() -> train(new TrainOptions(meta, null, null, data, "parquet", Map.of("x", List.of("extra"), "labels", List.of("label")), BATCH,
        2L, null, 0, dir.toString(), null, null, 1, null, 1, TrainOptions.Mode.SYNC, 1, false, "train", "loss:0", 2, 1)))
        .hasMessageContaining("columns [extra] hold 1 values, but x:0 takes 6 per example (shape [6])");
    assertThatThrownBy(() -> train(new TrainOptions(meta, null, null, data, "parquet", Map.of("x", List.of("features"), "labels", List.of("label")), 100,
        2L, null, 0, dir.toString(), null, null, 1, null, 1, TrainOptions.Mode.SYNC, 1, false, "train", "loss:0", 2, 1)))
        .hasMessageContaining("has 64 examples, fewer than --batch-size 100");
  }

  @Test
  void aWarmStartTakesTheLayersOfAnotherRunThroughTheRestorePlanAndStartsTheRestFresh() throws Exception {
    TrainJob.Result trained = train(options(4, TrainOptions.Mode.SYNC, 1, 2, false));
    TrainOptions warm = new TrainOptions(meta, trained.checkpointDir(), RestoreOptions.defaults().withExclude("Adam|beta|global_step"), data,
        "parquet", Map.of("x", List.of("features"), "labels", List.of("label")), BATCH, 0L, null, 42, dir.resolve("warm").toString(), null, null,
        2, null, 1, TrainOptions.Mode.SYNC, 1, false, "train", "loss:0", 2, 1);
    StringWriter printed = new StringWriter();
    TrainJob.Result result = TrainJob.run(spark, warm, new PrintWriter(printed));

    assertThat(printed.toString()).contains("warm start from " + trained.latestCheckpoint() + ": 4 of 15 variables restored",
        "kept initialized: beta1_power (excluded)");
    try (CheckpointReader started = CheckpointReader.open(io, result.latestCheckpoint());
        CheckpointReader source = CheckpointReader.open(io, trained.latestCheckpoint())) {
      assertThat(started.getTensor("dense/kernel")).isEqualTo(source.getTensor("dense/kernel"));
      assertThat(started.getTensor("dense_1/bias")).isEqualTo(source.getTensor("dense_1/bias"));
      assertThat(started.getTensor("global_step").longAt(0)).isZero();
      assertThat(started.getTensor("dense/kernel/Adam").doubleAt(0)).isZero();
    }
  }

  @Test
  void anMlVectorColumnOrAListOfNumericColumnsFeedsThePlaceholderAsAnArrayColumnDoes() throws Exception {
    Dataset<Row> frame = spark.read().parquet(data);
    String vectors = dir.resolve("vectors.parquet").toString();
    frame.withColumn("features", org.apache.spark.ml.functions.array_to_vector(frame.col("features"))).coalesce(1).write().parquet(vectors);
    String columns = dir.resolve("columns.parquet").toString();
    Dataset<Row> spread = frame;
    for (int j = 0; j < FEATURES; j++) {
      spread = spread.withColumn("f" + j, frame.col("features").getItem(j));
    }
    spread.drop("features").coalesce(1).write().parquet(columns);

    Map<String, Tensor> byArray = values(train(options(3, TrainOptions.Mode.SYNC, 1, 2, false)).latestCheckpoint());
    List<String> numeric = java.util.stream.IntStream.range(0, FEATURES).mapToObj(j -> "f" + j).toList();
    for (Map.Entry<String, List<String>> source : Map.of(vectors, List.of("features"), columns, numeric).entrySet()) {
      TrainOptions options = new TrainOptions(meta, null, null, source.getKey(), "parquet", Map.of("x", source.getValue(), "labels", List.of("label")),
          BATCH, 3L, null, 42, dir.resolve("from-" + source.getValue().size()).toString(), 2L, null, 2, null, 2, TrainOptions.Mode.SYNC, 1, false,
          "train", "loss:0", 2, 1);
      assertThat(values(train(options).latestCheckpoint())).as(source.getKey()).isEqualTo(byArray);
    }
  }

  @Test
  void orcJsonCsvAndTablesFeedTheSameExamplesAsParquet() throws Exception {
    Dataset<Row> frame = spark.read().parquet(data);
    Dataset<Row> spread = frame;
    for (int j = 0; j < FEATURES; j++) {
      spread = spread.withColumn("f" + j, frame.col("features").getItem(j));
    }
    frame.coalesce(1).write().orc(dir.resolve("data.orc").toString());
    frame.coalesce(1).write().json(dir.resolve("data.json").toString());
    spread.drop("features").coalesce(1).write().option("header", "true").csv(dir.resolve("data.csv").toString());
    frame.createOrReplaceTempView("training_examples");

    Map<String, Tensor> byParquet = values(train(options(2, TrainOptions.Mode.SYNC, 1, 2, false)).latestCheckpoint());
    List<String> numeric = java.util.stream.IntStream.range(0, FEATURES).mapToObj(j -> "f" + j).toList();
    Map<String, List<String>> formats = new java.util.LinkedHashMap<>();
    formats.put("orc", List.of(dir.resolve("data.orc").toString(), "features"));
    formats.put("json", List.of(dir.resolve("data.json").toString(), "features"));
    formats.put("csv", List.of(dir.resolve("data.csv").toString(), String.join(",", numeric)));
    formats.put("table", List.of("training_examples", "features"));
    for (Map.Entry<String, List<String>> format : formats.entrySet()) {
      TrainOptions options = new TrainOptions(meta, null, null, format.getValue().get(0), format.getKey(),
          Map.of("x", List.of(format.getValue().get(1).split(",")), "labels", List.of("label")), BATCH, 2L, null, 42,
          dir.resolve("from-" + format.getKey()).toString(), null, null, 2, null, 1, TrainOptions.Mode.SYNC, 1, false, "train", "loss:0", 2, 1);
      Map<String, Tensor> trained = values(train(options).latestCheckpoint());
      for (String key : byParquet.keySet()) {
        assertThat(TestFixtures.relativeDifference(trained.get(key), byParquet.get(key))).as(format.getKey() + " " + key).isLessThan(1e-6);
      }
    }
    assertThatThrownBy(() -> train(new TrainOptions(meta, null, null, data, "avro", Map.of("x", List.of("features")), BATCH, 2L, null, 0,
        dir.toString(), null, null, 1, null, 1, TrainOptions.Mode.SYNC, 1, false, "train", "loss:0", 2, 1)))
        .hasMessage("--format must be one of [parquet, orc, json, csv, table], got 'avro'");
  }

  @Test
  void syncTrainingMovesABatchNormMovingMeanAsOneProcessAndItsVarianceByTheMeanOfThePartitionsVariances() throws Exception {
    String model = dir.resolve("bn.meta").toString();
    Files.write(Path.of(model), BatchNormModel.build(FEATURES, 3, BatchNormModel.Updates.MINIMIZE).toByteArray());
    TrainJob.Result result = train(new TrainOptions(model, null, null, data, "parquet", Map.of("x", List.of("features"), "labels", List.of("label")),
        BATCH, 6L, null, 42, dir.resolve("bn").toString(), null, null, 2, null, 1, TrainOptions.Mode.SYNC, 1, false, "train", "loss:0", 2, 1));

    Session reference = reference(model, 6);
    try (CheckpointReader reader = CheckpointReader.open(io, result.latestCheckpoint())) {
      Tensor mean = reader.getTensor(BatchNormModel.MOVING_MEAN);
      assertThat(TestFixtures.relativeDifference(mean, reference.variables().read(BatchNormModel.MOVING_MEAN))).isLessThan(1e-5);
      assertThat(mean.doubleAt(0)).as("the moving mean moved").isNotZero();
      Tensor variance = reader.getTensor(BatchNormModel.MOVING_VARIANCE);
      double[] expected = partitionMeanVariance(model, 2, 6);
      assertThat(TestFixtures.relativeDifference(variance, Tensor.ofDoubles(Shape.of(FEATURES), expected))).isLessThan(1e-5);
      Tensor single = reference.variables().read(BatchNormModel.MOVING_VARIANCE);
      for (int c = 0; c < FEATURES; c++) {
        assertThat(variance.doubleAt(c)).as("column %d below one process's", c).isLessThan(single.doubleAt(c));
      }
      assertThat(reader.getTensor("global_step").longAt(0)).isEqualTo(6);
    }
  }

  /**
   * The moving variance sync training documents: each step moves it towards the example-weighted
   * mean of the partitions' batch variances, each partition's slice taken as the run takes it.
   */
  private double[] partitionMeanVariance(String model, int partitions, long steps) throws Exception {
    Dataset<Row> frame = TrainingData.read(spark, data, "parquet");
    MetaGraphDef def = MetaGraphs.read(io, model);
    List<FeedSpec> feeds = FeedResolver.resolve(def, TrainOpSplit.of(def, "train", "loss:0"),
        Map.of("x", List.of("features"), "labels", List.of("label")), frame);
    JavaRDD<ExampleBlock> cached = TrainingData.blocks(frame, feeds, partitions);
    List<ExampleBlock> blocks = cached.collect();
    cached.unpersist(false);
    TrainContext context = new TrainContext("partition-variances", def.toByteArray(), "train", "loss:0", feeds, EXAMPLES, BATCH, 42,
        new HadoopConf(spark.sparkContext().hadoopConfiguration()));
    double[] moving = {1, 1, 1, 1, 1, 1};
    for (long step = 0; step < steps; step++) {
      double[] weighted = new double[FEATURES];
      for (ExampleBlock block : blocks) {
        int[] slice = BatchOrder.slice(context, block, step);
        Tensor x = block.feeds(feeds, slice).get("x:0");
        for (int c = 0; c < FEATURES && slice.length > 0; c++) {
          double mean = 0;
          double squares = 0;
          for (int r = 0; r < slice.length; r++) {
            mean += x.doubleAt(r * FEATURES + c) / slice.length;
          }
          for (int r = 0; r < slice.length; r++) {
            squares += Math.pow(x.doubleAt(r * FEATURES + c) - mean, 2);
          }
          weighted[c] += squares; // slice.length times the slice's variance
        }
      }
      for (int c = 0; c < FEATURES; c++) {
        moving[c] -= (moving[c] - weighted[c] / BATCH) * (1 - BatchNormModel.MOMENTUM);
      }
    }
    return moving;
  }

  private Map<String, Tensor> values(String prefix) throws Exception {
    Map<String, Tensor> out = new java.util.TreeMap<>();
    try (CheckpointReader reader = CheckpointReader.open(io, prefix)) {
      for (String key : reader.variableToShapeMap().keySet()) {
        out.put(key, reader.getTensor(key));
      }
    }
    return out;
  }
}
