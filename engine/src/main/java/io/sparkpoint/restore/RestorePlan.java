package io.sparkpoint.restore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Which source tensor each target variable takes, computed from names, dtypes and shapes alone:
 * no file is read or written (Iceberg's {@code apply()}). Every target variable gets one {@link
 * Step}; a source key may feed several targets.
 *
 * <p>A target T takes the source key the first {@code --map} entry that produces T names; without
 * one, the source key T itself. It is then {@link Outcome#MATCHED} (same name), {@link
 * Outcome#RENAMED} (another name), {@link Outcome#MISSING} (no source key), {@link
 * Outcome#EXCLUDED} (filtered out) or {@link Outcome#MISMATCHED} (dtype differs, or shape differs
 * and {@code --reshape} does not cover it). Missing, excluded and mismatched targets keep their own
 * value. The TF2 object graph ({@value #OBJECT_GRAPH_KEY}) describes the target's own objects, so
 * it is always kept. Immutable.
 */
public final class RestorePlan {
  /** The TF2 object-graph key: a checkpoint's description of itself, never taken from another. */
  public static final String OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH";

  /** What happens to one target variable. */
  public enum Outcome {
    MATCHED,
    RENAMED,
    MISSING,
    EXCLUDED,
    MISMATCHED
  }

  /**
   * One target variable and where its value comes from.
   *
   * @param source the source key, or null for missing and excluded targets
   * @param sourceSpec the source's dtype and shape, or null with {@code source}
   */
  public record Step(String target, TensorSpec targetSpec, Outcome outcome, String source, TensorSpec sourceSpec) {
    /** Whether the target takes the source's value. */
    public boolean restores() {
      return outcome == Outcome.MATCHED || outcome == Outcome.RENAMED;
    }

    /** Whether the source's elements arrive in another shape ({@code --reshape}). */
    public boolean reshaped() {
      return restores() && !sourceSpec.shape().equals(targetSpec.shape());
    }

    /** {@code new/w float32 [3,4] <- old/w int64 [4,3]}, dtypes shown only when they differ. */
    String arrow() {
      boolean dtypes = targetSpec.dtype() != sourceSpec.dtype();
      return target + " " + (dtypes ? targetSpec.toString() : targetSpec.shape().toString()) + " <- " + source + " "
          + (dtypes ? sourceSpec.toString() : sourceSpec.shape().toString());
    }
  }

  private final List<Step> steps;
  private final List<String> unusedSources;
  private final List<String> unusedRenames;
  private final List<String> warnings;
  private final boolean skipMismatched;

  private RestorePlan(List<Step> steps, List<String> unusedSources, List<String> unusedRenames, List<String> warnings, boolean skipMismatched) {
    this.steps = List.copyOf(steps);
    this.unusedSources = List.copyOf(unusedSources);
    this.unusedRenames = List.copyOf(unusedRenames);
    this.warnings = List.copyOf(warnings);
    this.skipMismatched = skipMismatched;
  }

  /**
   * @param sources the checkpoint to take values from, by name
   * @param targets the variables to fill, by name; the plan lists them in this order
   * @throws IllegalArgumentException when one {@code --map} entry maps two source keys to the same target
   */
  public static RestorePlan compute(SortedMap<String, TensorSpec> sources, SortedMap<String, TensorSpec> targets, RestoreOptions options) {
    Map<String, String> claimed = new LinkedHashMap<>(); // target -> source, first entry wins
    List<String> unusedRenames = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (RenameRule rule : options.renames()) {
      Map<String, String> produced = new LinkedHashMap<>();
      boolean matchedSource = false;
      for (String source : sources.keySet()) {
        String target = rule.targetOf(source);
        if (target == null) {
          continue;
        }
        matchedSource = true;
        String earlier = targets.containsKey(target) ? produced.putIfAbsent(target, source) : null;
        if (earlier != null) {
          throw new IllegalArgumentException("Invalid --map '" + rule + "': source keys " + earlier + " and " + source
              + " both map to target " + target + "; make the entry match one of them");
        }
      }
      boolean feeds = false;
      for (Map.Entry<String, String> pair : produced.entrySet()) {
        feeds |= claimed.putIfAbsent(pair.getKey(), pair.getValue()) == null;
      }
      if (!feeds) {
        unusedRenames.add(rule.toString());
        warnings.add("--map '" + rule + "' " + (!matchedSource ? "matches no source key"
            : produced.isEmpty() ? "names no target variable" : "feeds nothing: earlier --map entries claim its targets"));
      }
    }
    List<Step> steps = new ArrayList<>();
    Set<String> used = new HashSet<>();
    used.add(OBJECT_GRAPH_KEY);
    for (Map.Entry<String, TensorSpec> target : targets.entrySet()) {
      String name = target.getKey();
      String source = claimed.getOrDefault(name, sources.containsKey(name) ? name : null);
      if (!options.selects(name) || name.equals(OBJECT_GRAPH_KEY)) {
        steps.add(new Step(name, target.getValue(), Outcome.EXCLUDED, null, null));
      } else if (source == null) {
        steps.add(new Step(name, target.getValue(), Outcome.MISSING, null, null));
      } else {
        TensorSpec sourceSpec = sources.get(source);
        used.add(source);
        Outcome outcome = !fits(sourceSpec, target.getValue(), options) ? Outcome.MISMATCHED
            : source.equals(name) ? Outcome.MATCHED : Outcome.RENAMED;
        steps.add(new Step(name, target.getValue(), outcome, source, sourceSpec));
      }
    }
    List<String> unusedSources = sources.keySet().stream().filter(s -> !used.contains(s)).toList();
    return new RestorePlan(steps, unusedSources, unusedRenames, warnings, options.skipMismatched());
  }

  private static boolean fits(TensorSpec source, TensorSpec target, RestoreOptions options) {
    if (source.dtype() != target.dtype()) {
      return false;
    }
    return source.shape().equals(target.shape()) || (options.reshape() && source.shape().numElements() == target.shape().numElements());
  }

  /** One step per target variable, in the target's order. */
  public List<Step> steps() {
    return steps;
  }

  /** The target names with this outcome. */
  public List<String> targets(Outcome outcome) {
    return steps.stream().filter(s -> s.outcome() == outcome).map(Step::target).toList();
  }

  /** Renamed targets and their sources, target first. */
  public Map<String, String> renamed() {
    Map<String, String> renamed = new LinkedHashMap<>();
    steps.stream().filter(s -> s.outcome() == Outcome.RENAMED).forEach(s -> renamed.put(s.target(), s.source()));
    return renamed;
  }

  /** Restored targets whose source has another shape. */
  public List<String> reshaped() {
    return steps.stream().filter(Step::reshaped).map(Step::target).toList();
  }

  /** Mismatched targets that keep their value because of {@code --skip-mismatched}; empty without it. */
  public List<String> skipped() {
    return skipMismatched ? targets(Outcome.MISMATCHED) : List.of();
  }

  /** Source keys no target asked for (a mismatched target's source counts as asked for). */
  public List<String> unusedSources() {
    return unusedSources;
  }

  /** The {@code --map} entries that feed no target. */
  public List<String> unusedRenames() {
    return unusedRenames;
  }

  /** Why each unused {@code --map} entry feeds nothing; likely typos. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * Why this plan cannot be carried out (mismatches without {@code --skip-mismatched}), in one line
   * naming every mismatched pair and both checkpoints; null when it can.
   */
  public String problem(String sourcePrefix, String targetPrefix) {
    List<Step> blocking = skipMismatched ? List.of() : steps.stream().filter(s -> s.outcome() == Outcome.MISMATCHED).toList();
    if (blocking.isEmpty()) {
      return null;
    }
    List<String> pairs = new ArrayList<>();
    boolean reshapeWouldHelp = false;
    for (Step step : blocking) {
      boolean dtypes = step.targetSpec().dtype() != step.sourceSpec().dtype();
      reshapeWouldHelp |= !dtypes && step.targetSpec().shape().numElements() == step.sourceSpec().shape().numElements();
      pairs.add(step.arrow() + (dtypes ? " (dtypes differ)" : " (shapes differ)"));
    }
    String hint = reshapeWouldHelp
        ? "pass --reshape to accept the same number of elements in another shape, or --skip-mismatched to keep the target's values"
        : "pass --skip-mismatched to keep the target's values";
    return "Cannot restore " + (blocking.size() == 1 ? "1 variable" : blocking.size() + " variables") + " of " + targetPrefix + " from "
        + sourcePrefix + ": " + String.join("; ", pairs) + "; " + hint;
  }

  /**
   * The plan as the dry run prints it, one line per target then one per unused source key:
   * {@code matched  a/b}, {@code renamed  new/x <- old/x}, {@code reshape  w [3,4] <- w [4,3]},
   * {@code missing  c}, {@code excluded d}, {@code mismatch new/w [3,4] <- old/w [4,3]} (with
   * {@code (skipped)} under {@code --skip-mismatched}), {@code unused   old/z}.
   */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (Step step : steps) {
      lines.add(switch (step.outcome()) {
        case MATCHED, RENAMED -> step.reshaped() ? "reshape  " + step.arrow()
            : step.outcome() == Outcome.MATCHED ? "matched  " + step.target() : "renamed  " + step.target() + " <- " + step.source();
        case MISSING -> "missing  " + step.target();
        case EXCLUDED -> "excluded " + step.target();
        case MISMATCHED -> "mismatch " + step.arrow() + (skipMismatched ? " (skipped)" : "");
      });
    }
    unusedSources.forEach(source -> lines.add("unused   " + source));
    return lines;
  }
}
