package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.ShardedBundleWriter;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorSlice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sparkpoint validate} as Spark tasks prints exactly what it prints in one JVM: the same stdout, stderr and exit code. */
class ValidateOnSparkTest extends LocalSparkCommandTest {
  private static final LocalFileIO IO = new LocalFileIO();

  @TempDir Path dir;

  /**
   * TensorFlow-written checkpoints of every kind: every dtype, thousands of entries, partitioned,
   * two data files, models of a few hundred KiB (several tasks each). The engine's
   * ValidationPlanTest runs every fixture in pieces without Spark.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"libtensorflow-2.18-generated/all_dtypes_v2/ckpt", "libtensorflow-2.18-generated/many_entries_v2/ckpt",
      "libtensorflow-2.18-generated/partitioned_v2/ckpt", "libtensorflow-2.18-generated/sharded_v2/ckpt", "t2t/transformer_test_ckpt/model.ckpt-1",
      "ipo-estimator/data_model/model.ckpt-3760", "tf-models-reference-data/resnet/batch_norm/model.ckpt",
      "serving/saved_model_half_plus_two_tf2_cpu/00000123/variables/variables"})
  void tensorFlowCheckpointsValidateTheSameOnSparkAsInOneJvm(String fixture) throws IOException {
    String prefix = TestFixtures.prefix(fixture);
    long dataBytes;
    try (Stream<Path> files = Files.list(Path.of(prefix).getParent())) {
      dataBytes = files.filter(f -> BundleNaming.isDataFileOf(Path.of(prefix).getFileName().toString(), f.getFileName().toString()))
          .mapToLong(f -> f.toFile().length()).sum();
    }
    SparkRun spark = onSpark("validate", prefix, "--master", "local[2]", "--split-bytes", "64k");
    assertThat(spark.cli()).isEqualTo(CliRun.of("validate", prefix, "--local"));
    assertThat(spark.cli().code()).isZero();
    assertThat(spark.tasks()).isPositive().isGreaterThanOrEqualTo((int) ((dataBytes + (64 << 10) - 1) / (64 << 10))); // at most 64 KiB a task
  }

  @Test
  void aCheckpointOfThreeDataFilesWrittenHereValidatesTheSame() throws IOException {
    String prefix = writeThreeShards();
    SparkRun spark = onSpark("validate", prefix, "--master", "local[2]");
    assertThat(spark.cli()).isEqualTo(CliRun.of("validate", prefix, "--local"));
    assertThat(spark.cli().code()).isZero();
    assertThat(spark.cli().out()).contains("\"valid\": true", "\"problems\": 0");
    assertThat(spark.tasks()).isEqualTo(3); // one per data file
  }

  @Test
  void aCorruptedTensorInOneOfThreeDataFilesIsReportedAsOneJvmReportsIt() throws IOException {
    String prefix = writeThreeShards();
    String file = corruptTensor(prefix, "int64/r2", -1, 0x20);
    CliRun local = CliRun.of("validate", prefix, "--local");
    assertThat(local.code()).isEqualTo(1);
    assertThat(local.err()).startsWith(file + ": int64/r2: Checksum does not match for tensor int64/r2 in " + file + " (48 bytes): stored ");
    assertThat(local.err().lines()).hasSize(1);
    assertThat(onSpark("validate", prefix, "--master", "local[2]").cli()).isEqualTo(local);
  }

  @Test
  void aRelativePathIsNamedAsGivenThoughTasksReadItAbsolute() throws IOException {
    Path relative = Files.createTempDirectory(Path.of("target"), "relative-");
    try {
      String prefix = writeCheckpoint(relative.resolve("ckpt").toString(), Map.of("w", Tensor.ofFloats(Shape.of(4), 1, 2, 3, 4)));
      corruptTensor(prefix, "w", -1, 0x20);
      CliRun local = CliRun.of("validate", prefix, "--local");
      assertThat(local.err()).startsWith(prefix + ".data-00000-of-00001: w: Checksum does not match for tensor w in " + prefix + ".data-");
      assertThat(onSpark("validate", prefix, "--master", "local[2]").cli()).isEqualTo(local);
    } finally {
      IO.deleteDirectory(relative.toString());
    }
  }

  @Test
  void aTensorLargerThanTheSplitIsCheckedInRangesByManyTasks() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("a", Tensor.ofFloats(Shape.of(2), 1, 2));
    tensors.put("large", TestFixtures.randomTensor(DType.FLOAT, Shape.of(512, 512), new Random(3))); // 1 MiB
    tensors.put("z", Tensor.ofStrings(Shape.of(1), "end"));
    String prefix = writeCheckpoint(dir.resolve("large/ckpt").toString(), tensors);
    String[] onSpark = {"validate", prefix, "--master", "local[2]", "--split-bytes", "256k"};
    SparkRun valid = onSpark(onSpark);
    assertThat(valid.cli()).isEqualTo(CliRun.of("validate", prefix, "--local"));
    assertThat(valid.cli().out()).contains("\"tensors_checked\": 3", "\"bytes_checked\": 1048592" /* 8 + 1 MiB + 8 */);
    assertThat(valid.tasks()).isGreaterThanOrEqualTo(4);

    corruptTensor(prefix, "large", 600_000, 0x20); // in the third range
    CliRun local = CliRun.of("validate", prefix, "--local");
    assertThat(local.err()).startsWith(prefix + ".data-00000-of-00001: large: Checksum does not match for tensor large in ");
    assertThat(onSpark(onSpark).cli()).isEqualTo(local);
  }

  @Test
  void aMissingDataFileOrCheckpointReadsTheSame() throws IOException {
    String prefix = writeThreeShards();
    Files.delete(Path.of(prefix + ".data-00002-of-00003"));
    CliRun local = CliRun.of("validate", prefix, "--local");
    assertThat(local.err()).startsWith(prefix + ".data-00002-of-00003: missing data shard 2 of 3");
    assertThat(onSpark("validate", prefix, "--master", "local[2]").cli()).isEqualTo(local);

    String nowhere = dir.resolve("nowhere").toString();
    assertThat(CliRun.of("validate", nowhere, "--master", "local[2]")).isEqualTo(CliRun.of("validate", nowhere, "--local"));
  }

  @Test
  void withoutMasterOrLocalASmallCheckpointIsValidatedWithoutSpark() throws IOException {
    String prefix = writeThreeShards();
    SparkRun auto = onSpark("validate", prefix);
    assertThat(auto.cli()).isEqualTo(CliRun.of("validate", prefix, "--local"));
    assertThat(auto.tasks()).isZero();
  }

  @Test
  void placementAndSplitOptionsAreCheckedAsUsage() throws IOException {
    String prefix = writeThreeShards();
    CliRun both = CliRun.of("validate", prefix, "--local", "--master", "local[2]");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).startsWith("--local and --master exclude each other: choose one");
    assertThat(CliRun.of("validate", prefix, "--split-bytes", "0").err()).startsWith("Invalid --split-bytes 0: expected at least one byte");
    assertThat(CliRun.of("validate", prefix, "--split-bytes", "lots").code()).isEqualTo(2);
  }

  /** A checkpoint of three data files: tensors of every dtype dealt round-robin, and a partitioned tensor. */
  private String writeThreeShards() throws IOException {
    String prefix = dir.resolve("three/model.ckpt-7").toString();
    if (Files.exists(Path.of(prefix + ".index"))) {
      return prefix;
    }
    try (ShardedBundleWriter writer = ShardedBundleWriter.create(IO, prefix, 3)) {
      int next = 0;
      for (Map.Entry<String, Tensor> tensor : TestFixtures.everyDtype(11).entrySet()) {
        writer.shard(next++ % 3).add(tensor.getKey(), tensor.getValue());
      }
      Shape full = Shape.of(4, 2);
      writer.shard(1).addSlice("part", full, TensorSlice.parse("0,2:-"), Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4));
      writer.shard(2).addSlice("part", full, TensorSlice.parse("2,2:-"), Tensor.ofFloats(Shape.of(2, 2), 5, 6, 7, 8));
      writer.finish();
    }
    return prefix;
  }
}
