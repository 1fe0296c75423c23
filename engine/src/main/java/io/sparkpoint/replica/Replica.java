package io.sparkpoint.replica;

import io.sparkpoint.exec.Session;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A worker's copy of the training graph: it takes the variables the chief broadcasts and computes
 * the gradients and the loss of its slice of a batch ({@link #gradients}), running the split's
 * state updates (batch-norm moving averages) on its copies along the way, or (model averaging)
 * runs whole training steps on its own copy of every variable ({@link #step}). One replica serves
 * one thread at a time.
 */
public final class Replica {
  private final TrainOpSplit split;
  private final Session session;
  /** The broadcast version the variables hold, or null when they hold none (or a replica's own steps changed them). */
  private Long loadedVersion;

  /**
   * What a replica computed for its slice: the gradients (in {@link TrainOpSplit#gradients()} order),
   * the state variables' new values (in {@link TrainOpSplit#stateVariables()} order) and the loss.
   */
  public record Result(List<Tensor> gradients, List<Tensor> state, Tensor loss) {
    /** A result without state variables. */
    public Result(List<Tensor> gradients, Tensor loss) {
      this(gradients, List.of(), loss);
    }
  }

  public Replica(TrainOpSplit split, MetaGraphDef meta) {
    this.split = split;
    Graph graph = new Graph();
    MetaGraphs.importMetaGraph(graph, meta, MetaGraphs.ImportOptions.defaults());
    this.session = new Session(graph);
  }

  public TrainOpSplit split() {
    return split;
  }

  /**
   * Sets variables (by store name) unless this version is already loaded.
   *
   * @return whether the values were loaded
   */
  public boolean load(long version, Map<String, Tensor> variables) {
    if (loadedVersion != null && version == loadedVersion) {
      return false;
    }
    loadedVersion = null;
    variables.forEach((name, value) -> session.variables().assign(name, value));
    loadedVersion = version;
    return true;
  }

  /**
   * The gradients and the loss for these feeds, with the loaded variables; the state updates run in
   * the same step, and the values they wrote come back with the gradients. They change this
   * replica's copies, so the next call loads the broadcast variables again.
   */
  public Result gradients(Map<String, Tensor> feeds) {
    List<String> fetches = new ArrayList<>(split.gradients());
    fetches.add(split.loss());
    List<String> targets = split.stateUpdates().stream().map(TrainOpSplit.StateUpdate::op).toList();
    if (!targets.isEmpty()) {
      loadedVersion = null; // the state updates change the variables, also when the step fails half way
    }
    List<Tensor> out = session.run(feeds, fetches, targets);
    List<Tensor> state = split.stateVariables().stream().map(session.variables()::read).toList();
    return new Result(out.subList(0, split.gradients().size()), state, out.get(out.size() - 1));
  }

  /** Runs one whole training step (the train op) on this replica's variables; returns the loss before the update. */
  public Tensor step(Map<String, Tensor> feeds) {
    loadedVersion = null; // the variables now differ from any broadcast
    return session.run(feeds, List.of(split.loss()), List.of(split.trainOp())).get(0);
  }

  /** Current values, by store name. */
  public Tensor read(String variable) {
    return session.variables().read(variable);
  }
}
