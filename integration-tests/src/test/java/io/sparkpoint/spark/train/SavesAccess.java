package io.sparkpoint.spark.train;

import io.sparkpoint.commit.CheckpointCommitter;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.replica.Chief;
import io.sparkpoint.spark.hadoop.HadoopConf;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Training's checkpoint saves ({@link Saves}: broadcast, one Spark task per shard, the driver's
 * commit), for benchmarks that time them without a training loop around them.
 */
public final class SavesAccess implements AutoCloseable {
  private final Saves saves;
  private final Broadcast<TrainContext> context;

  private SavesAccess(Saves saves, Broadcast<TrainContext> context) {
    this.saves = saves;
    this.context = context;
  }

  /** The saves of a run whose chief is {@code chief}, as {@code sparkpoint train --shards shards [--async-save]} makes them. */
  public static SavesAccess open(SparkSession spark, Chief chief, CheckpointCommitter committer, MetaGraphDef meta, String trainOp,
      String loss, int shards, boolean async) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    TrainContext context = new TrainContext(UUID.randomUUID().toString(), meta.toByteArray(), trainOp, loss, List.of(), 0, 1, 0,
        new HadoopConf(spark.sparkContext().hadoopConfiguration()));
    Broadcast<TrainContext> broadcast = jsc.broadcast(context);
    return new SavesAccess(new Saves(jsc, broadcast, chief, committer, meta, shards, async, spark.sparkContext().applicationId()), broadcast);
  }

  /** Saves the chief's values as step {@code step} (returns once committed, unless async). */
  public void save(long step, double loss) throws IOException {
    saves.save(step, loss);
  }

  /** Waits for an async save to be committed. */
  public void finish() throws IOException {
    saves.finish();
  }

  @Override
  public void close() {
    saves.close();
    context.unpersist(false);
  }
}
