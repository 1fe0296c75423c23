package io.sparkpoint.spark.source;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.IsNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.sources.Not;
import org.apache.spark.sql.sources.Or;
import org.apache.spark.sql.sources.StringStartsWith;

/**
 * The pushed-down filters on {@code checkpoint}, {@code step} and {@code name}, used to skip whole
 * checkpoints on the driver and tensors before their bytes are read. They only prune: Spark still
 * applies every filter to the rows, so a filter may accept more than it should (it treats SQL's
 * null as false, which never rejects a row SQL keeps), never less.
 */
final class ScanFilter implements Serializable {
  private static final Set<String> COLUMNS = Set.of("checkpoint", "step", "name");

  private final List<Filter> filters;

  private ScanFilter(List<Filter> filters) {
    this.filters = List.copyOf(filters);
  }

  static ScanFilter none() {
    return new ScanFilter(List.of());
  }

  /** The filters among {@code candidates} this class can evaluate, and the filter made of them. */
  static ScanFilter of(Filter[] candidates) {
    List<Filter> usable = new ArrayList<>();
    for (Filter filter : candidates) {
      if (supported(filter)) {
        usable.add(filter);
      }
    }
    return new ScanFilter(usable);
  }

  Filter[] filters() {
    return filters.toArray(new Filter[0]);
  }

  /** False when no tensor of this checkpoint can pass; filters that mention {@code name} are not consulted. */
  boolean acceptsCheckpoint(String checkpoint, Long step) {
    for (Filter filter : filters) {
      if (!List.of(filter.references()).contains("name") && !holds(filter, checkpoint, step, null)) {
        return false;
      }
    }
    return true;
  }

  /** False when the tensor cannot pass. */
  boolean accepts(String checkpoint, Long step, String name) {
    for (Filter filter : filters) {
      if (!holds(filter, checkpoint, step, name)) {
        return false;
      }
    }
    return true;
  }

  private static boolean supported(Filter filter) {
    if (filter instanceof And and) {
      return supported(and.left()) && supported(and.right());
    } else if (filter instanceof Or or) {
      return supported(or.left()) && supported(or.right());
    } else if (filter instanceof Not not) {
      return supported(not.child());
    } else if (filter instanceof In in) {
      return Stream.of(in.values()).allMatch(value -> comparable(in.attribute(), value));
    } else if (filter instanceof StringStartsWith f) {
      return COLUMNS.contains(f.attribute()) && !f.attribute().equals("step");
    } else if (filter instanceof IsNull f) {
      return COLUMNS.contains(f.attribute());
    } else if (filter instanceof IsNotNull f) {
      return COLUMNS.contains(f.attribute());
    }
    Comparison comparison = Comparison.of(filter);
    return comparison != null && comparable(comparison.attribute(), comparison.literal());
  }

  /** A filter comparing a column with a literal, and what the comparison's sign must be for it to hold. */
  private record Comparison(String attribute, Object literal, IntPredicate holds) {
    static Comparison of(Filter filter) {
      if (filter instanceof EqualTo f) {
        return new Comparison(f.attribute(), f.value(), order -> order == 0);
      } else if (filter instanceof EqualNullSafe f) {
        return new Comparison(f.attribute(), f.value(), order -> order == 0);
      } else if (filter instanceof GreaterThan f) {
        return new Comparison(f.attribute(), f.value(), order -> order > 0);
      } else if (filter instanceof GreaterThanOrEqual f) {
        return new Comparison(f.attribute(), f.value(), order -> order >= 0);
      } else if (filter instanceof LessThan f) {
        return new Comparison(f.attribute(), f.value(), order -> order < 0);
      } else if (filter instanceof LessThanOrEqual f) {
        return new Comparison(f.attribute(), f.value(), order -> order <= 0);
      }
      return null;
    }
  }

  /** True for a literal of the column's type: a number for {@code step}, a string otherwise. */
  private static boolean comparable(String attribute, Object value) {
    if (!COLUMNS.contains(attribute)) {
      return false;
    }
    return attribute.equals("step") ? value instanceof Long || value instanceof Integer : value instanceof String;
  }

  private static boolean holds(Filter filter, String checkpoint, Long step, String name) {
    return holds(filter, new Key(checkpoint, step, name));
  }

  /** The values a filter can see; {@code name} is null while a whole checkpoint is being judged. */
  private record Key(String checkpoint, Long step, String name) {
    Object column(String attribute) {
      return switch (attribute) {
        case "checkpoint" -> checkpoint;
        case "step" -> step;
        default -> name;
      };
    }

    /** Compares a column with a literal; false when the column is null, as SQL's comparisons never hold then. */
    boolean compare(String attribute, Object literal, IntPredicate outcome) {
      Object value = column(attribute);
      if (value == null) {
        return false;
      }
      int order = value instanceof Long number
          ? Long.compare(number, ((Number) literal).longValue())
          : ((String) value).compareTo((String) literal);
      return outcome.test(order);
    }
  }

  private static boolean holds(Filter filter, Key key) {
    if (filter instanceof And and) {
      return holds(and.left(), key) && holds(and.right(), key);
    } else if (filter instanceof Or or) {
      return holds(or.left(), key) || holds(or.right(), key);
    } else if (filter instanceof Not not) {
      return !holds(not.child(), key);
    } else if (filter instanceof In in) {
      return Stream.of(in.values()).anyMatch(value -> key.compare(in.attribute(), value, order -> order == 0));
    } else if (filter instanceof StringStartsWith f) {
      return key.column(f.attribute()) instanceof String value && value.startsWith(f.value());
    } else if (filter instanceof IsNull f) {
      return key.column(f.attribute()) == null;
    } else if (filter instanceof IsNotNull f) {
      return key.column(f.attribute()) != null;
    }
    Comparison comparison = Comparison.of(filter);
    if (comparison == null) {
      throw new IllegalStateException("Unsupported pushed filter " + filter);
    }
    return key.compare(comparison.attribute(), comparison.literal(), comparison.holds());
  }
}
