package io.sparkpoint.spark.train;

import java.lang.reflect.Method;
import java.util.List;
import org.apache.spark.sql.Row;

/** Reads one example's values for a feed from a row: an array column, an ML vector column, or numeric columns. */
final class RowValues {
  private RowValues() {}

  /**
   * Fills {@code doubles} and {@code longs} (both of the feed's width) from the row's columns
   * starting at {@code column}.
   *
   * @throws IllegalArgumentException naming the example, the column and what was expected, for a
   *     null, a non-numeric value or a wrong number of values
   */
  static void read(Row row, int column, FeedSpec feed, long example, double[] doubles, long[] longs) {
    int width = doubles.length;
    Object first = row.get(column);
    if (feed.columns().size() > 1 || first instanceof Number || width == 1 && first != null && !(first instanceof scala.collection.Seq) && !isVector(first)) {
      if (feed.columns().size() != width) {
        throw mismatch(feed, example, feed.columns().size());
      }
      for (int i = 0; i < width; i++) {
        Object value = row.get(column + i);
        set(feed, example, feed.columns().get(i), value, i, doubles, longs);
      }
      return;
    }
    Object value = row.get(column);
    String name = feed.columns().get(0);
    if (value == null) {
      throw new IllegalArgumentException("Example " + example + ": column '" + name + "' is null; it feeds " + feed.placeholder());
    }
    if (isVector(value)) {
      double[] vector = vectorValues(value);
      if (vector.length != width) {
        throw mismatch(feed, example, vector.length);
      }
      for (int i = 0; i < width; i++) {
        doubles[i] = vector[i];
        longs[i] = (long) vector[i];
      }
      return;
    }
    List<Object> list = row.getList(column);
    if (list.size() != width) {
      throw mismatch(feed, example, list.size());
    }
    for (int i = 0; i < width; i++) {
      set(feed, example, name, list.get(i), i, doubles, longs);
    }
  }

  private static void set(FeedSpec feed, long example, String column, Object value, int i, double[] doubles, long[] longs) {
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException("Example " + example + ": column '" + column + "' holds " + (value == null ? "null" : "'" + value + "'")
          + " where " + feed.placeholder() + " needs a number");
    }
    doubles[i] = number.doubleValue();
    longs[i] = number.longValue();
  }

  private static IllegalArgumentException mismatch(FeedSpec feed, long example, int got) {
    return new IllegalArgumentException("Example " + example + ": columns " + feed.columns() + " hold " + got + " values, but "
        + feed.placeholder() + " takes " + feed.width() + " per example (shape " + java.util.Arrays.toString(feed.elementShape()) + ")");
  }

  /** Spark ML's vectors ({@code org.apache.spark.ml.linalg.Vector}), recognised without depending on Spark MLlib. */
  static boolean isVector(Object value) {
    if (value == null) {
      return false;
    }
    for (Class<?> type = value.getClass(); type != null; type = type.getSuperclass()) {
      for (Class<?> face : type.getInterfaces()) {
        if (face.getName().equals("org.apache.spark.ml.linalg.Vector") || face.getName().equals("org.apache.spark.mllib.linalg.Vector")) {
          return true;
        }
      }
    }
    return false;
  }

  private static double[] vectorValues(Object vector) {
    try {
      Method toArray = vector.getClass().getMethod("toArray");
      return (double[]) toArray.invoke(vector);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("Cannot read vector " + vector + ": " + e.getMessage(), e);
    }
  }
}
