package io.sparkpoint.freeze;

import java.io.IOException;

/** A graph that cannot be frozen: a variable without a usable value, or a result too large for protobuf. */
public final class FreezeException extends IOException {
  public FreezeException(String message, Throwable cause) {
    super(message, cause);
  }

  static FreezeException tooLarge(String node, long bytes, long limitBytes) {
    return new FreezeException(
        "Cannot freeze the graph: with node " + node + " the frozen GraphDef would reach at least " + bytes
            + " bytes, over the limit of " + limitBytes
            + " bytes; protobuf's 2 GiB message limit makes a larger frozen graph impossible", null);
  }
}
