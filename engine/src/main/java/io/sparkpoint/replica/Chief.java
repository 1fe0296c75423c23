package io.sparkpoint.replica;

import io.sparkpoint.exec.Session;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.GraphCollections;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.exec.variables.VariableKernels;
import io.sparkpoint.proto.SaverDef;
import io.sparkpoint.saver.SavedTensors;
import io.sparkpoint.saver.Saver;
import io.sparkpoint.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chief's side of a data-parallel step: it owns every variable (weights, optimizer slots,
 * global step, batch-norm moving averages), sets the state variables to the replicas' mean values
 * and applies averaged gradients by running the train op of {@link TrainOpSplit#chiefMetaGraph()}
 * with the gradients fed, and hands out the values the replicas and the checkpoint need. Its graph
 * never runs the state updates themselves. Not thread-safe.
 */
public final class Chief {
  private final TrainOpSplit split;
  private final Graph graph;
  private final Session session;
  private final SaverDef saverDef;
  private final List<SavedTensors.Entry> saved;
  private final String globalStep;

  public Chief(TrainOpSplit split, FileIO io) {
    this.split = split;
    this.graph = new Graph();
    SaverDef imported = MetaGraphs.importMetaGraph(graph, split.chiefMetaGraph(), MetaGraphs.ImportOptions.defaults());
    this.session = new Session(graph).withService(FileIO.class, io);
    this.saverDef = imported != null && !imported.getSaveTensorName().isEmpty() ? imported : Saver.builder(graph).build().saverDef();
    this.saved = SavedTensors.of(graph, saverDef);
    this.globalStep = globalStepVariable(graph);
  }

  /** Runs every global variable's initializer (a fresh start). */
  public void initialize() {
    session.initializeGlobalVariables();
  }

  /** Restores every saved variable from a checkpoint through the graph's saver (a resume). */
  public void restore(String prefix) {
    Saver.fromSaverDef(graph, saverDef).restore(session, prefix);
  }

  /** One update of a split without state updates: {@link #apply(List, List)} with no state values. */
  public void apply(List<Tensor> gradients) {
    apply(gradients, List.of());
  }

  /**
   * One update: sets each state variable to its mean value (in {@link TrainOpSplit#stateVariables()}
   * order), then feeds the averaged gradients (in {@link TrainOpSplit#gradients()} order) and runs
   * the train op.
   *
   * @throws IllegalArgumentException when the number of state values is not the split's
   */
  public void apply(List<Tensor> gradients, List<Tensor> state) {
    List<String> variables = split.stateVariables();
    if (state.size() != variables.size()) {
      throw new IllegalArgumentException("Cannot apply a step with " + state.size() + " state values: the train op's state updates write "
          + variables.size() + " variables " + variables);
    }
    for (int i = 0; i < state.size(); i++) {
      session.variables().assign(variables.get(i), state.get(i));
    }
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    for (int i = 0; i < gradients.size(); i++) {
      feeds.put(split.feed(i), gradients.get(i));
    }
    session.run(feeds, List.of(), List.of(split.trainOp()));
  }

  /** Current values by store name. */
  public Map<String, Tensor> read(List<String> variables) {
    Map<String, Tensor> values = new LinkedHashMap<>();
    for (String name : variables) {
      values.put(name, session.variables().read(name));
    }
    return values;
  }

  /** Sets variables by store name (model averaging). */
  public void assign(Map<String, Tensor> values) {
    values.forEach((name, value) -> session.variables().assign(name, value));
  }

  /** Every variable's store name (what model averaging exchanges), in graph order. */
  public List<String> allVariables() {
    List<String> names = new ArrayList<>();
    for (Operation op : graph.operations()) {
      if (op.type().equals("VariableV2") || op.type().equals("Variable") || op.type().equals("VarHandleOp")) {
        names.add(VariableKernels.variableName(op.toNodeDef()));
      }
    }
    return names;
  }

  /** The checkpoint's contents: each key of the graph's saver and its current value, in key order. */
  public Map<String, Tensor> savedValues() {
    List<String> tensors = saved.stream().map(SavedTensors.Entry::tensor).toList();
    List<Tensor> values = session.run(Map.of(), tensors);
    Map<String, Tensor> out = new java.util.TreeMap<>();
    for (int i = 0; i < saved.size(); i++) {
      out.put(saved.get(i).key(), values.get(i));
    }
    return out;
  }

  /** The graph's global step (the {@code global_step} collection, else a variable named {@code global_step}), or null without one. */
  public Long globalStep() {
    return globalStep == null ? null : session.variables().read(globalStep).longAt(0);
  }

  /** The store name of the global step variable, or null. */
  public String globalStepVariable() {
    return globalStep;
  }

  public SaverDef saverDef() {
    return saverDef;
  }

  public Session session() {
    return session;
  }

  private static String globalStepVariable(Graph graph) {
    for (Object item : graph.getCollection(GraphCollections.GLOBAL_STEP)) {
      if (item instanceof io.sparkpoint.proto.VariableDef def) {
        Operation op = graph.operation(Graph.opNameOf(def.getVariableName()));
        if (op != null) {
          return VariableKernels.variableName(op.toNodeDef());
        }
      }
    }
    Operation op = graph.operation("global_step");
    return op != null && (op.type().equals("VariableV2") || op.type().equals("VarHandleOp")) ? VariableKernels.variableName(op.toNodeDef()) : null;
  }
}
