package io.sparkpoint.spark.train;

import io.sparkpoint.checkpoint.CheckpointReader;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.commit.CheckpointCommitter;
import io.sparkpoint.events.EventFileWriter;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.SupportsDirectories;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.replica.Chief;
import io.sparkpoint.replica.GradientSum;
import io.sparkpoint.replica.TrainOpSplit;
import io.sparkpoint.restore.RestoreOptions;
import io.sparkpoint.restore.RestorePlan;
import io.sparkpoint.restore.TensorSpec;
import io.sparkpoint.spark.hadoop.HadoopConf;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * {@code sparkpoint train}: data-parallel training on Spark's executors. The driver is the chief:
 * it owns every variable, applies the averaged gradients and commits checkpoints; executors keep
 * the graph and their partition of the dataset cached and compute gradients of their slice of each
 * global batch (sync mode), or run local steps that are then averaged (average mode). Checkpoints
 * are written by executors, one task per shard, and committed by the driver
 * ({@link CheckpointCommitter}). Restarted on the same checkpoint directory, a run resumes from the
 * latest checkpoint: variables, optimizer slots, global step and the position in the data.
 */
public final class TrainJob {
  /** The checkpoints' name in the checkpoint directory. */
  public static final String CHECKPOINT_NAME = "model.ckpt";

  private TrainJob() {}

  /** What a run did. */
  public record Result(String checkpointDir, boolean resumed, long firstStep, long lastStep, double loss, String latestCheckpoint,
      List<String> checkpoints, long examples, double examplesPerSecond, String eventFile) {}

  public static Result run(SparkSession spark, TrainOptions options, PrintWriter progress) throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    FileIO io = new HadoopFileIO(spark.sparkContext().hadoopConfiguration());
    if (!io.newInputFile(options.meta()).exists()) {
      throw new FileNotFoundException("Cannot find the MetaGraphDef " + options.meta());
    }
    MetaGraphDef meta = MetaGraphs.read(io, options.meta());
    TrainOpSplit split = TrainOpSplit.of(meta, options.trainOp(), options.loss());
    Dataset<Row> data = TrainingData.read(spark, options.data(), options.format());
    List<FeedSpec> feeds = FeedResolver.resolve(meta, split, options.feeds(), data);
    int partitions = options.partitions() != null ? options.partitions() : jsc.defaultParallelism();
    JavaRDD<ExampleBlock> blocks = TrainingData.blocks(data, feeds, partitions);
    long examples = blocks.map(b -> (long) b.size()).fold(0L, Long::sum);
    long perEpoch = BatchOrder.stepsPerEpoch(examples, options.batchSize());
    if (perEpoch == 0) {
      throw new IllegalArgumentException("The dataset " + options.data() + " has " + examples + " examples, fewer than --batch-size "
          + options.batchSize());
    }
    if (examples > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("The dataset has " + examples + " examples; at most " + Integer.MAX_VALUE + " are supported");
    }
    long target = options.steps() != null ? options.steps() : options.epochs() * perEpoch;

    if (io instanceof SupportsDirectories dirs) {
      dirs.createDirectories(options.checkpointDir());
    }
    Chief chief = new Chief(split, io);
    CheckpointCommitter committer = new CheckpointCommitter(io, options.checkpointDir(), CHECKPOINT_NAME, options.maxToKeep(),
        options.keepCheckpointEveryNHours(), () -> System.currentTimeMillis() / 1000.0);
    String latest = committer.latest();
    long step = start(chief, io, latest, options, progress);
    long first = step;

    TrainContext context = new TrainContext(UUID.randomUUID().toString(), meta.toByteArray(), options.trainOp(), split.loss(), feeds, examples,
        options.batchSize(), options.seed(), new HadoopConf(spark.sparkContext().hadoopConfiguration()));
    Broadcast<TrainContext> contextBroadcast = jsc.broadcast(context);
    Saves saves = new Saves(jsc, contextBroadcast, chief, committer, meta, options.shards(), options.asyncSave(), spark.sparkContext().applicationId());
    String host = InetAddress.getLocalHost().getHostName();
    double loss = Double.NaN;
    long lastSaveStep = step;
    long lastSaveTime = System.nanoTime();
    long trainedExamples = 0;
    long started = System.nanoTime();
    try (EventFileWriter events = EventFileWriter.create(io, options.checkpointDir(), System.currentTimeMillis() / 1000.0, host)) {
      long windowStart = System.nanoTime();
      long windowExamples = 0;
      while (step < target) {
        int count = options.mode() == TrainOptions.Mode.SYNC ? 1 : (int) Math.min(options.localSteps(), target - step);
        spark.sparkContext().setJobDescription(String.format(Locale.ROOT, "sparkpoint train step %d/%d", step + count, target));
        Tuple2<Long, Double> done = options.mode() == TrainOptions.Mode.SYNC ? syncStep(jsc, contextBroadcast, blocks, chief, split, step)
            : averageRound(jsc, contextBroadcast, blocks, chief, step, count);
        step += count;
        loss = done._2();
        trainedExamples += done._1();
        windowExamples += done._1();
        if (step % options.logEverySteps() < count || step == target) {
          double seconds = (System.nanoTime() - windowStart) / 1e9;
          double rate = windowExamples / Math.max(seconds, 1e-9);
          progress.printf(Locale.ROOT, "step %d/%d  loss %.6f  examples/s %.1f%n", step, target, loss, rate);
          progress.flush();
          Map<String, Double> scalars = new LinkedHashMap<>();
          scalars.put("loss", loss);
          scalars.put("examples_per_second", rate);
          events.scalars(step, System.currentTimeMillis() / 1000.0, scalars);
          windowStart = System.nanoTime();
          windowExamples = 0;
        }
        boolean dueSteps = options.saveEverySteps() != null && step - lastSaveStep >= options.saveEverySteps();
        boolean dueTime = options.saveEverySeconds() != null && (System.nanoTime() - lastSaveTime) / 1e9 >= options.saveEverySeconds();
        if ((dueSteps || dueTime) && step < target) {
          saves.save(step, loss);
          lastSaveStep = step;
          lastSaveTime = System.nanoTime();
        }
      }
      if (step != lastSaveStep || latest == null) {
        saves.save(step, loss);
      }
      saves.finish();
      double seconds = (System.nanoTime() - started) / 1e9;
      return new Result(options.checkpointDir(), latest != null, first, step, loss, committer.latest(), committer.checkpoints(), trainedExamples,
          trainedExamples / Math.max(seconds, 1e-9), events.location());
    } finally {
      saves.close();
      blocks.unpersist(false);
      contextBroadcast.unpersist(false);
    }
  }

  /** Restores the latest checkpoint (a resume), or initializes and warm-starts; returns the step to start from. */
  private static long start(Chief chief, FileIO io, String latest, TrainOptions options, PrintWriter progress) throws IOException {
    if (latest != null) {
      chief.restore(latest);
      Long step = chief.globalStep();
      progress.println("resuming from " + latest);
      Long named = Checkpoints.stepOf(latest);
      return step != null ? step : named != null ? named : 0;
    }
    chief.initialize();
    if (options.initCheckpoint() != null) {
      warmStart(chief, io, options.initCheckpoint(), options.initRestore(), progress);
    }
    Long step = chief.globalStep();
    return step != null ? step : 0;
  }

  /**
   * Warm start: the plan of {@code restore-partial} (same names, or the {@code --init-map} renames,
   * filtered by {@code --init-include}/{@code --init-exclude}) from the initial checkpoint onto the
   * chief's variables; mismatched ones keep their initial values. Prints the plan's outcome.
   */
  private static void warmStart(Chief chief, FileIO io, String checkpoint, RestoreOptions restore, PrintWriter progress) throws IOException {
    String prefix = Checkpoints.resolvePrefix(io, checkpoint);
    Map<String, Tensor> current = chief.read(chief.allVariables());
    SortedMap<String, TensorSpec> targets = new TreeMap<>();
    current.forEach((name, value) -> targets.put(name, new TensorSpec(value.dtype(), value.shape())));
    Map<String, Tensor> restored = new LinkedHashMap<>();
    try (CheckpointReader reader = CheckpointReader.open(io, prefix)) {
      SortedMap<String, TensorSpec> sources = new TreeMap<>();
      Map<String, DType> dtypes = reader.variableToDtypeMap();
      reader.variableToShapeMap().forEach((name, shape) -> sources.put(name, new TensorSpec(dtypes.get(name), shape)));
      RestorePlan plan = RestorePlan.compute(sources, targets, restore.skippingMismatched());
      for (RestorePlan.Step step : plan.steps()) {
        if (step.restores()) {
          Tensor value = reader.getTensor(step.source());
          restored.put(step.target(), step.reshaped() ? Tensor.wrap(value.dtype(), step.targetSpec().shape(), value.data()) : value);
        }
      }
      plan.warnings().forEach(w -> progress.println("warm start: " + w));
      List<String> kept = plan.steps().stream().filter(s -> !s.restores()).map(s -> s.target() + " (" + s.outcome().name().toLowerCase(Locale.ROOT) + ")")
          .toList();
      progress.println("warm start from " + prefix + ": " + restored.size() + " of " + current.size() + " variables restored"
          + (kept.isEmpty() ? "" : "; kept initialized: " + String.join(", ", kept)));
    }
    chief.assign(restored);
  }

  /**
   * One synchronous step: gradients (and state values) of every partition's slice, merged in partition order, applied once. Returns
   * (examples, loss).
   */
  private static Tuple2<Long, Double> syncStep(JavaSparkContext jsc, Broadcast<TrainContext> context, JavaRDD<ExampleBlock> blocks, Chief chief,
      TrainOpSplit split, long step) {
    Broadcast<VariableValues> variables = jsc.broadcast(new VariableValues(step, chief.read(split.replicaVariables())));
    try {
      JavaPairRDD<Integer, GradientSum> parts = blocks.mapPartitionsWithIndex((index, it) -> StepTasks.gradients(context, variables, step, index, it),
          true).mapToPair(p -> p);
      GradientSum sum = GradientTree.sum(parts, split.gradients().size(), split.stateVariables().size(), GradientTree.DIRECT);
      chief.apply(sum.mean(), sum.stateMean());
      return new Tuple2<>(sum.examples(), sum.meanLoss());
    } finally {
      variables.unpersist(false);
    }
  }

  /** One round of model averaging over {@code count} steps. Returns (examples, mean loss over the round). */
  private static Tuple2<Long, Double> averageRound(JavaSparkContext jsc, Broadcast<TrainContext> context, JavaRDD<ExampleBlock> blocks,
      Chief chief, long step, int count) {
    Map<String, Tensor> current = chief.read(chief.allVariables());
    Broadcast<VariableValues> variables = jsc.broadcast(new VariableValues(Long.MIN_VALUE + step, current));
    try {
      List<Tuple2<Integer, StepTasks.LocalRound>> parts = new ArrayList<>(
          blocks.mapPartitionsWithIndex((index, it) -> StepTasks.localSteps(context, variables, step, count, index, it), true).collect());
      parts.sort(Comparator.comparing(Tuple2::_1));
      StepTasks.LocalRound total = StepTasks.LocalRound.EMPTY;
      for (Tuple2<Integer, StepTasks.LocalRound> part : parts) {
        total = total.plus(part._2());
      }
      Map<String, Tensor> averaged = total.average(current);
      String globalStep = chief.globalStepVariable();
      if (globalStep != null) {
        DType dtype = current.get(globalStep).dtype();
        averaged.put(globalStep, dtype == DType.INT32 ? Tensor.ofInts(Shape.scalar(), (int) (step + count))
            : Tensor.ofLongs(Shape.scalar(), step + count));
      }
      chief.assign(averaged);
      return new Tuple2<>(total.examples(), total.lossSum() / total.examples());
    } finally {
      variables.unpersist(false);
    }
  }
}
