package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process: output formats and exit codes. */
class SparkpointCliTest {
  @TempDir Path dir;


  @Test
  void inspectListsTensorsLikeInspectCheckpoint() {
    CliRun run = CliRun.of("inspect", TestFixtures.prefix("tf-models-reference-data/reference_data_test/dense/model.ckpt"));
    assertThat(run.code()).isZero();
    assertThat(run.out()).isEqualTo(
        "dense/bias (DT_FLOAT) [4]\ndense/kernel (DT_FLOAT) [2,4]\ndense_1/bias (DT_FLOAT) [1]\n"
            + "dense_1/kernel (DT_FLOAT) [4,1]\ninput_tensor (DT_FLOAT) [1,2]\n");
  }

  @Test
  void inspectJsonUsesPythonDtypeNamesAndPrintsValuesOfTheRequestedTensor() {
    CliRun run = CliRun.of("inspect", TestFixtures.prefix("libtensorflow-2.18-generated/sharded_v2/ckpt"), "--tensor", "c_string", "--json");
    assertThat(run.code()).isZero();
    assertThat(run.out().trim()).endsWith(
        "\"tensors\": [{\"name\": \"c_string\", \"dtype\": \"string\", \"shape\": [2], \"values\": [\"shard\", \"zero\"]}]}");
  }

  @Test
  void allTensorsPrintsEveryValueNestedByShape() {
    CliRun run = CliRun.of("inspect", TestFixtures.prefix("libtensorflow-2.18-generated/sharded_v2/ckpt"), "--all-tensors");
    assertThat(run.out()).contains("tensor_name:  b_int64\n[[7, 8],\n [9, 10]]\n").contains("tensor_name:  d_bool\n[False, True]\n");
  }

  @Test
  void aDirectoryResolvesToItsLatestCheckpoint() {
    CliRun run = CliRun.of("inspect", TestFixtures.prefix("tf2onnx/regression/checkpoint"), "--json");
    assertThat(run.out()).contains("\"prefix\": \"" + TestFixtures.prefix("tf2onnx/regression/checkpoint/model") + "\"");
  }

  @Test
  void aMissingTensorIsOneLineWithTensorFlowsWording() {
    String prefix = TestFixtures.prefix("tf2onnx/regression/checkpoint/model");
    CliRun run = CliRun.of("inspect", prefix, "--tensor", "nope");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("sparkpoint inspect: error: Key nope not found in checkpoint " + prefix + System.lineSeparator());
  }

  @Test
  void validateReportsACorruptTensorAndExitsOne() throws Exception {
    Path source = Path.of(TestFixtures.prefix("tf2onnx/regression/checkpoint/model")).getParent();
    for (String name : List.of("model.index", "model.data-00000-of-00001")) {
      Files.copy(source.resolve(name), dir.resolve(name));
    }
    byte[] data = Files.readAllBytes(dir.resolve("model.data-00000-of-00001"));
    data[5] ^= 1; // inside b
    Files.write(dir.resolve("model.data-00000-of-00001"), data);
    CliRun run = CliRun.of("validate", dir.resolve("model").toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith(dir.resolve("model.data-00000-of-00001") + ": b: Checksum does not match for tensor b");
    assertThat(run.out()).contains("\"valid\": false").contains("\"problems\": 1");
  }

  @Test
  void reshardWritesTheRequestedShardCount() {
    String target = dir.resolve("resharded").toString();
    CliRun run = CliRun.of("reshard", TestFixtures.prefix("libtensorflow-2.18-generated/sharded_v2/ckpt"), target, "--shards", "4");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("\"shards\": 4");
    assertThat(CliRun.of("validate", target).code()).isZero();
  }

  @Test
  void badUsageExitsTwo() {
    assertThat(CliRun.of("reshard", "a", "b").code()).isEqualTo(2);
    assertThat(CliRun.of().code()).isEqualTo(2);
    assertThat(CliRun.of("frobnicate").code()).isEqualTo(2);
  }
}
