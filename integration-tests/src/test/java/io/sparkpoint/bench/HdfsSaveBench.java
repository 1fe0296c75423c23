package io.sparkpoint.bench;

import io.sparkpoint.checkpoint.CheckpointReader;
import io.sparkpoint.commit.CheckpointCommitter;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.graph.Output;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.replica.Chief;
import io.sparkpoint.replica.TrainOpSplit;
import io.sparkpoint.spark.train.SavesAccess;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.train.GlobalStep;
import io.sparkpoint.train.GradientDescentOptimizer;
import io.sparkpoint.train.TrainableVariable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Checkpoint saves of {@code sparkpoint train} to HDFS, timed whole: the chief's values are
 * broadcast, S Spark tasks write one shard each, and the driver commits (meta, merged index,
 * state file, manifest), through the real {@code Saves}. Spark's job timestamps ({@link JobClock})
 * split each save into what ran before the shard job, the job, and the commit after it. The
 * baselines write the same bytes with HDFS clients and nothing else: one stream, and S streams on
 * S threads.
 */
final class HdfsSaveBench {
  /** Seconds per repeat: the whole save, then its parts: before the shard job, the job, its longest task's run, the commit after it. */
  record Save(double total, double before, double tasks, double taskRun, double commit) {}

  /** What the baselines give HDFS streams: the buffer {@code HadoopFileIO} asks for. */
  private static final int BUFFER_BYTES = 1 << 20;

  private final FileSystem fs;
  private final HadoopFileIO io;
  private final String root;
  private final MetaGraphDef meta;
  private final Chief chief;
  /** The variables' bytes, which the chief holds without a copy. */
  private final List<byte[]> data = new ArrayList<>();

  HdfsSaveBench(FileSystem fs, String root, int tensors, int tensorBytes) throws IOException {
    this.fs = fs;
    this.io = new HadoopFileIO(fs.getConf());
    this.root = root;
    this.meta = MetaGraphs.exportMetaGraph(io, variablesGraph(tensors, tensorBytes / 4), MetaGraphs.ExportOptions.defaults());
    this.chief = new Chief(TrainOpSplit.of(meta, "train", "loss:0"), io);
    chief.initialize();
    Map<String, Tensor> values = new LinkedHashMap<>();
    for (int k = 0; k < tensors; k++) {
      byte[] bytes = BenchSupport.pattern(tensorBytes, k).array();
      data.add(bytes);
      values.put(name(k), Tensor.wrap(DType.FLOAT, Shape.of(tensorBytes / 4), ByteBuffer.wrap(bytes)));
    }
    chief.assign(values);
  }

  long bytes() {
    return data.stream().mapToLong(b -> b.length).sum();
  }

  /** One HDFS client stream writes every variable's bytes to one file. */
  double oneStream() throws Exception {
    Path file = new Path(root + "/one-stream");
    BenchSupport.settle();
    long start = System.nanoTime();
    try (FSDataOutputStream out = fs.create(file, true, BUFFER_BYTES)) {
      for (byte[] bytes : data) {
        out.write(bytes);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    forget(file);
    return seconds;
  }

  /** {@code streams} HDFS client streams on as many threads, each writing every streams-th variable to its own file. */
  double parallelStreams(int streams) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(streams);
    try {
      BenchSupport.settle();
      long start = System.nanoTime();
      List<Future<?>> writes = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        int stream = s;
        writes.add(pool.submit(() -> {
          try (FSDataOutputStream out = fs.create(new Path(root + "/streams/part-" + stream), true, BUFFER_BYTES)) {
            for (int k = stream; k < data.size(); k += streams) {
              out.write(data.get(k));
            }
          }
          return null;
        }));
      }
      for (Future<?> write : writes) {
        write.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      forget(new Path(root + "/streams"));
      return seconds;
    } finally {
      pool.shutdown();
    }
  }

  /**
   * One synchronous save of the chief's values in {@code shards} shards, into a fresh checkpoint
   * directory, on {@code spark} (whose jobs {@code clock} hears).
   */
  Save save(SparkSession spark, JobClock clock, int shards, String name) throws Exception {
    String dir = root + "/" + name;
    CheckpointCommitter committer = new CheckpointCommitter(io, dir, "model.ckpt", 5, null, () -> System.currentTimeMillis() / 1000.0);
    Save save;
    try (SavesAccess saves = SavesAccess.open(spark, chief, committer, meta, "train", "loss:0", shards, false)) {
      BenchSupport.settle();
      clock.clear();
      long startMs = System.currentTimeMillis();
      long start = System.nanoTime();
      saves.save(1, 0.0);
      double seconds = (System.nanoTime() - start) / 1e9;
      long endMs = System.currentTimeMillis();
      JobClock.Job job = clock.await("sparkpoint save", 1).get(0);
      save = new Save(seconds, (job.startMs() - startMs) / 1e3, job.wallMs() / 1e3, job.runMs() / 1e3, (endMs - job.endMs()) / 1e3);
    }
    try (CheckpointReader reader = CheckpointReader.open(io, committer.latest())) {
      if (reader.variableToShapeMap().size() != data.size() + 1) {
        throw new IllegalStateException("The save of " + shards + " shards holds " + reader.variableToShapeMap().keySet());
      }
    }
    forget(new Path(dir));
    return save;
  }

  /** Deletes, then gives the datanodes a few heartbeats to drop the blocks, so their deletions do not land in the next timing. */
  private void forget(Path path) throws IOException, InterruptedException {
    fs.delete(path, true);
    Thread.sleep(4000);
  }

  private static String name(int k) {
    return String.format(Locale.ROOT, "v%02d", k);
  }

  /**
   * {@code tensors} float32 variables of {@code elements} each (filled with zeros by Fill ops, so
   * the graph stays small), a loss summing them, and plain gradient descent: a train op that
   * {@code TrainOpSplit} can split, as training needs, and that this benchmark never runs.
   */
  static Graph variablesGraph(int tensors, int elements) {
    Graph graph = new Graph();
    List<Output> sums = new ArrayList<>();
    for (int k = 0; k < tensors; k++) {
      try (Graph.NameScope scope = graph.nameScope(name(k))) {
        Output zeros;
        try (Graph.NameScope init = graph.nameScope("Initializer")) {
          Output dims = graph.constant("shape", Tensor.ofInts(Shape.of(1), elements));
          Output zero = graph.constant("value", Tensor.scalar(0f));
          zeros = graph.opBuilder("Fill", "zeros").addInput(dims).addInput(zero).setAttr("T", DType.FLOAT).setAttr("index_type", DType.INT32)
              .build().output(0);
        }
        Variables.variableNamedAfter(graph, scope, DType.FLOAT, Shape.of(elements), zeros, true, false);
      }
      Output read = graph.getTensorByName(name(k) + "/read:0");
      Output axis = graph.constant(name(k) + "_sum/axis", Tensor.ofInts(Shape.scalar(), 0));
      sums.add(graph.opBuilder("Sum", name(k) + "_sum").addInput(read).addInput(axis).setAttr("T", DType.FLOAT).setAttr("Tidx", DType.INT32)
          .build().output(0));
    }
    var loss = graph.opBuilder("AddN", "loss");
    sums.forEach(loss::addInput);
    Output total = loss.setAttr("N", sums.size()).setAttr("T", DType.FLOAT).build().output(0);
    Output step = GlobalStep.getOrCreate(graph);
    var update = new GradientDescentOptimizer(0.01).minimize(graph, total, TrainableVariable.all(graph), step);
    graph.opBuilder("NoOp", "train").addControlInput(update).build();
    Variables.globalVariablesInitializer(graph);
    return graph;
  }
}
