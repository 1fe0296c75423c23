package io.sparkpoint.checkpoint;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import java.math.BigDecimal;
import java.util.ArrayList;

/** Reads and writes the protobuf text format of a state file, as TensorFlow does. */
public final class CheckpointStateParser {
  private CheckpointStateParser() {}

  /**
   * @throws TextFormat.ParseException with line and column when the text is not a CheckpointState
   */
  public static CheckpointState parse(String text) throws TextFormat.ParseException {
    io.sparkpoint.proto.CheckpointState.Builder proto = io.sparkpoint.proto.CheckpointState.newBuilder();
    TextFormat.merge(text, proto);
    return new CheckpointState(
        proto.getModelCheckpointPath(),
        new ArrayList<>(proto.getAllModelCheckpointPathsList()),
        new ArrayList<>(proto.getAllModelCheckpointTimestampsList()),
        proto.getLastPreservedTimestamp());
  }

  /** Fields in number order, defaults omitted, doubles in plain decimal as Python prints them. */
  public static String toText(CheckpointState state) {
    StringBuilder text = new StringBuilder();
    if (!state.modelCheckpointPath().isEmpty()) {
      text.append("model_checkpoint_path: ").append(quote(state.modelCheckpointPath())).append('\n');
    }
    for (String path : state.allModelCheckpointPaths()) {
      text.append("all_model_checkpoint_paths: ").append(quote(path)).append('\n');
    }
    for (double timestamp : state.allModelCheckpointTimestamps()) {
      text.append("all_model_checkpoint_timestamps: ").append(number(timestamp)).append('\n');
    }
    if (state.lastPreservedTimestamp() != 0) {
      text.append("last_preserved_timestamp: ").append(number(state.lastPreservedTimestamp())).append('\n');
    }
    return text.toString();
  }

  private static String quote(String value) {
    return '"' + TextFormat.escapeBytes(ByteString.copyFromUtf8(value)) + '"';
  }

  private static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
    }
    String plain = new BigDecimal(Double.toString(value)).toPlainString();
    return plain.contains(".") ? plain : plain + ".0";
  }
}
