package io.sparkpoint.spark.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The columns of a {@code tfcheckpoint} table, in schema order, and what each costs to compute. */
enum CheckpointColumn {
  CHECKPOINT(DataTypes.StringType, false, Cost.INDEX),
  STEP(DataTypes.LongType, true, Cost.INDEX),
  NAME(DataTypes.StringType, false, Cost.INDEX),
  DTYPE(DataTypes.StringType, false, Cost.INDEX),
  SHAPE(DataTypes.createArrayType(DataTypes.LongType, false), false, Cost.INDEX),
  NUM_ELEMENTS(DataTypes.LongType, false, Cost.INDEX),
  SHARD(DataTypes.IntegerType, true, Cost.INDEX),
  SIZE_BYTES(DataTypes.LongType, false, Cost.INDEX),
  VALUES(DataTypes.createArrayType(DataTypes.DoubleType, false), true, Cost.VALUES),
  STRING_VALUES(DataTypes.createArrayType(DataTypes.BinaryType, false), true, Cost.VALUES),
  MIN(DataTypes.DoubleType, true, Cost.STATS),
  MAX(DataTypes.DoubleType, true, Cost.STATS),
  MEAN(DataTypes.DoubleType, true, Cost.STATS),
  L2_NORM(DataTypes.DoubleType, true, Cost.STATS),
  NAN_COUNT(DataTypes.LongType, true, Cost.STATS);

  /** What a column needs read: the index only, the tensor's values, or a pass over its bytes. */
  enum Cost {
    INDEX,
    VALUES,
    STATS
  }

  private final DataType type;
  private final boolean nullable;
  private final Cost cost;

  CheckpointColumn(DataType type, boolean nullable, Cost cost) {
    this.type = type;
    this.nullable = nullable;
    this.cost = cost;
  }

  /** The column's name in SQL: {@code num_elements}, {@code l2_norm}. */
  String columnName() {
    return name().toLowerCase(Locale.ROOT);
  }

  Cost cost() {
    return cost;
  }

  StructField field() {
    return DataTypes.createStructField(columnName(), type, nullable);
  }

  /** The full schema for these options: the index columns, then values and stats when asked for. */
  static StructType schema(SourceOptions options) {
    List<StructField> fields = new ArrayList<>();
    for (CheckpointColumn column : values()) {
      if (column.cost == Cost.INDEX || (column.cost == Cost.VALUES && options.values()) || (column.cost == Cost.STATS && options.stats())) {
        fields.add(column.field());
      }
    }
    return DataTypes.createStructType(fields);
  }

  /** The columns of a (pruned) schema, in its order. */
  static List<CheckpointColumn> of(StructType schema) {
    List<CheckpointColumn> columns = new ArrayList<>();
    for (StructField field : schema.fields()) {
      columns.add(valueOf(field.name().toUpperCase(Locale.ROOT)));
    }
    return columns;
  }

  /** True when any of {@code columns} costs {@code cost}. */
  static boolean anyCosts(List<CheckpointColumn> columns, Cost cost) {
    return columns.stream().anyMatch(column -> column.cost == cost);
  }
}
