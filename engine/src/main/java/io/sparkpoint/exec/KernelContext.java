package io.sparkpoint.exec;

import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.Tensor;
import java.util.List;

/**
 * What a kernel sees when it runs: its node, its input values, and the session's variables (for
 * the variable ops).
 */
public interface KernelContext {
  NodeDef node();

  List<Tensor> inputs();

  default Tensor input(int index) {
    return inputs().get(index);
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
}
