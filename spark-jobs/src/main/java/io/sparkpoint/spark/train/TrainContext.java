package io.sparkpoint.spark.train;

import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.replica.Replica;
import io.sparkpoint.replica.TrainOpSplit;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * What every task of a training run needs, broadcast once: the training graph, how to split it,
 * the feeds, the batch order and the filesystem configuration. Executors keep the parsed graph and
 * a pool of {@link Replica}s per run for the JVM's life, so a step deserializes nothing but the
 * variables.
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
    return SPLITS.computeIfAbsent(runId, id -> TrainOpSplit.of(meta(), trainOp, loss));
  }

  /** A replica of this run's graph, for one task at a time; give it back with {@link #release}. */
  Replica borrow() {
    Replica replica = POOLS.computeIfAbsent(runId, id -> new ConcurrentLinkedDeque<>()).poll();
    return replica != null ? replica : new Replica(split(), meta());
  }

  void release(Replica replica) {
    POOLS.computeIfAbsent(runId, id -> new ConcurrentLinkedDeque<>()).push(replica);
  }
}
