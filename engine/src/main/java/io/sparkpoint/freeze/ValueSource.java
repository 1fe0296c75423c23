package io.sparkpoint.freeze;

import io.sparkpoint.tensor.Tensor;
import java.io.IOException;

/** Where frozen variables get their values: a checkpoint today, a live session later. */
public interface ValueSource {
  /**
   * The value of one variable, read when asked (callers read one variable at a time).
   *
   * @throws io.sparkpoint.bundle.KeyNotFoundException when the source has no such variable
   */
  Tensor value(String variableName) throws IOException;

  /**
   * How many bytes the value occupies, if known without reading it (0 when unknown). Lets a
   * caller refuse an impossible result before reading a large value.
   *
   * @throws io.sparkpoint.bundle.KeyNotFoundException when the source has no such variable
   */
  default long byteSizeHint(String variableName) throws IOException {
    return 0;
  }
}
