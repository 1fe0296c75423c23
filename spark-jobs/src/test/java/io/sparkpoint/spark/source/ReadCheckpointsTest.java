package io.sparkpoint.spark.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorSlice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spark.read.format("tfcheckpoint")} on checkpoints our writer made: rows, values, stats, and comparing steps. */
class ReadCheckpointsTest extends LocalSparkTest {
  private final LocalFileIO io = new LocalFileIO();
  @TempDir Path dir;

  private Dataset<Row> read(String path, String... options) {
    return tfcheckpoint(options).load(path);
  }

  private String model(String name, float[] kernel, long step) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("dense/kernel", Tensor.ofFloats(Shape.of(2, 2), kernel));
    tensors.put("global_step", Tensor.scalar(step));
    tensors.put("vocab", Tensor.ofStrings(Shape.of(2), "héllo", "b"));
    tensors.put("mask", Tensor.ofBooleans(Shape.of(3), true, false, true));
    return TestCheckpoints.write(io, dir.resolve(name).toString(), tensors);
  }

  @Test
  void aPrefixGivesOneRowPerVariableWithItsIndexColumns() {
    String prefix = model("model.ckpt-7", new float[] {1, 2, 3, 4}, 7);
    Dataset<Row> table = read(prefix);
    assertThat(table.schema().fieldNames())
        .containsExactly("checkpoint", "step", "name", "dtype", "shape", "num_elements", "shard", "size_bytes");
    List<Row> rows = table.orderBy("name").collectAsList();
    assertThat(rows).extracting(row -> row.getAs("name")).containsExactly("dense/kernel", "global_step", "mask", "vocab");
    Row kernel = rows.get(0);
    assertThat((String) kernel.getAs("checkpoint")).isEqualTo(prefix);
    assertThat((Long) kernel.getAs("step")).isEqualTo(7L);
    assertThat((String) kernel.getAs("dtype")).isEqualTo("float32");
    assertThat(list(kernel, "shape")).containsExactly(2L, 2L);
    assertThat((Long) kernel.getAs("num_elements")).isEqualTo(4L);
    assertThat((Integer) kernel.getAs("shard")).isZero();
    assertThat((Long) kernel.getAs("size_bytes")).isEqualTo(16L);
    assertThat(list(rows.get(1), "shape")).isEmpty();
    assertThat(rows).extracting(row -> row.getAs("dtype")).containsExactly("float32", "int64", "bool", "string");
  }

  @Test
  void aDirectoryIsItsLatestCheckpointOrWithCheckpointsAllEveryListedOneInOrder() {
    String one = model("model.ckpt-1", new float[] {1, 2, 3, 4}, 1);
    String two = model("model.ckpt-2", new float[] {1, 2, 3, 4}, 2);
    TestCheckpoints.state(io, dir.toString(), one, two);
    assertThat(read(dir.toString()).select("checkpoint", "step").collectAsList())
        .extracting(row -> row.getString(0) + "@" + row.getLong(1)).containsOnly(two + "@2");
    assertThat(read(dir.toString(), "checkpoints", "all").select("step").collectAsList())
        .extracting(row -> row.getLong(0)).containsExactlyInAnyOrder(1L, 1L, 1L, 1L, 2L, 2L, 2L, 2L);
  }

  @Test
  void valuesAreRowMajorDoublesAndStringsAreBytes() {
    String prefix = model("model.ckpt-3", new float[] {1.5f, -2, Float.NaN, 4}, 3);
    Map<String, Row> rows = byName(read(prefix, "values", "true"));
    assertThat(list(rows.get("dense/kernel"), "values")).containsExactly(1.5, -2.0, Double.NaN, 4.0);
    assertThat(list(rows.get("global_step"), "values")).containsExactly(3.0);
    assertThat(list(rows.get("mask"), "values")).containsExactly(1.0, 0.0, 1.0);
    assertThat(list(rows.get("dense/kernel"), "string_values")).isNull();
    assertThat(list(rows.get("vocab"), "values")).isNull();
    List<byte[]> vocab = list(rows.get("vocab"), "string_values");
    assertThat(new String(vocab.get(0), StandardCharsets.UTF_8)).isEqualTo("héllo");
    assertThat(read(prefix, "values", "true").where("name = 'vocab'").selectExpr("cast(string_values[0] as string)").first().getString(0))
        .isEqualTo("héllo");
  }

  @Test
  void statsCountNaNsAndSummarizeTheRest() {
    String prefix = model("model.ckpt-3", new float[] {1.5f, -2, Float.NaN, 4}, 3);
    Map<String, Row> rows = byName(read(prefix, "stats", "true"));
    Row kernel = rows.get("dense/kernel");
    assertThat((Double) kernel.getAs("min")).isEqualTo(-2.0);
    assertThat((Double) kernel.getAs("max")).isEqualTo(4.0);
    assertThat((Double) kernel.getAs("mean")).isCloseTo(3.5 / 3, within(1e-15));
    assertThat((Double) kernel.getAs("l2_norm")).isCloseTo(Math.sqrt(1.5 * 1.5 + 4 + 16), within(1e-15));
    assertThat((Long) kernel.getAs("nan_count")).isEqualTo(1L);
    assertThat((Double) rows.get("mask").getAs("mean")).isCloseTo(2.0 / 3, within(1e-15));
    assertThat(isNull(rows.get("vocab"), "min")).isTrue();
    assertThat(isNull(rows.get("vocab"), "nan_count")).isTrue();
  }

  @Test
  void statsStreamTensorsLargerThanOneChunkAndAgreeWithTheirValues() {
    float[] big = new float[700_000]; // 2.8 MB: three chunks
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < big.length; i++) {
      big[i] = i % 1000 == 999 ? Float.NaN : (float) Math.sin(i) * 3;
      if (!Float.isNaN(big[i])) {
        sum += big[i];
        squares += (double) big[i] * big[i];
      }
    }
    String prefix = TestCheckpoints.write(io, dir.resolve("big").toString(), Map.of("big", Tensor.ofFloats(Shape.of(700, 1000), big)));
    Row streamed = read(prefix, "stats", "true").first();
    assertThat((Long) streamed.getAs("nan_count")).isEqualTo(700L);
    assertThat((Double) streamed.getAs("mean")).isCloseTo(sum / 699_300, within(1e-12));
    assertThat((Double) streamed.getAs("l2_norm")).isCloseTo(Math.sqrt(squares), within(1e-9));
    Row fromValues = read(prefix, "stats", "true", "values", "true").first();
    for (String stat : List.of("min", "max", "mean", "l2_norm", "nan_count")) {
      assertThat((Object) fromValues.getAs(stat)).as(stat).isEqualTo(streamed.getAs(stat));
    }
  }

  @Test
  void aPartitionedVariableIsOneRowWithItsFullShapeAndNoShard() throws Exception {
    String prefix = dir.resolve("parts").toString();
    BundleWriter writer = BundleWriter.create(io, prefix);
    writer.addSlice("emb", Shape.of(4, 2), TensorSlice.parse("0,2:-"), Tensor.ofFloats(Shape.of(2, 2), 0, 1, 2, 3));
    writer.addSlice("emb", Shape.of(4, 2), TensorSlice.parse("2,2:-"), Tensor.ofFloats(Shape.of(2, 2), 4, 5, 6, Float.NaN));
    writer.finish();
    Row streamed = read(prefix, "stats", "true").first();
    assertThat((String) streamed.getAs("name")).isEqualTo("emb");
    assertThat(list(streamed, "shape")).containsExactly(4L, 2L);
    assertThat(isNull(streamed, "shard")).isTrue();
    assertThat((Long) streamed.getAs("size_bytes")).isEqualTo(32L);
    assertThat((Double) streamed.getAs("max")).isEqualTo(6.0);
    assertThat((Double) streamed.getAs("mean")).isEqualTo(3.0);
    assertThat((Long) streamed.getAs("nan_count")).isEqualTo(1L);
    assertThat(list(read(prefix, "values", "true").first(), "values")).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, Double.NaN);
  }

  @Test
  void twoStepsCompareWithOneJoin() {
    String one = model("model.ckpt-1", new float[] {1, 2, 3, 4}, 1);
    String two = model("model.ckpt-2", new float[] {1, 2, 3, 8}, 2);
    TestCheckpoints.state(io, dir.toString(), one, two);
    Dataset<Row> all = read(dir.toString(), "checkpoints", "all", "stats", "true", "values", "true");
    Dataset<Row> before = all.where("step = 1").alias("a");
    Dataset<Row> after = all.where("step = 2").alias("b");
    Map<String, Row> changes = byName(before.join(after, "name").select(
        col("name"),
        col("b.l2_norm").minus(col("a.l2_norm")).as("l2_change"),
        expr("zip_with(b.values, a.values, (x, y) -> x - y)").as("delta"),
        expr("aggregate(zip_with(b.values, a.values, (x, y) -> abs(x - y)), 0D, (m, d) -> greatest(m, d))").as("max_abs_change")));
    assertThat((Double) changes.get("dense/kernel").getAs("l2_change")).isCloseTo(Math.sqrt(78) - Math.sqrt(30), within(1e-12));
    assertThat(list(changes.get("dense/kernel"), "delta")).containsExactly(0.0, 0.0, 0.0, 4.0);
    assertThat((Double) changes.get("dense/kernel").getAs("max_abs_change")).isEqualTo(4.0);
    assertThat(list(changes.get("global_step"), "delta")).containsExactly(1.0);
    assertThat(changes).containsOnlyKeys("dense/kernel", "global_step", "mask", "vocab");
  }

  @Test
  void severalPathsLoadIntoOneTableAndSqlReadsItThroughATemporaryView() {
    String one = model("a/model.ckpt-5", new float[] {1, 2, 3, 4}, 5);
    String two = model("b/model.ckpt-5", new float[] {1, 2, 3, 4}, 5);
    assertThat(tfcheckpoint().load(one, two).select("checkpoint").collectAsList())
        .extracting(row -> row.getString(0)).containsOnly(one, two).hasSize(8);
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW ckpt USING tfcheckpoint OPTIONS (path '" + one + "', stats 'true')");
    assertThat(spark.sql("SELECT max FROM ckpt WHERE name = 'dense/kernel'").first().getDouble(0)).isEqualTo(4.0);
  }

}
