package io.sparkpoint.graph;

import java.util.regex.Pattern;

/** TensorFlow's rules for op names, scope names and tensor names. */
final class GraphNames {
  /** An op name: starts with a letter, digit or dot; then also _ - / and >. */
  private static final Pattern OP_NAME = Pattern.compile("[A-Za-z0-9.][A-Za-z0-9_.\\-/>]*");
  /** A name scope may also start with _ - / or >. */
  private static final Pattern SCOPE_NAME = Pattern.compile("[A-Za-z0-9_.\\-/>]*");

  private GraphNames() {}

  static void checkOpName(String name) {
    if (!OP_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a valid node name: names start with a letter, digit or '.', then use letters, digits and . _ - / >");
    }
  }

  static void checkScopeName(String name) {
    if (!SCOPE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a valid scope name");
    }
  }

  /** A parsed tensor reference: {@code op}, {@code op:port} or {@code ^op}. */
  record Reference(String op, int port, boolean control) {
    static Reference parse(String input) {
      if (input.startsWith("^")) {
        return new Reference(input.substring(1), -1, true);
      }
      int colon = input.lastIndexOf(':');
      if (colon > 0) {
        String port = input.substring(colon + 1);
        if (!port.isEmpty() && port.chars().allMatch(Character::isDigit) && port.length() < 10) {
          return new Reference(input.substring(0, colon), Integer.parseInt(port), false);
        }
      }
      return new Reference(input, 0, false);
    }
  }
}
