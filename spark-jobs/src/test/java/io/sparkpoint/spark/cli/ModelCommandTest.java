package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.npy.Npy;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
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

  /** The mean loss {@code run} prints with {@code --json}. */
  private static double loss(CliRun run) {
    assertThat(run.code()).as(run.err()).isZero();
    return Double.parseDouble(run.out().replaceAll("(?s).*\"values\": \\[([^\\]]+)\\].*", "$1").trim());
  }

  @Test
  void theGeneratedModelTrainsAtOnceWithRun() throws IOException {
    Path out = dir.resolve("logreg");
    assertThat(CliRun.of("model", "logreg", "--input-shape", "4", "--classes", "3", "--optimizer", "sgd", "--lr", "0.5", "--out",
        out.toString()).code()).isZero();
    LocalFileIO io = new LocalFileIO();
    String x = dir.resolve("x.npy").toString();
    String y = dir.resolve("y.npy").toString();
    Npy.write(io.newOutputFile(x), Tensor.ofFloats(Shape.of(3, 4), 1, 0, 0, 1, 0, 1, 0, -1, 0, 0, 1, 1));
    Npy.write(io.newOutputFile(y), Tensor.ofLongs(Shape.of(3), 0, 1, 2));
    String meta = out.resolve("model.ckpt-0.meta").toString();
    double before = loss(CliRun.of("run", "--meta", meta, "--checkpoint", out.toString(), "--feed", "x:0=" + x, "--feed", "labels:0=" + y,
        "--fetch", "loss:0", "--json"));

    CliRun trained = CliRun.of("run", "--meta", meta, "--checkpoint", out.toString(), "--feed", "x:0=" + x, "--feed", "labels:0=" + y,
        "--fetch", "loss:0", "--target", "train", "--repeat", "30", "--save", out.resolve("model.ckpt").toString(), "--json");
    double last = loss(trained);
    assertThat(trained.err()).isEqualTo("Saved " + out.resolve("model.ckpt") + System.lineSeparator());

    assertThat(last).isLessThan(before / 2);
    double after = loss(CliRun.of("run", "--meta", meta, "--checkpoint", out.toString(), "--feed", "x:0=" + x, "--feed", "labels:0=" + y,
        "--fetch", "loss:0", "--json"));
    assertThat(after).as("the saved checkpoint is the newest in the directory").isLessThan(last);
    assertThat(CliRun.of("run", "--meta", meta, "--checkpoint", out.toString(), "--fetch", "global_step:0", "--json").out())
        .contains("\"values\": [30]");
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
