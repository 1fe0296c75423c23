package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparkpoint model}: what it writes and prints, and its errors. */
class ModelCommandTest {
  @TempDir Path dir;

  @Test
  void writesTheInitialCheckpointAndPrintsTheNamesToFeed() {
    Path out = dir.resolve("mnist");
    CliRun run = CliRun.of("model", "mlp", "--input-shape", "784", "--classes", "10", "--hidden", "32", "--optimizer", "momentum",
        "--lr", "0.05", "--out", out.toString());
    assertThat(run.err()).isEmpty();
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("feed  x:0  float32 [batch, 784]", "feed  labels:0  int64 [batch] (class ids)", "run   train (one step)",
        "\"train_op\": \"train\"");
    assertThat(out.resolve("model.ckpt-0.meta")).exists();
    assertThat(out.resolve("model.ckpt-0.index")).exists();
    assertThat(out.resolve("checkpoint")).exists();
  }

  @Test
  void aCnnNeedsHeightWidthAndChannels() {
    CliRun run = CliRun.of("model", "cnn", "--input-shape", "28,28", "--classes", "10", "--out", dir.toString());
    assertThat(run.code()).isNotZero();
    assertThat(run.err()).contains("A cnn needs --input-shape HEIGHT,WIDTH,CHANNELS, got [28, 28]");
  }

  @Test
  void unknownArchitecturesAndOptimizersAreNamed() {
    assertThat(CliRun.of("model", "rnn", "--input-shape", "4", "--classes", "2", "--out", dir.toString()).err())
        .contains("Unknown architecture 'rnn': use mlp, cnn or logreg");
    assertThat(CliRun.of("model", "mlp", "--input-shape", "4", "--classes", "2", "--optimizer", "lbfgs", "--out", dir.toString()).err())
        .contains("Unknown --optimizer 'lbfgs': use sgd, momentum or adam");
    assertThat(Files.exists(dir.resolve("checkpoint"))).isFalse();
  }
}
