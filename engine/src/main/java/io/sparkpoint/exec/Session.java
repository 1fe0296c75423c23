package io.sparkpoint.exec;

import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a graph as TensorFlow 1's {@code tf.Session} does: {@link #run} computes the fetched
 * tensors from the feeds, running only the nodes they and the targets need (data and control
 * inputs, never past a fed tensor), in topological order. Each kind of run (its feed names,
 * fetches and targets) is planned once and its kernels created once.
 *
 * <p><b>Threads.</b> One Session may run from several threads at once:
 * <ul>
 *   <li>Runs that do not assign variables are safe to run concurrently: a run's intermediate
 *       tensors are local to the call, plans are cached in a concurrent map, and kernels are shared
 *       and must be stateless (see {@link Kernel}).
 *   <li>Runs that assign (Assign, AssignVariableOp, initializers, restores) are safe in the sense
 *       that each assignment replaces a variable's whole, immutable value: a concurrent reader sees
 *       the old or the new value, never a torn one. But there is no isolation between runs: a run
 *       that reads two variables while another run assigns both may see one old and one new value,
 *       and two runs assigning the same variable race (the last one wins), whatever
 *       {@code use_locking} says. Serialize such runs yourself, as you would in TensorFlow. The
 *       Apply ops overwrite an optimizer slot in place when no one has read its value (see
 *       {@link VariableStore#claimForOverwrite}); a read meanwhile waits for the new value.
 *   <li>The graph must not change while runs are in flight ({@link Graph} is not thread-safe while
 *       being built). Adding nodes between runs is fine: cached plans stay valid.
 * </ul>
 */
public final class Session {
  private final Graph graph;
  private final KernelRegistry kernels;
  private final VariableStore variables;
  private final Map<PlanKey, ExecutionPlan> plans = new ConcurrentHashMap<>();
  private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
  /**
   * Stateful nodes' state, by node name ({@link KernelContext#nodeState}): kept here rather than in the
   * kernels because every plan holding a node has a kernel of its own, while TF shares one kernel
   * per node and session.
   */
  private final Map<String, Object> nodeStates = new ConcurrentHashMap<>();

  /** A session with every kernel on the classpath and its own in-memory variables. */
  public Session(Graph graph) {
    this(graph, KernelRegistry.fromServiceLoader());
  }

  public Session(Graph graph, KernelRegistry kernels) {
    this(graph, kernels, new InMemoryVariableStore());
  }

  public Session(Graph graph, KernelRegistry kernels, VariableStore variables) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.kernels = Objects.requireNonNull(kernels, "kernels");
    this.variables = Objects.requireNonNull(variables, "variables");
  }

  /**
   * Runs the graph.
   *
   * @param feeds values for tensors, by name ({@code op:port}, or {@code op} for port 0); any
   *     tensor may be fed, and its producer is then not run for it
   * @param fetches tensor names to compute
   * @param targets op names to run for their effects
   * @return the fetched tensors, in the order of {@code fetches}
   * @throws IllegalArgumentException for an unknown tensor or op name (in the graph's words), or a
   *     fed value whose dtype or shape does not fit its tensor
   * @throws UnsupportedOpException when a needed node's op has no kernel
   * @throws KernelException when a node fails, naming the node, its op and its input shapes
   */
  public List<Tensor> run(Map<String, Tensor> feeds, List<String> fetches, List<String> targets) {
    ExecutionPlan plan = plan(feeds.keySet(), fetches, targets);
    return Executor.run(plan, feeds, variables, services, nodeStates);
  }

  /** Runs with no targets. */
  public List<Tensor> run(Map<String, Tensor> feeds, List<String> fetches) {
    return run(feeds, fetches, List.of());
  }

  /** Computes one tensor with no feeds. */
  public Tensor fetch(String tensorName) {
    return run(Map.of(), List.of(tensorName), List.of()).get(0);
  }

  /** Runs ops for their effects, with no feeds. */
  public void runTargets(String... targets) {
    run(Map.of(), List.of(), List.of(targets));
  }

  /**
   * The plan a run with these names executes (cached).
   *
   * @throws IllegalArgumentException when two feed names name the same tensor
   */
  public ExecutionPlan plan(java.util.Collection<String> feeds, List<String> fetches, List<String> targets) {
    TreeSet<String> feedNames = new TreeSet<>();
    for (String feed : feeds) {
      if (!feedNames.add(ExecutionPlan.tensorName(feed))) {
        throw new IllegalArgumentException("Tensor " + ExecutionPlan.tensorName(feed) + " is fed twice");
      }
    }
    PlanKey key = new PlanKey(List.copyOf(feedNames), fetches.stream().map(ExecutionPlan::tensorName).toList(), List.copyOf(targets));
    ExecutionPlan plan = plans.get(key);
    if (plan == null) {
      plan = ExecutionPlan.build(graph, kernels, key.feeds(), key.fetches(), key.targets());
      ExecutionPlan raced = plans.putIfAbsent(key, plan);
      plan = raced != null ? raced : plan;
    }
    return plan;
  }

  /**
   * {@code sess.run(tf.global_variables_initializer())}: runs the initializer op of every
   * VariableDef in the graph's {@code variables} collection. Does nothing when there is none.
   */
  public void initializeGlobalVariables() {
    List<String> initializers = Variables.initializerNames(graph);
    if (!initializers.isEmpty()) {
      run(Map.of(), List.of(), initializers);
    }
  }

  /**
   * Gives kernels a service, for example the {@code io.sparkpoint.fs.FileIO} the checkpoint ops
   * read and write through (without one they use the Hadoop FileSystem API with default settings).
   * Set services before the first run.
   *
   * @return this session
   */
  public <T> Session withService(Class<T> type, T service) {
    services.put(type, type.cast(Objects.requireNonNull(service, "service")));
    return this;
  }

  /** The service of this type, or null. */
  public <T> T service(Class<T> type) {
    return type.cast(services.get(type));
  }

  public Graph graph() {
    return graph;
  }

  public KernelRegistry kernels() {
    return kernels;
  }

  public VariableStore variables() {
    return variables;
  }

  private record PlanKey(List<String> feeds, List<String> fetches, List<String> targets) {}
}
