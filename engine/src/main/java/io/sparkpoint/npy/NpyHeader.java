package io.sparkpoint.npy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header dictionary of a {@code .npy} file, a Python literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}. The parser reads the
 * subset of Python literals NumPy writes: strings, True/False, integers (with Python 2's {@code L}
 * suffix) and tuples of integers; a list (a structured dtype) is refused.
 *
 * @param descr the array-protocol type string
 * @param fortranOrder true when elements are stored column-major
 * @param shape the dimensions; empty for a 0-d array
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {
  private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

  /**
   * Parses the header text (padding and the final newline included).
   *
   * @throws IllegalArgumentException saying what is wrong (the caller adds the file)
   */
  static NpyHeader parse(String text) {
    Map<String, Object> dict = new Parser(text).dictionary();
    if (!dict.keySet().equals(KEYS)) {
      throw new IllegalArgumentException("Invalid header: expected exactly the keys 'descr', 'fortran_order' and 'shape', got "
          + dict.keySet());
    }
    Object descr = dict.get("descr");
    if (descr instanceof List) {
      throw new IllegalArgumentException("Unsupported structured dtype (its descr is a list of fields): Sparkpoint reads plain "
          + "arrays only");
    }
    if (!(descr instanceof String type)) {
      throw new IllegalArgumentException("Invalid header: 'descr' must be a string, got " + descr);
    }
    if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
      throw new IllegalArgumentException("Invalid header: 'fortran_order' must be True or False, got " + dict.get("fortran_order"));
    }
    if (!(dict.get("shape") instanceof Tuple tuple) || !tuple.items().stream().allMatch(Long.class::isInstance)) {
      throw new IllegalArgumentException("Invalid header: 'shape' must be a tuple of integers, got " + dict.get("shape"));
    }
    return new NpyHeader(type, fortran, tuple.items().stream().mapToLong(Long.class::cast).toArray());
  }

  /** The dictionary as NumPy writes it, keys sorted, without padding: {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3,), }}. */
  String render() {
    StringBuilder text = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
        .append(fortranOrder ? "True" : "False").append(", 'shape': (");
    for (int i = 0; i < shape.length; i++) {
      text.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return text.append(shape.length == 1 ? ",), }" : "), }").toString();
  }

  /** A parsed tuple: the shape, or a field of a structured descr. */
  private record Tuple(List<Object> items) {
    @Override
    public String toString() {
      return items.toString();
    }
  }

  /** A recursive-descent reader of one Python dict literal. */
  private static final class Parser {
    private final String text;
    private int position;

    Parser(String text) {
      this.text = text;
    }

    Map<String, Object> dictionary() {
      expect('{');
      Map<String, Object> dict = new LinkedHashMap<>();
      while (peek() != '}') {
        Object key = value();
        if (!(key instanceof String name)) {
          throw error("expected a string key");
        }
        expect(':');
        if (dict.put(name, value()) != null) {
          throw error("duplicate key '" + name + "'");
        }
        if (peek() != '}') {
          expect(',');
        }
      }
      expect('}');
      if (peek() != 0) {
        throw error("unexpected text after the dictionary");
      }
      return dict;
    }

    private Object value() {
      char c = peek();
      if (c == '\'' || c == '"') {
        return string(c);
      }
      if (c == '(') {
        return tuple();
      }
      if (c == '[') {
        return list();
      }
      if (Character.isDigit(c)) {
        return integer();
      }
      if (Character.isLetter(c)) {
        int start = position;
        while (position < text.length() && Character.isLetter(text.charAt(position))) {
          position++;
        }
        String word = text.substring(start, position);
        return switch (word) {
          case "True" -> Boolean.TRUE;
          case "False" -> Boolean.FALSE;
          default -> throw error("unexpected name '" + word + "'", start);
        };
      }
      throw error(c == 0 ? "unexpected end of header" : "unexpected '" + c + "'");
    }

    private String string(char quote) {
      position++;
      StringBuilder value = new StringBuilder();
      while (position < text.length() && text.charAt(position) != quote) {
        char c = text.charAt(position++);
        if (c == '\\' && position < text.length()) {
          c = text.charAt(position++);
        }
        value.append(c);
      }
      if (position >= text.length()) {
        throw error("unterminated string");
      }
      position++;
      return value.toString();
    }

    private Tuple tuple() {
      expect('(');
      List<Object> items = new ArrayList<>();
      while (peek() != ')') {
        items.add(value());
        if (peek() != ')') {
          expect(',');
        }
      }
      expect(')');
      return new Tuple(items);
    }

    /** A list: only a structured dtype's descr has one; kept to refuse it by name. */
    private List<Object> list() {
      expect('[');
      List<Object> items = new ArrayList<>();
      while (peek() != ']') {
        items.add(value());
        if (peek() != ']') {
          expect(',');
        }
      }
      expect(']');
      return items;
    }

    private Long integer() {
      int start = position;
      while (position < text.length() && Character.isDigit(text.charAt(position))) {
        position++;
      }
      String digits = text.substring(start, position);
      if (position < text.length() && (text.charAt(position) == 'L' || text.charAt(position) == 'l')) {
        position++; // Python 2 long
      }
      if (digits.length() > 18) {
        throw error("integer " + digits + " is too large", start);
      }
      return Long.parseLong(digits);
    }

    /** The next character after whitespace, not consumed; 0 at the end. */
    private char peek() {
      while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
        position++;
      }
      return position < text.length() ? text.charAt(position) : 0;
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      position++;
    }

    private IllegalArgumentException error(String what) {
      return error(what, position);
    }

    private IllegalArgumentException error(String what, int at) {
      return new IllegalArgumentException("Invalid header: " + what + " at character " + at + " of " + quoted());
    }

    private String quoted() {
      String shown = text.strip();
      return "\"" + (shown.length() > 200 ? shown.substring(0, 200) + "..." : shown) + "\"";
    }
  }
}
