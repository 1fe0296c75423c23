package io.sparkpoint.spark.train;

import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.replica.Replica;
import io.sparkpoint.replica.TrainOpSplit;
import io.sparkpoint.spark.hadoop.HadoopConf;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * What every task of a training run needs, broadcast once: the training graph, how to split it,
 * the feeds, the batch order and the filesystem configuration. Executors keep the parsed graph and
 * a pool of {@link Replica}s of the current run, so a step deserializes nothing but the variables;
 * a new run replaces them (one training run per application at a time is the efficient case).
 */
record TrainContext(String runId, byte[] metaGraph, String trainOp, String loss, List<FeedSpec> feeds, long examples, int batchSize, long seed,
    HadoopConf hadoop) implements Serializable {
  private static final ConcurrentHashMap<String, ConcurrentLinkedDeque<Replica>> POOLS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, TrainOpSplit> SPLITS = new ConcurrentHashMap<>();

  MetaGraphDef meta() {
    try {
      return MetaGraphDef.parseFrom(metaGraph);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("Cannot parse the broadcast MetaGraphDef: " + e.getMessage(), e);
    }
  }

  TrainOpSplit split() {
    TrainOpSplit split = SPLITS.get(runId);
    if (split == null) {
      // a new run: an executor that served an earlier run of this application forgets its graphs
      SPLITS.keySet().removeIf(id -> !id.equals(runId));
      POOLS.keySet().removeIf(id -> !id.equals(runId));
      split = SPLITS.computeIfAbsent(runId, id -> TrainOpSplit.of(meta(), trainOp, loss));
    }
    return split;
  }

  /** A replica of this run's graph, for one task at a time; give it back with {@link #release}. */
  Replica borrow() {
    split();
    Replica replica = POOLS.computeIfAbsent(runId, id -> new ConcurrentLinkedDeque<>()).poll();
    return replica != null ? replica : new Replica(split(), meta());
  }

  void release(Replica replica) {
    POOLS.computeIfAbsent(runId, id -> new ConcurrentLinkedDeque<>()).push(replica);
  }
}
