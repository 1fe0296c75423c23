package io.sparkpoint.spark.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.ShardedBundleWriter;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a read touches: column pruning, pushed filters, tasks per data file and size, and the errors of damaged input. */
class ScanPlanningTest extends LocalSparkTest {
  private final LocalFileIO io = new LocalFileIO();
  @TempDir Path dir;

  /** {@code a} (float [3]) then {@code w} (float [4]) in one data file. */
  private String model(String name) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("a", Tensor.ofFloats(Shape.of(3), 1, 2, 3));
    tensors.put("w", Tensor.ofFloats(Shape.of(4), 5, 6, 7, 8));
    return TestCheckpoints.write(io, dir.resolve(name).toString(), tensors);
  }

  private static String dataFile(String prefix) {
    return prefix + ".data-00000-of-00001";
  }

  /** Flips one byte inside tensor {@code name}'s stored bytes. */
  private void corrupt(String prefix, String name) throws Exception {
    long offset;
    try (BundleReader bundle = BundleReader.open(io, prefix)) {
      offset = bundle.entry(name).getOffset() + 1;
    }
    try (RandomAccessFile file = new RandomAccessFile(dataFile(prefix), "rw")) {
      file.seek(offset);
      int b = file.read();
      file.seek(offset);
      file.write(b ^ 0x40);
    }
  }

  @Test
  void indexColumnsNeverReadADataFileEvenWithStatsAndValuesOn() throws Exception {
    String prefix = model("model.ckpt-1");
    Files.delete(Path.of(dataFile(prefix)));
    Dataset<Row> table = tfcheckpoint().option("stats", "true").option("values", "true").load(prefix);
    assertThat(table.select("name", "shape").collectAsList()).hasSize(2);
    assertThat(table.count()).isEqualTo(2);
    assertThat(table.where("name = 'w'").select("num_elements", "size_bytes").first().getLong(1)).isEqualTo(16L);
    assertThatThrownBy(() -> table.select("name", "max").collectAsList()).hasStackTraceContaining(dataFile(prefix));
  }

  @Test
  void theTensorBytesReadMetricIsZeroForIndexColumnsAndTheStoredBytesOtherwise() {
    String prefix = model("model.ckpt-1");
    Dataset<Row> table = tfcheckpoint("stats", "true", "values", "true").load(prefix);
    assertThat(tensorBytesRead(table.select("name", "shape", "size_bytes"))).isZero();
    assertThat(tensorBytesRead(table.select("name", "max"))).isEqualTo(12 + 16);
    assertThat(tensorBytesRead(table.where("name = 'w'").select("values", "max"))).isEqualTo(16);
  }

  @Test
  void aDamagedTensorFailsNamingTensorAndFileAndAFilterOnNameSkipsIt() throws Exception {
    String prefix = model("model.ckpt-1");
    corrupt(prefix, "w");
    Dataset<Row> stats = tfcheckpoint().option("stats", "true").load(prefix);
    assertThat(stats.where("name = 'a'").select("max").first().getDouble(0)).isEqualTo(3.0);
    assertThat(stats.where("name like 'a%'").select("max").first().getDouble(0)).isEqualTo(3.0);
    assertThatThrownBy(() -> stats.select("name", "max").collectAsList())
        .hasStackTraceContaining("Checksum does not match for tensor w in " + dataFile(prefix) + " (16 bytes)");
    Dataset<Row> values = tfcheckpoint().option("values", "true").load(prefix);
    assertThatThrownBy(() -> values.where("name = 'w'").select("values").collectAsList())
        .hasStackTraceContaining("Checksum does not match for tensor w in " + dataFile(prefix));
  }

  @Test
  void aFilterOnStepSkipsWholeCheckpoints() throws Exception {
    String one = model("model.ckpt-1");
    String two = model("model.ckpt-2");
    TestCheckpoints.state(io, dir.toString(), one, two);
    Files.delete(Path.of(dataFile(one)));
    Dataset<Row> all = tfcheckpoint().option("checkpoints", "all").option("stats", "true").load(dir.toString());
    assertThat(all.where("step = 2").select("name", "max").collectAsList()).hasSize(2);
    assertThat(all.where("step > 1 and name = 'w'").select("max").first().getDouble(0)).isEqualTo(8.0);
    assertThat(all.where("step = 2").select("name").javaRDD().getNumPartitions()).isEqualTo(1);
  }

  @Test
  void tasksFollowDataFilesAndSplitBytesWhileIndexOnlyReadsAreOneTaskPerCheckpoint() throws Exception {
    String prefix = dir.resolve("model.ckpt-9").toString();
    ShardedBundleWriter writer = ShardedBundleWriter.create(io, prefix, 2);
    writer.shard(0).add("a", Tensor.ofFloats(Shape.of(100), new float[100]));
    writer.shard(0).add("b", Tensor.ofFloats(Shape.of(100), new float[100]));
    writer.shard(1).add("c", Tensor.ofFloats(Shape.of(100), new float[100]));
    writer.finish();
    Dataset<Row> stats = tfcheckpoint().option("stats", "true").load(prefix);
    assertThat(stats.select("name", "shard").javaRDD().getNumPartitions()).isEqualTo(1);
    assertThat(stats.select("name", "mean").javaRDD().getNumPartitions()).isEqualTo(2);
    Dataset<Row> small = tfcheckpoint().option("stats", "true").option("split-bytes", "400").load(prefix);
    assertThat(small.select("name", "mean").javaRDD().getNumPartitions()).isEqualTo(3);
    assertThat(small.select("name", "shard", "mean").orderBy("name").collectAsList())
        .extracting(row -> row.getString(0) + ":" + row.getInt(1) + ":" + row.getDouble(2))
        .containsExactly("a:0:0.0", "b:0:0.0", "c:1:0.0");
  }

  @Test
  void aPathThatIsNoCheckpointFailsAtLoadNamingItAndWhatWasExpected() {
    String missing = dir.resolve("model.ckpt-5").toString();
    assertThatThrownBy(() -> tfcheckpoint().load(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("Cannot find a checkpoint at " + missing + ": expected " + missing + ".index or a directory with a 'checkpoint' state file");
    assertThatThrownBy(() -> tfcheckpoint().load(dir.toString()))
        .hasMessage("Couldn't find 'checkpoint' file or checkpoints in given directory " + dir);
  }

  @Test
  void aBadOptionFailsNamingItAndItsValues() {
    String prefix = model("model.ckpt-1");
    assertThatThrownBy(() -> tfcheckpoint().option("checkpoints", "newest").load(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid option checkpoints: newest; expected latest or all");
  }

  @Test
  void aSchemaFromTheUserIsRefused() {
    String prefix = model("model.ckpt-1");
    assertThatThrownBy(() -> tfcheckpoint().schema("name string").load(prefix)).hasMessageContaining("does not support user-specified schema");
  }
}
