package io.sparkpoint.restore;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code --map SOURCE=TARGET} entry: the checkpoint key SOURCE feeds the variable TARGET, in the
 * direction of TensorFlow's {@code init_from_checkpoint(assignment_map={'old/': 'new/'})} and
 * {@code Saver(var_list={checkpoint_name: variable})}.
 *
 * <p>SOURCE is an exact name unless it holds a regex metacharacter ({@code ^ $ * + ? ( ) [ ] { } |
 * \}); then it is a regex that must match the whole source key, and TARGET is its replacement with
 * {@code $1}-style group references: {@code ^old/(.*)$=new/$1} makes {@code old/x} feed {@code
 * new/x}. A dot alone does not make a regex, since TensorFlow names contain dots. The entry splits
 * at its last {@code =}: variable names never hold one. Immutable.
 */
public final class RenameRule {
  private static final String REGEX_CHARACTERS = "^$*+?()[]{}|\\";

  private final String spec;
  private final String source;
  private final String target;
  /** Null for an exact name. */
  private final Pattern pattern;

  private RenameRule(String spec, String source, String target, Pattern pattern) {
    this.spec = spec;
    this.source = source;
    this.target = target;
    this.pattern = pattern;
  }

  /**
   * @throws IllegalArgumentException naming the flag and the entry when it is not {@code SOURCE=TARGET},
   *     the regex does not compile, or the replacement refers to a group the regex lacks
   */
  public static RenameRule parse(String spec) {
    int split = spec.lastIndexOf('=');
    if (split <= 0 || split == spec.length() - 1) {
      throw invalid(spec, "expected SOURCE=TARGET, e.g. 'old/w=new/w' or '^old/(.*)$=new/$1'");
    }
    String source = spec.substring(0, split);
    String target = spec.substring(split + 1);
    if (source.chars().noneMatch(c -> REGEX_CHARACTERS.indexOf(c) >= 0)) {
      return new RenameRule(spec, source, target, null);
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(source);
    } catch (PatternSyntaxException e) {
      throw invalid(spec, e.getDescription() + " near index " + e.getIndex() + " of " + source);
    }
    checkGroupReferences(spec, target, pattern.matcher("").groupCount());
    return new RenameRule(spec, source, target, pattern);
  }

  /** The target variable {@code sourceKey} feeds through this entry, or null when the entry does not match it. */
  public String targetOf(String sourceKey) {
    if (pattern == null) {
      return source.equals(sourceKey) ? target : null;
    }
    Matcher matcher = pattern.matcher(sourceKey);
    if (!matcher.matches()) {
      return null;
    }
    StringBuilder result = new StringBuilder();
    try {
      matcher.appendReplacement(result, target);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw invalid(spec, e.getMessage());
    }
    return result.toString();
  }

  public boolean isRegex() {
    return pattern != null;
  }

  /** The entry as given: {@code SOURCE=TARGET}. */
  @Override
  public String toString() {
    return spec;
  }

  /** Numbered references ($1) must name a group of the regex; named ones (${name}) are checked when used. */
  private static void checkGroupReferences(String spec, String replacement, int groups) {
    for (int i = 0; i < replacement.length(); i++) {
      char c = replacement.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '$') {
        char next = i + 1 < replacement.length() ? replacement.charAt(i + 1) : ' ';
        if (next == '{') {
          continue;
        }
        if (!Character.isDigit(next)) {
          throw invalid(spec, "'$' in the target must start a group reference ($1, ${name}); write \\$ for a dollar sign");
        }
        if (next - '0' > groups) {
          throw invalid(spec, "the target refers to group $" + next + " but the regex has " + groups + (groups == 1 ? " group" : " groups"));
        }
      }
    }
  }

  private static IllegalArgumentException invalid(String spec, String reason) {
    return new IllegalArgumentException("Invalid --map '" + spec + "': " + reason);
  }
}
