package io.sparkpoint.exec;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.OpSignatures;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.TensorShapeProto;
import io.sparkpoint.tensor.DType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one kind of run executes: the nodes the fetches and targets need (following data and
 * control inputs, stopping at fed tensors), in topological order, each with its kernel, created
 * once. Every tensor a run uses has a slot; a run fills the slots in step order. Immutable and
 * shared by concurrent runs.
 */
public final class ExecutionPlan {
  /** One node to run: where its inputs come from and where its used outputs go (-1: unused). */
  record Step(NodeDef node, Kernel kernel, int[] inputSlots, boolean[] refInputs, int[] outputSlots) {}

  /** A fed tensor: its slot, the dtype its producer makes (null when not known) and, for a Placeholder, its declared shape. */
  record Feed(int slot, DType dtype, TensorShapeProto shape) {}

  final List<Step> steps;
  final Map<String, Feed> feeds;
  final int[] fetchSlots;
  /** Slots holding a ref variable's handle; read the variable when a non-ref input or a fetch uses them. */
  final boolean[] refSlots;
  /** Slots that exactly one input of one step reads and no fetch returns: their reader may overwrite a fresh value. */
  final boolean[] soleReader;
  final int slotCount;

  private ExecutionPlan(List<Step> steps, Map<String, Feed> feeds, int[] fetchSlots, boolean[] refSlots, int slotCount) {
    this.steps = steps;
    this.feeds = feeds;
    this.fetchSlots = fetchSlots;
    this.refSlots = refSlots;
    this.slotCount = slotCount;
    this.soleReader = soleReaders(steps, fetchSlots, refSlots, slotCount);
  }

  private static boolean[] soleReaders(List<Step> steps, int[] fetchSlots, boolean[] refSlots, int slotCount) {
    int[] readers = new int[slotCount];
    for (Step step : steps) {
      for (int slot : step.inputSlots()) {
        readers[slot]++;
      }
    }
    for (int slot : fetchSlots) {
      readers[slot] += 2;
    }
    boolean[] sole = new boolean[slotCount];
    for (int slot = 0; slot < slotCount; slot++) {
      sole[slot] = readers[slot] == 1 && !refSlots[slot];
    }
    return sole;
  }

  /**
   * @param feeds tensor names ({@code op:port}, or {@code op} for port 0)
   * @param fetches tensor names
   * @param targets op names
   * @throws IllegalArgumentException in the graph's words for unknown names
   * @throws UnsupportedOpException when a needed node's op has no kernel
   * @throws KernelException naming the node when a kernel refuses its node
   */
  public static ExecutionPlan build(Graph graph, KernelRegistry kernels, Collection<String> feeds, List<String> fetches, List<String> targets) {
    Map<Output, Integer> slots = new LinkedHashMap<>();
    Map<String, Feed> feedSpecs = new LinkedHashMap<>();
    for (String name : feeds) {
      Output fed = resolve(graph, name);
      NodeDef producer = fed.op().toNodeDef();
      TensorShapeProto shape = producer.getOp().equals("Placeholder")
          ? PartialShapes.placeholderShape(producer, graph.versions().getProducer()) : null;
      int slot = slots.computeIfAbsent(fed, o -> slots.size());
      feedSpecs.put(fed.name(), new Feed(slot, OpSignatures.outputDType(producer, fed.index()), shape));
    }
    List<Output> fetched = new ArrayList<>();
    List<Operation> roots = new ArrayList<>();
    for (String name : fetches) {
      Output output = resolve(graph, name);
      fetched.add(output);
      if (!slots.containsKey(output)) {
        roots.add(output.op());
      }
    }
    for (String target : targets) {
      roots.add(graph.getOperationByName(target));
    }
    List<Operation> order = topologicalOrder(roots, slots.keySet());

    Map<Operation, int[]> inputSlots = new IdentityHashMap<>();
    for (Operation op : order) {
      List<Output> inputs = op.inputs();
      int[] in = new int[inputs.size()];
      for (int i = 0; i < in.length; i++) {
        in[i] = slots.computeIfAbsent(inputs.get(i), o -> slots.size());
      }
      inputSlots.put(op, in);
    }
    int[] fetchSlots = fetched.stream().mapToInt(o -> slots.computeIfAbsent(o, x -> slots.size())).toArray();

    boolean[] refSlots = new boolean[slots.size()];
    Map<Operation, int[]> outputSlots = new IdentityHashMap<>();
    for (Map.Entry<Output, Integer> slot : slots.entrySet()) {
      Output output = slot.getKey();
      if (feedSpecs.containsKey(output.name())) {
        continue;
      }
      int[] out = outputSlots.getOrDefault(output.op(), new int[0]);
      if (out.length <= output.index()) {
        int old = out.length;
        out = java.util.Arrays.copyOf(out, output.index() + 1);
        java.util.Arrays.fill(out, old, out.length, -1);
      }
      out[output.index()] = slot.getValue();
      outputSlots.put(output.op(), out);
      List<OpSignatures.Port> ports = OpSignatures.outputs(output.op().toNodeDef());
      refSlots[slot.getValue()] = ports != null && output.index() < ports.size() && ports.get(output.index()).ref();
    }

    List<Step> steps = new ArrayList<>(order.size());
    for (Operation op : order) {
      NodeDef node = op.toNodeDef();
      KernelFactory factory = kernels.factory(node.getOp());
      if (factory == null) {
        throw new UnsupportedOpException(node.getOp(), node.getName());
      }
      Kernel kernel;
      try {
        kernel = factory.create(node);
      } catch (RuntimeException e) {
        throw new KernelException("Node '" + node.getName() + "' (op " + node.getOp() + "): " + e.getMessage(), e);
      }
      int[] in = inputSlots.get(op);
      boolean[] refInputs = new boolean[in.length];
      List<OpSignatures.Port> ports = OpSignatures.inputs(node);
      for (int i = 0; ports != null && i < in.length && i < ports.size(); i++) {
        refInputs[i] = ports.get(i).ref();
      }
      steps.add(new Step(node, kernel, in, refInputs, outputSlots.getOrDefault(op, new int[0])));
    }
    return new ExecutionPlan(List.copyOf(steps), feedSpecs, fetchSlots, refSlots, slots.size());
  }

  /** The names of the nodes a run executes, in order. */
  public List<String> nodeNames() {
    return steps.stream().map(step -> step.node().getName()).toList();
  }

  /** {@code op} becomes {@code op:0}; {@code op:port} stays. */
  static String tensorName(String name) {
    int colon = name.lastIndexOf(':');
    if (colon > 0 && colon < name.length() - 1 && name.substring(colon + 1).chars().allMatch(Character::isDigit)) {
      return name;
    }
    return colon < 0 ? name + ":0" : name;
  }

  /** The output a tensor name names, in the graph's words when there is none. */
  private static Output resolve(Graph graph, String name) {
    String full = tensorName(name);
    Output output = graph.getTensorByName(full);
    List<OpSignatures.Port> ports = OpSignatures.outputs(output.op().toNodeDef());
    if (ports != null && output.index() >= ports.size()) {
      throw new IllegalArgumentException("The name '" + full + "' refers to a Tensor which does not exist. The operation, '"
          + output.op().name() + "', exists but only has " + ports.size() + " outputs.");
    }
    return output;
  }

  /** Depth-first post-order over data and control inputs, not entering fed tensors. */
  private static List<Operation> topologicalOrder(List<Operation> roots, Collection<Output> fed) {
    Map<Operation, Boolean> state = new HashMap<>(); // false: on the stack, true: done
    List<Operation> order = new ArrayList<>();
    for (Operation root : roots) {
      if (state.containsKey(root)) {
        continue;
      }
      Deque<Iterator<Operation>> stack = new ArrayDeque<>();
      Deque<Operation> path = new ArrayDeque<>();
      state.put(root, false);
      path.push(root);
      stack.push(predecessors(root, fed).iterator());
      while (!stack.isEmpty()) {
        Iterator<Operation> next = stack.peek();
        if (next.hasNext()) {
          Operation pred = next.next();
          Boolean seen = state.get(pred);
          if (seen == null) {
            state.put(pred, false);
            path.push(pred);
            stack.push(predecessors(pred, fed).iterator());
          } else if (!seen) {
            throw new KernelException("Graph has a cycle through node '" + pred.name() + "' (op " + pred.type()
                + "); control flow loops are not supported by Sparkpoint");
          }
        } else {
          stack.pop();
          Operation done = path.pop();
          state.put(done, true);
          order.add(done);
        }
      }
    }
    return order;
  }

  private static List<Operation> predecessors(Operation op, Collection<Output> fed) {
    List<Operation> preds = new ArrayList<>();
    for (Output input : op.inputs()) {
      if (!fed.contains(input)) {
        preds.add(input.op());
      }
    }
    for (Operation control : op.controlInputs()) {
      // as in TensorFlow, a fed Placeholder satisfies the control edges out of it; other fed ops still run
      boolean placeholder = control.type().equals("Placeholder") || control.type().equals("PlaceholderV2");
      if (!(placeholder && fed.contains(control.output(0)))) {
        preds.add(control);
      }
    }
    return preds;
  }
}
