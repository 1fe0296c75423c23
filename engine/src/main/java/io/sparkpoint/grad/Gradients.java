package io.sparkpoint.grad;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.tensor.DType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * tf.gradients: adds to the graph the nodes that compute the symbolic partial derivatives of the sum
 * of {@code ys} with respect to each of {@code xs}, under a {@code gradients} name scope, with
 * TensorFlow's gradient ops (so a graph exported with them runs in TensorFlow too).
 *
 * <p>Gradients flow backwards along data edges only, through floating-point and resource tensors.
 * StopGradient ops and the ops producing {@code stopGradients} pass nothing to their inputs. An x
 * that no y depends on through such a path gets a null gradient. Where several gradients reach one
 * tensor they are added with AddN, in a fixed order, so the same graph always gives the same bits.
 */
public final class Gradients {
  private static final Set<DType> BACKPROPAGATABLE =
      EnumSet.of(DType.HALF, DType.BFLOAT16, DType.FLOAT, DType.DOUBLE, DType.COMPLEX64, DType.COMPLEX128, DType.RESOURCE);

  private final Graph graph;
  private final GradRegistry registry;
  private final Map<Output, List<Output>> pending = new LinkedHashMap<>();
  private final Map<Output, Output> aggregated = new HashMap<>();

  private Gradients(Graph graph, GradRegistry registry) {
    this.graph = graph;
    this.registry = registry;
  }

  /** {@code gradients(ys, xs)} with ones as the initial gradients and no stop tensors. */
  public static List<Output> gradients(Graph graph, List<Output> ys, List<Output> xs) {
    return gradients(graph, ys, xs, null, List.of());
  }

  /**
   * @param gradYs the initial gradient of each y (null, or a null entry: ones shaped like y)
   * @param stopGradients tensors whose ops are treated as constants
   * @return one gradient per x, null where no y depends on it
   * @throws IllegalArgumentException naming the op when a path from an x to a y crosses an op that
   *     has no gradient ("No gradient defined for operation 'n' (op type: T)")
   */
  public static List<Output> gradients(Graph graph, List<Output> ys, List<Output> xs, List<Output> gradYs,
      Collection<Output> stopGradients) {
    return gradients(graph, GradRegistry.standard(), ys, xs, gradYs, stopGradients);
  }

  public static List<Output> gradients(Graph graph, GradRegistry registry, List<Output> ys, List<Output> xs,
      List<Output> gradYs, Collection<Output> stopGradients) {
    if (gradYs != null && gradYs.size() != ys.size()) {
      throw new IllegalArgumentException("Passed " + gradYs.size() + " grad_ys for " + ys.size() + " ys");
    }
    try (Graph.NameScope scope = graph.nameScope("gradients")) {
      return new Gradients(graph, registry).run(ys, xs, gradYs, stopGradients);
    }
  }

  private List<Output> run(List<Output> ys, List<Output> xs, List<Output> gradYs, Collection<Output> stopGradients) {
    Set<Operation> between = between(ys, xs);
    Set<Operation> stops = new HashSet<>();
    stopGradients.forEach(t -> stops.add(t.op()));
    GradNodes nodes = new GradNodes(graph);
    for (int i = 0; i < ys.size(); i++) {
      Output y = ys.get(i);
      Output seed = gradYs == null ? null : gradYs.get(i);
      add(y, seed != null ? seed : ones(nodes, y, i));
    }
    for (Operation op : reverseTopologicalOrder(ys, between)) {
      List<Output> outGrads = new ArrayList<>();
      boolean any = false;
      for (int port = 0; port < outputCount(op); port++) {
        Output grad = aggregate(nodes, op.output(port));
        outGrads.add(grad);
        any |= grad != null;
      }
      if (!any || stops.contains(op) || !needsInputGrads(op, between)) {
        continue;
      }
      GradFunction function = registry.function(op.type());
      if (function == null) {
        if (registry.isNotDifferentiable(op.type())) {
          continue;
        }
        throw new IllegalArgumentException("No gradient defined for operation '" + op.name() + "' (op type: " + op.type() + ")");
      }
      List<Output> inGrads;
      try (Graph.NameScope scope = graph.nameScope(op.name() + "_grad")) {
        inGrads = function.apply(nodes, op, outGrads);
      }
      List<Output> inputs = op.inputs();
      if (inGrads.size() != inputs.size()) {
        throw new IllegalStateException("The gradient of " + op.type() + " gave " + inGrads.size() + " gradients for "
            + inputs.size() + " inputs (node " + op.name() + ")");
      }
      for (int i = 0; i < inputs.size(); i++) {
        Output input = inputs.get(i);
        if (inGrads.get(i) != null && between.contains(input.op()) && backpropagatable(input)) {
          add(input, inGrads.get(i));
        }
      }
    }
    List<Output> result = new ArrayList<>(xs.size());
    for (Output x : xs) {
      result.add(aggregate(nodes, x));
    }
    return result;
  }

  /** Ones shaped like y: {@code Fill(Shape(y), 1)}, as TensorFlow seeds a gradient. */
  private static Output ones(GradNodes nodes, Output y, int index) {
    DType dtype = GradNodes.dtype(y);
    Output shape = nodes.shape(y);
    Output one = nodes.scalar(dtype, 1);
    return nodes.graph().opBuilder("Fill", "grad_ys_" + index).addInput(shape).addInput(one).setAttr("T", dtype)
        .setAttr("index_type", DType.INT32).build().output(0);
  }

  private void add(Output tensor, Output grad) {
    pending.computeIfAbsent(tensor, t -> new ArrayList<>()).add(grad);
  }

  /** The sum of the gradients reaching {@code tensor}, made once; null when none reached it. */
  private Output aggregate(GradNodes nodes, Output tensor) {
    Output done = aggregated.get(tensor);
    if (done != null) {
      return done;
    }
    List<Output> grads = pending.get(tensor);
    if (grads == null || grads.isEmpty()) {
      return null;
    }
    Output sum = grads.size() == 1 ? grads.get(0)
        : nodes.builder("AddN", grads.toArray(Output[]::new)).setAttr("T", GradNodes.dtype(grads.get(0)))
            .setAttr("N", grads.size()).build().output(0);
    aggregated.put(tensor, sum);
    return sum;
  }

  private static boolean backpropagatable(Output tensor) {
    DType dtype = tensor.dtype();
    return dtype != null && BACKPROPAGATABLE.contains(dtype);
  }

  private static boolean needsInputGrads(Operation op, Set<Operation> between) {
    for (Output input : op.inputs()) {
      if (between.contains(input.op()) && backpropagatable(input)) {
        return true;
      }
    }
    return false;
  }

  private static int outputCount(Operation op) {
    List<io.sparkpoint.graph.OpSignatures.Port> ports = io.sparkpoint.graph.OpSignatures.outputs(op.toNodeDef());
    return ports == null ? 1 : ports.size();
  }

  /** Ops on a data path from an x to a y (the x ops and y ops included). */
  private Set<Operation> between(List<Output> ys, List<Output> xs) {
    Map<Operation, List<Operation>> consumers = new IdentityHashMap<>();
    for (Operation op : graph.operations()) {
      for (Output input : op.inputs()) {
        consumers.computeIfAbsent(input.op(), k -> new ArrayList<>()).add(op);
      }
    }
    Set<Operation> fromXs = new HashSet<>();
    Deque<Operation> work = new ArrayDeque<>();
    xs.forEach(x -> work.push(x.op()));
    while (!work.isEmpty()) {
      Operation op = work.pop();
      if (fromXs.add(op)) {
        consumers.getOrDefault(op, List.of()).forEach(work::push);
      }
    }
    Set<Operation> between = new HashSet<>();
    ys.forEach(y -> work.push(y.op()));
    while (!work.isEmpty()) {
      Operation op = work.pop();
      if (fromXs.contains(op) && between.add(op)) {
        op.inputs().forEach(input -> work.push(input.op()));
      }
    }
    return between;
  }

  /** The ops between, each after every one of its consumers (depth-first post-order, reversed). */
  private static List<Operation> reverseTopologicalOrder(List<Output> ys, Set<Operation> between) {
    List<Operation> order = new ArrayList<>();
    Set<Operation> done = new HashSet<>();
    for (Output y : ys) {
      if (!between.contains(y.op()) || done.contains(y.op())) {
        continue;
      }
      Deque<Operation> path = new ArrayDeque<>();
      Deque<java.util.Iterator<Output>> inputs = new ArrayDeque<>();
      done.add(y.op());
      path.push(y.op());
      inputs.push(y.op().inputs().iterator());
      while (!path.isEmpty()) {
        if (inputs.peek().hasNext()) {
          Operation next = inputs.peek().next().op();
          if (between.contains(next) && done.add(next)) {
            path.push(next);
            inputs.push(next.inputs().iterator());
          }
        } else {
          inputs.pop();
          order.add(path.pop());
        }
      }
    }
    java.util.Collections.reverse(order);
    return order;
  }
}
