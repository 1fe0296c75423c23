package io.sparkpoint.exec;

import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a kernel sees when it runs: its node, its input values, the session's variables (for the
 * variable ops) and the node's own state in the session (for stateful ops).
 */
public interface KernelContext {
  NodeDef node();

  List<Tensor> inputs();

  default Tensor input(int index) {
    return inputs().get(index);
  }

  /**
   * Whether this kernel may overwrite input {@code index} in place and return it as an output
   * (as TensorFlow's kernels forward an input buffer): true only when the executor knows that the
   * value was {@linkplain #fresh made afresh} by its producer, that this node is its only reader
   * in the run, and that it is not fetched. The default, for contexts outside an executor, is false.
   */
  default boolean mayOverwrite(int index) {
    return false;
  }

  /**
   * Declares an output that this kernel made afresh, in memory no other tensor shares (or an input
   * it was allowed to {@linkplain #mayOverwrite overwrite}), so that its one reader may overwrite it
   * in turn. Kernels that return an input, a Const's value, a variable's value, or a view of any of
   * them must not call this. Returns {@code output}.
   */
  default Tensor fresh(Tensor output) {
    return output;
  }

  /** The session's variables; only variable and checkpoint ops use them. */
  VariableStore variables();

  /**
   * A service the session was given with {@link Session#withService} (the checkpoint ops take
   * their {@code io.sparkpoint.fs.FileIO} from here), or null: the executor knows no services.
   */
  default <T> T service(Class<T> type) {
    return null;
  }

  /**
   * The state this node keeps across runs of one Session, as TensorFlow's stateful kernels do (a
   * random op's generator): made by {@code initial} the first time the node runs in the session, then
   * the same object in every later run, whichever plan (feeds, fetches, targets) runs the node; a new
   * Session starts afresh. The state is made once even when runs race, so it must be thread-safe.
   *
   * <p>A context outside a Session (a unit-test runner) may make a new state on every call, as if
   * each run were in a new session; that is what this default does.
   *
   * @throws ClassCastException when the node's state is not a {@code type}
   */
  default <S> S nodeState(Class<S> type, Supplier<? extends S> initial) {
    return type.cast(initial.get());
  }
}
