package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.checkpoint.CheckpointState;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.exec.Session;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.retention.PendingDeletions;
import io.sparkpoint.saver.Saver;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparkpoint retain} on a directory a Saver filled with three checkpoints, all listed in its state file. */
class RetainCommandTest {
  @TempDir Path dir;

  @Test
  void aDryRunPrintsThePlanThenTheRealRunDeletesAndIsIdempotent() {
    Path out = dir.resolve("run");
    Graph graph = new Graph();
    Variables.variable(graph, "w", Tensor.ofFloats(Shape.of(2), 1, 2));
    Variables.globalVariablesInitializer(graph);
    Saver saver = Saver.builder(graph).maxToKeep(100).build();
    Session session = new Session(graph).withService(FileIO.class, new LocalFileIO());
    session.run(Map.of(), List.of(), List.of("init"));
    for (int step = 0; step <= 2; step++) {
      saver.save(session, out.resolve("model.ckpt").toString(), step);
    }

    CliRun plan = CliRun.of("retain", out.toString(), "--max-to-keep", "1", "--dry-run");
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("keep     " + out.resolve("model.ckpt-2"), "delete   " + out.resolve("model.ckpt-0"),
        "delete   " + out.resolve("model.ckpt-1"), "\"dry_run\": true");
    assertThat(out.resolve("model.ckpt-0.index")).exists();

    CliRun real = CliRun.of("retain", out.toString(), "--max-to-keep", "1");
    assertThat(real.code()).isZero();
    assertThat(real.out()).contains("\"files_deleted\": 6");
    assertThat(out.resolve("model.ckpt-0.index")).doesNotExist();
    assertThat(out.resolve("model.ckpt-1.meta")).doesNotExist();
    assertThat(out.resolve("model.ckpt-2.index")).exists();
    assertThat(CliRun.of("retain", out.toString(), "--max-to-keep", "1").out()).contains("\"deleted\": []");
  }

  @Test
  void checkpointsACrashedSweepLeftArePrintedByADryRunAndDeletedByTheRealRun() throws Exception {
    Path out = dir.resolve("run");
    Graph graph = new Graph();
    Variables.variable(graph, "w", Tensor.ofFloats(Shape.of(2), 1, 2));
    Variables.globalVariablesInitializer(graph);
    Saver saver = Saver.builder(graph).maxToKeep(100).build();
    LocalFileIO io = new LocalFileIO();
    Session session = new Session(graph).withService(FileIO.class, io);
    session.run(Map.of(), List.of(), List.of("init"));
    for (int step = 0; step <= 2; step++) {
      saver.save(session, out.resolve("model.ckpt").toString(), step);
    }
    String swept = out.resolve("model.ckpt-0").toString(); // as if a sweep had died after the state file
    PendingDeletions.of(io, out.toString(), null).record(List.of(swept), List.of("meta"));
    Checkpoints.updateCheckpointState(io, out.toString(), new CheckpointState(out.resolve("model.ckpt-2").toString(),
        List.of(out.resolve("model.ckpt-1").toString(), out.resolve("model.ckpt-2").toString()), List.of(), 0), null, Checkpoints.PathStyle.RELATIVE);

    CliRun plan = CliRun.of("retain", out.toString(), "--max-to-keep", "2", "--dry-run");
    assertThat(plan.code()).as(plan.err()).isZero();
    assertThat(plan.out()).contains("pending  " + swept, "\"pending\": [\"" + swept + "\"]");
    assertThat(out.resolve("model.ckpt-0.index")).exists();

    CliRun real = CliRun.of("retain", out.toString(), "--max-to-keep", "2");
    assertThat(real.code()).as(real.err()).isZero();
    assertThat(real.out()).contains("\"deleted\": []", "\"files_deleted\": 3");
    assertThat(out.resolve("model.ckpt-0.index")).doesNotExist();
    assertThat(out.resolve("model.ckpt-1.index")).exists();
    assertThat(out.resolve(".checkpoint.pending-deletions")).doesNotExist();
  }

  @Test
  void aDirectoryWithoutStateFileFailsNamingIt() {
    CliRun run = CliRun.of("retain", dir.toString(), "--max-to-keep", "2");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("No checkpoint state file in " + dir);
    assertThat(Files.exists(dir.resolve("checkpoint"))).isFalse();
  }
}
