package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.exec.Session;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Variables;
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
  void aDirectoryWithoutStateFileFailsNamingIt() {
    CliRun run = CliRun.of("retain", dir.toString(), "--max-to-keep", "2");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("No checkpoint state file in " + dir);
    assertThat(Files.exists(dir.resolve("checkpoint"))).isFalse();
  }
}
