package io.sparkpoint.commit;

import java.util.Locale;

/**
 * The small JSON file written next to a committed checkpoint ({@code PREFIX.manifest.json}) as its
 * last file: a scheduler's sensor waits on it, and it records what the checkpoint holds.
 *
 * @param wallTime seconds since the epoch when the checkpoint was committed
 * @param loss the training loss at that step, or NaN when unknown
 * @param appId the application that wrote it (Spark's application id), or null
 */
public record CheckpointManifest(String checkpoint, long step, double wallTime, double loss, String appId, int shards, long bytes, int tensors) {
  /** What follows a checkpoint prefix and a dot in its manifest's name. */
  public static final String SUFFIX = "manifest.json";

  /** The manifest's location for a checkpoint prefix. */
  public static String location(String prefix) {
    return prefix + "." + SUFFIX;
  }

  /** One line of JSON. */
  public String toJson() {
    return String.format(Locale.ROOT,
        "{\"checkpoint\": %s, \"step\": %d, \"wall_time\": %.3f, \"loss\": %s, \"app_id\": %s, \"shards\": %d, \"bytes\": %d, \"tensors\": %d}",
        quote(checkpoint), step, wallTime, Double.isFinite(loss) ? Double.toString(loss) : "null", appId == null ? "null" : quote(appId), shards,
        bytes, tensors);
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
