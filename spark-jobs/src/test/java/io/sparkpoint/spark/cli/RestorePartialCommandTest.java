package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.npy.Npy;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparkpoint restore-partial}: a warm start from an Adam-trained 3-class MLP into a fresh
 * 5-class MLP with momentum, both written by {@code sparkpoint model}: the hidden layer carries over,
 * the new head and the optimizer slots keep their fresh values.
 */
class RestorePartialCommandTest {
  @TempDir Path dir;
  private final LocalFileIO io = new LocalFileIO();
  private Path src;
  private Path dst;
  private String out;

  @BeforeEach
  void twoModels() {
    src = dir.resolve("src");
    dst = dir.resolve("dst");
    out = dir.resolve("warm").resolve("model.ckpt").toString();
    assertThat(CliRun.of("model", "mlp", "--input-shape", "4", "--classes", "3", "--hidden", "8", "--optimizer", "adam", "--seed", "1",
        "--out", src.toString()).code()).isZero();
    assertThat(CliRun.of("model", "mlp", "--input-shape", "4", "--classes", "5", "--hidden", "8", "--optimizer", "momentum", "--seed", "2",
        "--out", dst.toString()).code()).isZero();
  }

  @Test
  void aDryRunPrintsThePlanThenTheRealRunWritesAndARerunPrintsTheSameSummary() throws IOException {
    CliRun plan = CliRun.of("restore-partial", src.toString(), dst.toString(), "--out", out, "--exclude", "^global_step$",
        "--skip-mismatched", "--dry-run");
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("matched  dense/bias\n", "matched  dense/kernel\n",
        "mismatch dense_1/kernel [8,5] <- dense_1/kernel [8,3] (skipped)\n", "missing  dense/kernel/Momentum\n",
        "excluded global_step\n", "unused   dense/kernel/Adam\n", "\"dry_run\": true");
    assertThat(Path.of(out + ".index")).doesNotExist();

    CliRun real = CliRun.of("restore-partial", src.toString(), dst.toString(), "--out", out, "--exclude", "^global_step$", "--skip-mismatched");
    assertThat(real.code()).as(real.err()).isZero();
    String summary = real.out().strip();
    assertThat(summary).doesNotContain("\n").startsWith("{\"source\": \"" + src.resolve("model.ckpt-0") + "\", \"target\": \"")
        .contains("\"dry_run\": false", "\"matched\": [\"dense/bias\", \"dense/kernel\"]", "\"renamed\": {}",
            "\"skipped\": [\"dense_1/bias\", \"dense_1/kernel\"]", "\"excluded\": [\"global_step\"]");
    try (BundleReader warm = BundleReader.open(io, out); BundleReader from = BundleReader.open(io, src.resolve("model.ckpt-0").toString());
        BundleReader fresh = BundleReader.open(io, dst.resolve("model.ckpt-0").toString())) {
      assertThat(warm.tensorNames()).isEqualTo(fresh.tensorNames());
      assertThat(warm.lookup("dense/kernel")).isEqualTo(from.lookup("dense/kernel"));
      assertThat(warm.lookup("dense_1/kernel")).isEqualTo(fresh.lookup("dense_1/kernel"));
    }
    assertThat(Files.readAllBytes(Path.of(out + ".meta"))).isEqualTo(Files.readAllBytes(dst.resolve("model.ckpt-0.meta")));

    CliRun again = CliRun.of("restore-partial", src.toString(), dst.toString(), "--out", out, "--exclude", "^global_step$", "--skip-mismatched");
    assertThat(again.code()).isZero();
    assertThat(again.out().strip()).isEqualTo(summary);
    assertThat(again.err()).contains("already holds this restore; nothing written");
  }

  @Test
  void theWarmCheckpointRunsWithItsMetaGraph() throws IOException {
    assertThat(CliRun.of("restore-partial", src.toString(), dst.toString(), "--out", out, "--skip-mismatched").code()).isZero();
    String x = dir.resolve("x.npy").toString();
    Npy.write(io.newOutputFile(x), Tensor.ofFloats(Shape.of(1, 4), 1, 2, 3, 4));

    CliRun run = CliRun.of("run", "--meta", out + ".meta", "--checkpoint", out, "--feed", "x:0=" + x, "--fetch", "probabilities:0");

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("probabilities:0 (float32) [1,5]");
  }

  @Test
  void aMismatchFailsWithOneLineNamingBothTensorsAndWritesNothing() {
    CliRun run = CliRun.of("restore-partial", src.toString(), dst.toString(), "--out", out);

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("sparkpoint restore-partial: error: Cannot restore 2 variables of " + dst.resolve("model.ckpt-0")
        + " from " + src.resolve("model.ckpt-0") + ": dense_1/bias [5] <- dense_1/bias [3] (shapes differ); "
        + "dense_1/kernel [8,5] <- dense_1/kernel [8,3] (shapes differ); pass --skip-mismatched to keep the target's values");
    assertThat(run.err().lines()).hasSize(1);
    assertThat(dir.resolve("warm")).doesNotExist();
  }

  @Test
  void aDryRunOfAFailingRestorePrintsThePlanAndTheSummaryThenFails() {
    CliRun run = CliRun.of("restore-partial", src.toString(), dst.toString(), "--out", out, "--dry-run");

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out()).contains("mismatch dense_1/bias [5] <- dense_1/bias [3]\n", "\"mismatched\": [\"dense_1/bias\", \"dense_1/kernel\"]",
        "\"skipped\": []");
    assertThat(run.err()).contains("error: Cannot restore 2 variables");
  }

  @Test
  void aMapEntryThatMatchesNothingIsWarnedAbout() {
    CliRun run = CliRun.of("restore-partial", src.toString(), dst.toString(), "--out", out, "--skip-mismatched", "--dry-run",
        "--map", "^hidden/(.*)$=dense/$1");

    assertThat(run.code()).isZero();
    assertThat(run.err()).isEqualTo("sparkpoint restore-partial: warning: --map '^hidden/(.*)$=dense/$1' matches no source key"
        + System.lineSeparator());
    assertThat(run.out()).contains("\"unused_map\": [\"^hidden/(.*)$=dense/$1\"]");
  }

  @Test
  void aBadRegexIsAUsageErrorNamingTheFlagAndThePattern() {
    CliRun run = CliRun.of("restore-partial", src.toString(), dst.toString(), "--out", out, "--include", "dense[");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("Invalid --include 'dense[': Unclosed character class near index 5");
  }

  @Test
  void theTargetIsNeverOverwritten() {
    CliRun run = CliRun.of("restore-partial", src.toString(), dst.toString(), "--out", dst.resolve("model.ckpt-0").toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("Cannot write the restored checkpoint to " + dst.resolve("model.ckpt-0")
        + ": it is the target checkpoint " + dst.resolve("model.ckpt-0") + ", which is never modified; choose another --out");
  }

  @Test
  void otherContentAtOutNeedsOverwrite() {
    assertThat(CliRun.of("restore-partial", src.toString(), dst.toString(), "--out", out, "--skip-mismatched").code()).isZero();

    CliRun refused = CliRun.of("restore-partial", src.toString(), dst.toString(), "--out", out, "--skip-mismatched", "--exclude", "kernel");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("a checkpoint with other content is there (tensor dense/kernel differs); pass --overwrite to replace it");

    CliRun replaced = CliRun.of("restore-partial", src.toString(), dst.toString(), "--out", out, "--skip-mismatched", "--exclude", "kernel",
        "--overwrite");
    assertThat(replaced.code()).as(replaced.err()).isZero();
    assertThat(replaced.out()).contains("\"excluded\": [\"dense/kernel\", ");
  }
}
