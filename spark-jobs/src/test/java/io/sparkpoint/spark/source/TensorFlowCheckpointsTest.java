package io.sparkpoint.spark.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Checkpoints TensorFlow wrote (shared/testdata/tf-real; see its MANIFEST.md for every value checked here). */
class TensorFlowCheckpointsTest extends LocalSparkTest {
  @Test
  void aTwoShardTensor2TensorDirectoryReadsItsLatestCheckpointFromBothDataFiles() {
    String directory = TestFixtures.tfReal().resolve("t2t/transformer_test_ckpt").toString();
    Dataset<Row> table = tfcheckpoint("stats", "true", "values", "true").load(directory);
    List<Row> index = table.select("checkpoint", "step", "shard").collectAsList();
    assertThat(index).extracting(row -> row.getString(0) + "@" + row.getLong(1)).containsOnly(directory + "/model.ckpt-1@1");
    Map<Integer, Long> perShard = index.stream().collect(Collectors.groupingBy(row -> row.getInt(2), TreeMap::new, Collectors.counting()));
    assertThat(perShard).containsExactly(Map.entry(0, 5L), Map.entry(1, 245L));
    assertThat(table.select("name", "mean").javaRDD().getNumPartitions()).isEqualTo(2);
    Map<String, Row> rows = byName(table.where("name in ('global_step', 'losses_avg/problem_0/total_loss', 'training/beta1_power')"));
    assertThat(list(rows.get("global_step"), "values")).containsExactly(1.0);
    assertThat((String) rows.get("global_step").getAs("dtype")).isEqualTo("int64");
    assertThat((Double) rows.get("losses_avg/problem_0/total_loss").getAs("max")).isEqualTo(100.0);
    assertThat((Double) rows.get("training/beta1_power").getAs("min")).isEqualTo((double) 0.80999994f);
    assertThat(table.where("name = ''").count()).isZero();
  }

  @Test
  void partitionedVariablesAreReassembledAndTheirStatsSpanEverySlice() {
    String prefix = TestFixtures.prefix("libtensorflow-2.18-generated/partitioned_v2/ckpt");
    Map<String, Row> rows = byName(tfcheckpoint("values", "true", "stats", "true").load(prefix));
    assertThat(rows).containsOnlyKeys("bias", "emb", "vocab", "w");
    Row emb = rows.get("emb");
    assertThat(list(emb, "shape")).containsExactly(6L, 4L);
    assertThat(isNull(emb, "shard")).isTrue();
    assertThat(list(emb, "values")).hasSize(24).startsWith(0.0, 1.0, 2.0).endsWith(22.0, 23.0);
    assertThat((Double) emb.getAs("mean")).isEqualTo(11.5);
    assertThat(list(rows.get("w"), "values")).containsExactly(100.0, 101.0, 102.0, 103.0, 104.0, 105.0, 106.0, 107.0);
    List<byte[]> vocab = list(rows.get("vocab"), "string_values");
    assertThat(vocab).extracting(bytes -> new String(bytes, StandardCharsets.UTF_8)).containsExactly("alpha", "beta", "gamma", "delta", "epsilon");
    Row streamed = tfcheckpoint("stats", "true").load(prefix).where("name = 'w'").first();
    assertThat((Double) streamed.getAs("max")).isEqualTo(107.0);
    assertThat((Long) streamed.getAs("size_bytes")).isEqualTo(64L);
  }

  @Test
  void everyDtypeHasItsPythonNameAndNumericOnesTheirValues() {
    String prefix = TestFixtures.prefix("libtensorflow-2.18-generated/all_dtypes_v2/ckpt");
    Map<String, Row> rows = byName(tfcheckpoint("values", "true", "stats", "true").load(prefix));
    assertThat((String) rows.get("dt_half").getAs("dtype")).isEqualTo("float16");
    assertThat(list(rows.get("dt_half"), "values")).startsWith(1.0, -2.5, 0.0999755859375, 65504.0);
    assertThat(list(rows.get("dt_uint64"), "values")).containsExactly(0.0, 18446744073709551615.0);
    assertThat(list(rows.get("dt_int8"), "values")).containsExactly(-128.0, -1.0, 0.0, 127.0);
    assertThat(list(rows.get("dt_double"), "values")).containsExactly(3.141592653589793, -1e300, 5e-324);
    assertThat((String) rows.get("dt_complex64").getAs("dtype")).isEqualTo("complex64");
    assertThat(list(rows.get("dt_complex64"), "values")).isNull();
    assertThat(isNull(rows.get("dt_complex64"), "l2_norm")).isTrue();
    assertThat(list(rows.get("scalar_string"), "string_values")).extracting(bytes -> new String((byte[]) bytes, StandardCharsets.UTF_8))
        .containsExactly("hello");
    Row empty = rows.get("empty_float");
    assertThat(list(empty, "values")).isEmpty();
    assertThat(isNull(empty, "min")).isTrue();
    assertThat((Double) empty.getAs("l2_norm")).isZero();
    assertThat(list(rows.get("empty_string"), "string_values")).isEmpty();
  }

  @Test
  void aRelativePathIsMadeAbsoluteOnTheDriver() {
    Path prefix = Path.of(TestFixtures.prefix("libtensorflow-2.18-generated/sharded_v2/ckpt"));
    String relative = Path.of("").toAbsolutePath().relativize(prefix).toString();
    Dataset<Row> table = tfcheckpoint("stats", "true").load(relative);
    assertThat(table.select("checkpoint").first().getString(0)).isEqualTo("file:" + prefix);
    assertThat(table.where("name = 'global_step'").select("max").first().getDouble(0)).isEqualTo(12345.0);
  }

  @Test
  void aV1CheckpointIsRefusedSayingSo() {
    String v1 = TestFixtures.prefix("libtensorflow-2.18-generated/v1_save/model.ckpt");
    assertThatThrownBy(() -> tfcheckpoint().load(v1)).hasMessageStartingWith("V1 format not supported: " + v1);
  }
}
