package io.sparkpoint.spark.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Renders maps, lists, strings, numbers and booleans as compact JSON. */
final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  private static void append(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String text) {
      quote(out, text);
    } else if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      quote(out, d.toString()); // JSON has no NaN or Infinity
    } else if (value instanceof Float f && (f.isNaN() || f.isInfinite())) {
      quote(out, f.toString());
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<?, ?> entry = entries.next();
        quote(out, String.valueOf(entry.getKey()));
        out.append(": ");
        append(out, entry.getValue());
        if (entries.hasNext()) {
          out.append(", ");
        }
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ", ");
        append(out, list.get(i));
      }
      out.append(']');
    } else if (value instanceof long[] longs) {
      out.append('[');
      for (int i = 0; i < longs.length; i++) {
        out.append(i == 0 ? "" : ", ").append(longs[i]);
      }
      out.append(']');
    } else {
      quote(out, value.toString());
    }
  }

  private static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
