package io.sparkpoint.spark.jobs;

import io.sparkpoint.bundle.BundleValidator;
import io.sparkpoint.freeze.FreezeGraph;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.Locations;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.model.ModelGenerator;
import io.sparkpoint.model.ModelSpec;
import io.sparkpoint.spark.train.TrainJob;
import io.sparkpoint.spark.train.TrainOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The main job on the embedded default: generates a small classification dataset (Parquet) and an
 * MLP, trains it with {@link TrainJob} (sharded checkpoints every 50 steps under retention, async
 * saves), freezes the latest checkpoint and validates it. Everything goes under one directory;
 * running it again resumes, so a finished run is not repeated.
 */
public final class QuickstartJob {
  static final int FEATURES = 20;
  static final int CLASSES = 3;
  static final int EXAMPLES = 4096;

  private QuickstartJob() {}

  /** Where everything went. */
  public record Result(String data, String model, String checkpointDir, TrainJob.Result training, String frozen, int nodesKept,
      BundleValidator.Report validation) {}

  public static Result run(SparkSession spark, String out, long steps, PrintWriter progress) throws IOException {
    FileIO io = new HadoopFileIO(spark.sparkContext().hadoopConfiguration());
    String data = Locations.join(out, "data.parquet");
    if (!io.newInputFile(Locations.join(data, "_SUCCESS")).exists()) {
      writeDataset(spark, data);
    }
    String modelDir = Locations.join(out, "model");
    String meta = Locations.join(modelDir, "model.ckpt-0.meta");
    if (!io.newInputFile(meta).exists()) {
      ModelGenerator.write(new ModelSpec(ModelSpec.Kind.MLP, List.of((long) FEATURES), CLASSES, List.of(32L), ModelSpec.Optimizer.ADAM, 0.01, 7),
          io, modelDir);
    }
    String run = Locations.join(out, "run");
    TrainOptions options = new TrainOptions(meta, null, null, data, "parquet", Map.of("x", List.of("features"), "labels", List.of("label")), 128, steps,
        null, 7, run, 50L, null, 3, null, 2, TrainOptions.Mode.SYNC, 1, true, ModelGenerator.TRAIN, ModelGenerator.LOSS, null, 25);
    TrainJob.Result training = TrainJob.run(spark, options, progress);
    String frozen = Locations.join(out, "frozen.pb");
    FreezeGraph.Result freeze = FreezeGraph.freeze(io, run, null, List.of("probabilities"), frozen, FreezeGraph.Format.BINARY);
    BundleValidator.Report validation = BundleValidator.validate(io, training.latestCheckpoint());
    return new Result(data, meta, run, training, frozen, freeze.nodesKept(), validation);
  }

  /** Three Gaussian clusters in 20 dimensions, seeded: the same file on every machine. */
  private static void writeDataset(SparkSession spark, String location) {
    SplittableRandom random = new SplittableRandom(2026);
    double[][] centers = new double[CLASSES][FEATURES];
    for (double[] center : centers) {
      for (int j = 0; j < FEATURES; j++) {
        center[j] = random.nextDouble(-1, 1);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < EXAMPLES; i++) {
      int label = random.nextInt(CLASSES);
      List<Float> features = new ArrayList<>();
      for (int j = 0; j < FEATURES; j++) {
        features.add((float) (centers[label][j] + 0.6 * gaussian(random)));
      }
      rows.add(RowFactory.create(features, (long) label));
    }
    StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType)).add("label", DataTypes.LongType);
    spark.createDataFrame(rows, schema).coalesce(1).write().mode("overwrite").parquet(location);
  }

  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
