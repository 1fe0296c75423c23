package io.sparkpoint.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a partial restore takes and how: {@code --include} and {@code --exclude} regexes over target
 * variable names, {@code --map} entries ({@link RenameRule}), and whether another shape of the same
 * size ({@code --reshape}) or a mismatch ({@code --skip-mismatched}) is accepted. Immutable: each
 * {@code with}/{@code allowing}/{@code skipping} call returns a new value.
 *
 * <p>Filters are searched anywhere in the name, like grep ({@code --exclude /Adam} drops every Adam
 * slot; anchor with {@code ^} and {@code $}). A variable is selected when it matches some include
 * (or there are none) and no exclude: an exclude wins.
 */
public final class RestoreOptions {
  private static final RestoreOptions DEFAULTS = new RestoreOptions(List.of(), List.of(), List.of(), false, false);

  private final List<Pattern> includes;
  private final List<Pattern> excludes;
  private final List<RenameRule> renames;
  private final boolean reshape;
  private final boolean skipMismatched;

  private RestoreOptions(List<Pattern> includes, List<Pattern> excludes, List<RenameRule> renames, boolean reshape, boolean skipMismatched) {
    this.includes = includes;
    this.excludes = excludes;
    this.renames = renames;
    this.reshape = reshape;
    this.skipMismatched = skipMismatched;
  }

  /** Every variable, same names, exact shapes. */
  public static RestoreOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Options from command-line flags: includes, excludes and map entries in order.
   *
   * @param flagPrefix put before the flag names in messages ({@code ""} for {@code --include},
   *     {@code "init-"} for {@code --init-include})
   * @throws IllegalArgumentException naming the flag and the value when a regex or a map entry is invalid
   */
  public static RestoreOptions fromFlags(String flagPrefix, List<String> includes, List<String> excludes, List<String> maps, boolean reshape,
      boolean skipMismatched) {
    RestoreOptions options = defaults();
    try {
      for (String regex : includes) {
        options = options.withInclude(regex);
      }
      for (String regex : excludes) {
        options = options.withExclude(regex);
      }
      for (String entry : maps) {
        options = options.withMap(entry);
      }
    } catch (IllegalArgumentException e) {
      String message = flagPrefix.isEmpty() ? e.getMessage()
          : e.getMessage().replace("--include", "--" + flagPrefix + "include").replace("--exclude", "--" + flagPrefix + "exclude")
              .replace("--map", "--" + flagPrefix + "map");
      throw new IllegalArgumentException(message, e);
    }
    options = reshape ? options.allowingReshape() : options;
    return skipMismatched ? options.skippingMismatched() : options;
  }

  /** @throws IllegalArgumentException naming {@code --include} and the pattern when it does not compile */
  public RestoreOptions withInclude(String regex) {
    return new RestoreOptions(append(includes, compile("--include", regex)), excludes, renames, reshape, skipMismatched);
  }

  /** @throws IllegalArgumentException naming {@code --exclude} and the pattern when it does not compile */
  public RestoreOptions withExclude(String regex) {
    return new RestoreOptions(includes, append(excludes, compile("--exclude", regex)), renames, reshape, skipMismatched);
  }

  /** Adds a {@code SOURCE=TARGET} entry after the others; the first entry to feed a target wins. */
  public RestoreOptions withMap(String spec) {
    return new RestoreOptions(includes, excludes, append(renames, RenameRule.parse(spec)), reshape, skipMismatched);
  }

  /** Accepts a source of another shape with the same number of elements, as {@code Saver(reshape=True)}. */
  public RestoreOptions allowingReshape() {
    return new RestoreOptions(includes, excludes, renames, true, skipMismatched);
  }

  /** Keeps the target's value, and reports it, where dtype or shape differ, instead of failing. */
  public RestoreOptions skippingMismatched() {
    return new RestoreOptions(includes, excludes, renames, reshape, true);
  }

  /** Whether the target variable {@code name} passes the include and exclude filters. */
  public boolean selects(String name) {
    if (excludes.stream().anyMatch(p -> p.matcher(name).find())) {
      return false;
    }
    return includes.isEmpty() || includes.stream().anyMatch(p -> p.matcher(name).find());
  }

  public List<RenameRule> renames() {
    return renames;
  }

  public boolean reshape() {
    return reshape;
  }

  public boolean skipMismatched() {
    return skipMismatched;
  }

  private static Pattern compile(String flag, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("Invalid " + flag + " '" + regex + "': " + e.getDescription() + " near index " + e.getIndex());
    }
  }

  private static <T> List<T> append(List<T> list, T item) {
    List<T> copy = new ArrayList<>(list);
    copy.add(item);
    return List.copyOf(copy);
  }
}
