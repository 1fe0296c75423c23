package io.sparkpoint.spark.train;

import io.sparkpoint.bundle.ByteBalance;
import io.sparkpoint.commit.CheckpointCommitter;
import io.sparkpoint.commit.CheckpointManifest;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.replica.Chief;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Checkpoint saves of a training run: the chief's values are broadcast, S Spark tasks write one
 * shard each (balanced by bytes) under the save's temporary directory, and the driver commits them.
 * With async saves the tasks and the commit run while training goes on; a new save first waits
 * for the previous one to be committed, and a failed save fails the run at that point.
 */
final class Saves implements AutoCloseable {
  private final JavaSparkContext jsc;
  private final Broadcast<TrainContext> context;
  private final Chief chief;
  private final CheckpointCommitter committer;
  private final MetaGraphDef meta;
  private final int shards;
  private final boolean async;
  private final String appId;
  private final ExecutorService background;
  private Future<?> pending;

  Saves(JavaSparkContext jsc, Broadcast<TrainContext> context, Chief chief, CheckpointCommitter committer, MetaGraphDef meta, int shards,
      boolean async, String appId) {
    this.jsc = jsc;
    this.context = context;
    this.chief = chief;
    this.committer = committer;
    this.meta = meta;
    this.shards = shards;
    this.async = async;
    this.appId = appId;
    this.background = async ? Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "sparkpoint-async-save");
      thread.setDaemon(true);
      return thread;
    }) : null;
  }

  /** Saves the chief's current values as step {@code step}'s checkpoint (in the background with async saves). */
  void save(long step, double loss) throws IOException {
    finish();
    Map<String, Tensor> values = chief.savedValues();
    Broadcast<VariableValues> broadcast = jsc.broadcast(new VariableValues(step, values));
    List<List<String>> keys = new ArrayList<>();
    for (List<String> shard : ByteBalance.split(new ArrayList<>(values.keySet()), shards, k -> values.get(k).data().remaining(), k -> k)) {
      List<String> sorted = new ArrayList<>(shard);
      sorted.sort(Comparator.naturalOrder());
      keys.add(sorted);
    }
    long bytes = values.values().stream().mapToLong(t -> t.data().remaining()).sum();
    CheckpointCommitter.PendingSave save = committer.begin(step);
    Broadcast<TrainContext> trainContext = context;
    Runnable job = () -> {
      try {
        jsc.setJobDescription("sparkpoint save step " + step + " (" + keys.size() + " shards)");
        int count = keys.size();
        List<ShardTask.Written> written = new ArrayList<>(jsc.parallelize(IntStream.range(0, count).boxed().toList(), count)
            .map(k -> ShardTask.write(trainContext, broadcast, save, k, count, keys.get(k))).collect());
        written.sort(Comparator.comparingInt(ShardTask.Written::shard));
        committer.commit(save, written.stream().map(ShardTask.Written::prefix).toList(), meta,
            new CheckpointManifest(null, step, 0, loss, appId, count, bytes, 0));
      } catch (IOException e) {
        committer.abort(save);
        throw new UncheckedIOException("Cannot save checkpoint " + save.prefix() + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        committer.abort(save);
        throw e;
      } finally {
        broadcast.unpersist(false);
      }
    };
    if (async) {
      pending = background.submit(job);
    } else {
      job.run();
    }
  }

  /** Waits for the save in progress, if any, to be committed; rethrows its failure. */
  void finish() throws IOException {
    if (pending == null) {
      return;
    }
    Future<?> waiting = pending;
    pending = null;
    try {
      waiting.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while waiting for a checkpoint save", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(cause);
    }
  }

  @Override
  public void close() {
    if (background != null) {
      background.shutdownNow();
    }
  }
}
