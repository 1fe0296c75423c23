package io.sparkpoint.spark.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.network.util.JavaUtils;

/**
 * The options of one {@code tfcheckpoint} read, parsed and checked once on the driver. Keys are
 * case-insensitive, as everywhere in Spark; see {@link CheckpointDataSource} for their meaning.
 *
 * @param paths what the user loaded: checkpoint prefixes or directories, in order
 * @param allCheckpoints a directory means every checkpoint its state file lists, not just the latest
 * @param values add the {@code values} and {@code string_values} columns
 * @param stats add the {@code min}, {@code max}, {@code mean}, {@code l2_norm} and {@code nan_count} columns
 * @param splitBytes the most tensor bytes one task reads, unless a single tensor is larger
 * @param hadoopSettings options starting with {@code fs.}, {@code dfs.} or {@code hadoop.}, set on the Hadoop configuration
 */
record SourceOptions(
    List<String> paths, boolean allCheckpoints, boolean values, boolean stats, long splitBytes, Map<String, String> hadoopSettings)
    implements Serializable {
  static final String PATH = "path";
  /** Spark's key when {@code load(p1, p2, ...)} is given several paths: a JSON array. */
  static final String PATHS = "paths";
  static final String CHECKPOINTS = "checkpoints";
  static final String VALUES = "values";
  static final String STATS = "stats";
  static final String SPLIT_BYTES = "split-bytes";
  static final long DEFAULT_SPLIT_BYTES = 64L << 20;

  SourceOptions {
    paths = List.copyOf(paths);
    hadoopSettings = Map.copyOf(hadoopSettings);
  }

  /**
   * Parses the options Spark passes to the source (the path included).
   *
   * @throws IllegalArgumentException naming the option and the values it accepts
   */
  static SourceOptions parse(Map<String, String> options) {
    Map<String, String> lower = new LinkedHashMap<>();
    Map<String, String> hadoop = new LinkedHashMap<>();
    for (Map.Entry<String, String> option : options.entrySet()) {
      String key = option.getKey().toLowerCase(Locale.ROOT);
      lower.put(key, option.getValue());
      if (key.startsWith("fs.") || key.startsWith("dfs.") || key.startsWith("hadoop.")) {
        hadoop.put(option.getKey(), option.getValue());
      }
    }
    return new SourceOptions(
        paths(lower), checkpoints(lower.getOrDefault(CHECKPOINTS, "latest")), flag(lower, VALUES), flag(lower, STATS),
        splitBytes(lower.get(SPLIT_BYTES)), hadoop);
  }

  private static List<String> paths(Map<String, String> options) {
    List<String> paths = new ArrayList<>();
    String single = options.get(PATH);
    if (single != null && !single.isEmpty()) {
      paths.add(single);
    }
    String many = options.get(PATHS);
    if (many != null && !many.isEmpty()) {
      try {
        paths.addAll(List.of(new ObjectMapper().readValue(many, String[].class)));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("Invalid option paths: " + many + "; expected a JSON array of strings", e);
      }
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot read tfcheckpoint without a path: use load(\"hdfs://.../model.ckpt-100\") with a checkpoint prefix or a directory");
    }
    return paths;
  }

  private static boolean checkpoints(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "latest" -> false;
      case "all" -> true;
      default -> throw new IllegalArgumentException("Invalid option checkpoints: " + value + "; expected latest or all");
    };
  }

  private static boolean flag(Map<String, String> options, String key) {
    String value = options.getOrDefault(key, "false");
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("Invalid option " + key + ": " + value + "; expected true or false");
    };
  }

  private static long splitBytes(String value) {
    if (value == null) {
      return DEFAULT_SPLIT_BYTES;
    }
    long bytes;
    try {
      bytes = JavaUtils.byteStringAsBytes(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid option split-bytes: " + value + "; expected a size such as 67108864, 64m or 1g", e);
    }
    if (bytes < 1) {
      throw new IllegalArgumentException("Invalid option split-bytes: " + value + "; expected at least one byte");
    }
    return bytes;
  }
}
