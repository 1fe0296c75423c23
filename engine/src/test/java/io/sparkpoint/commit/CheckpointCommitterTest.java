package io.sparkpoint.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.bundle.BundleValidator;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.checkpoint.CheckpointReader;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.DyingFileIO;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.proto.MetaGraphDef;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit protocol: merged shards, the state file as the commit point, the manifest last, retention across restarts, crash safety. */
class CheckpointCommitterTest {
  @TempDir Path dir;
  private double now = 1_000_000;

  private CheckpointCommitter committer(FileIO io, int maxToKeep) throws Exception {
    return new CheckpointCommitter(io, dir.toString(), "model.ckpt", maxToKeep, null, () -> now);
  }

  /** Writes a two-shard save of step {@code step} as two tasks would, and returns the shard prefixes. */
  private static List<String> writeShards(FileIO io, CheckpointCommitter.PendingSave save) throws Exception {
    List<String> prefixes = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      String prefix = save.shardPrefix(k, 2, 7);
      try (BundleWriter writer = BundleWriter.create(io, prefix)) {
        writer.add(k == 0 ? "a" : "b", Tensor.ofFloats(Shape.of(2), save.step(), k));
        writer.finish();
      }
      prefixes.add(prefix);
    }
    return prefixes;
  }

  private CheckpointCommitter.Committed save(FileIO io, CheckpointCommitter committer, long step) throws Exception {
    now += 60;
    CheckpointCommitter.PendingSave save = committer.begin(step);
    return committer.commit(save, writeShards(io, save), MetaGraphDef.getDefaultInstance(),
        new CheckpointManifest(null, 0, 0, 0.25, "app-1", 0, 16, 0));
  }

  private List<String> files() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aCommitMergesTheShardsThenNamesTheCheckpointInTheStateFileThenWritesTheManifest() throws Exception {
    FileIO io = new LocalFileIO();
    CheckpointCommitter.Committed committed = save(io, committer(io, 5), 10);

    assertThat(committed.prefix()).isEqualTo(dir.resolve("model.ckpt-10").toString());
    assertThat(files()).containsExactly("checkpoint", "model.ckpt-10.data-00000-of-00002", "model.ckpt-10.data-00001-of-00002",
        "model.ckpt-10.index", "model.ckpt-10.manifest.json", "model.ckpt-10.meta");
    assertThat(Checkpoints.latestCheckpoint(io, dir.toString(), null)).isEqualTo(committed.prefix());
    assertThat(BundleValidator.validate(io, committed.prefix()).problems()).isEmpty();
    CheckpointReader reader = CheckpointReader.open(io, committed.prefix());
    assertThat(reader.getTensor("b")).isEqualTo(Tensor.ofFloats(Shape.of(2), 10, 1));
    assertThat(Files.readString(dir.resolve("model.ckpt-10.manifest.json"))).isEqualTo(
        "{\"checkpoint\": \"" + committed.prefix() + "\", \"step\": 10, \"wall_time\": 1000060.000, \"loss\": 0.25, \"app_id\": \"app-1\", "
            + "\"shards\": 2, \"bytes\": 16, \"tensors\": 2}\n");
  }

  @Test
  void retentionKeepsTheNewestAndHoldsAcrossARestart() throws Exception {
    FileIO io = new LocalFileIO();
    CheckpointCommitter first = committer(io, 2);
    save(io, first, 1);
    save(io, first, 2);
    CheckpointCommitter.Committed third = save(io, first, 3);
    assertThat(third.deleted()).contains(dir.resolve("model.ckpt-1.index").toString(), dir.resolve("model.ckpt-1.manifest.json").toString());
    assertThat(first.checkpoints()).containsExactly(dir.resolve("model.ckpt-2").toString(), dir.resolve("model.ckpt-3").toString());

    CheckpointCommitter restarted = committer(io, 2);
    save(io, restarted, 4);
    assertThat(files()).noneMatch(f -> f.startsWith("model.ckpt-1.") || f.startsWith("model.ckpt-2."));
    assertThat(Checkpoints.getCheckpointState(io, dir.toString(), null).allModelCheckpointPaths())
        .containsExactly(dir.resolve("model.ckpt-3").toString(), dir.resolve("model.ckpt-4").toString());
  }

  @Test
  void aCrashBeforeTheStateFileLeavesThePreviousCheckpointLatestAndTheNextSaveCleansUp() throws Exception {
    FileIO io = new LocalFileIO();
    save(io, committer(io, 5), 1);
    String stateFile = dir.resolve("checkpoint").toString();
    FileIO crashing = new CrashingFileIO(to -> to.equals(stateFile));
    CheckpointCommitter dying = committer(crashing, 5);
    CheckpointCommitter.PendingSave pending = dying.begin(2);
    List<String> shards = writeShards(crashing, pending);
    assertThatThrownBy(() -> dying.commit(pending, shards, MetaGraphDef.getDefaultInstance(), new CheckpointManifest(null, 0, 0, 0, null, 0, 0, 0)))
        .hasMessageContaining("simulated crash");

    assertThat(Checkpoints.latestCheckpoint(io, dir.toString(), null)).isEqualTo(dir.resolve("model.ckpt-1").toString());
    assertThat(BundleValidator.validate(io, dir.resolve("model.ckpt-1").toString()).problems()).isEmpty();
    assertThat(files()).contains("model.ckpt-2.index").doesNotContain("model.ckpt-2.manifest.json");

    CheckpointCommitter restarted = committer(io, 5);
    restarted.begin(2);
    assertThat(files()).noneMatch(f -> f.startsWith("model.ckpt-2") || f.startsWith("checkpoint.tmp"));
    assertThat(files()).contains("model.ckpt-1.index", "model.ckpt-1.manifest.json");
  }

  @Test
  void aCrashWhileRenamingDataFilesNeverNamesThePartialCheckpoint() throws Exception {
    FileIO io = new LocalFileIO();
    save(io, committer(io, 5), 1);
    FileIO crashing = new CrashingFileIO(to -> to.endsWith("model.ckpt-2.data-00001-of-00002"));
    CheckpointCommitter dying = committer(crashing, 5);
    CheckpointCommitter.PendingSave pending = dying.begin(2);
    List<String> shards = writeShards(crashing, pending);
    assertThatThrownBy(() -> dying.commit(pending, shards, null, new CheckpointManifest(null, 0, 0, 0, null, 0, 0, 0)))
        .hasMessageContaining("simulated crash");

    assertThat(files()).contains("model.ckpt-2.data-00000-of-00002").doesNotContain("model.ckpt-2.index");
    assertThat(Checkpoints.latestCheckpoint(io, dir.toString(), null)).endsWith("model.ckpt-1");
    CheckpointCommitter.PendingSave next = committer(io, 5).begin(3);
    assertThat(files()).noneMatch(f -> f.startsWith("model.ckpt-2"));
    try (Stream<Path> temp = Files.list(dir.resolve(CheckpointCommitter.TEMP_DIRECTORY))) {
      assertThat(temp.map(Path::toString)).containsExactly(next.tempDirectory());
    }
  }

  @Test
  void aCrashBetweenTheStateFileAndTheDeletionsIsFinishedByTheNextCommitterAndOnlyThat() throws Exception {
    FileIO io = new LocalFileIO();
    double everyNinetySeconds = 1.5 / 60;
    CheckpointCommitter first = new CheckpointCommitter(io, dir.toString(), "model.ckpt", 1, everyNinetySeconds, () -> now);
    for (long step = 1; step <= 3; step++) { // one a minute: step 2 is preserved, the first past the 90 s window
      save(io, first, step);
    }
    DyingFileIO<LocalFileIO> dying = new DyingFileIO<>(new LocalFileIO(), dir.resolve("checkpoint").toString()::equals);
    CheckpointCommitter doomed = new CheckpointCommitter(dying, dir.toString(), "model.ckpt", 1, everyNinetySeconds, () -> now);
    assertThatThrownBy(() -> save(dying, doomed, 4)).hasMessageContaining("simulated crash"); // sweeps step 3, dies at its first delete

    assertThat(Checkpoints.getCheckpointState(io, dir.toString(), null).allModelCheckpointPaths())
        .containsExactly(dir.resolve("model.ckpt-4").toString());
    assertThat(files()).contains("model.ckpt-2.index", "model.ckpt-3.index", "model.ckpt-3.manifest.json", ".checkpoint.pending-deletions");

    List<String> before = files();
    new CheckpointCommitter(io, dir.toString(), "model.ckpt", 1, everyNinetySeconds, () -> now);
    List<String> after = files();
    assertThat(before.stream().filter(f -> !after.contains(f))).containsExactlyInAnyOrder(".checkpoint.pending-deletions",
        "model.ckpt-3.index", "model.ckpt-3.data-00000-of-00002", "model.ckpt-3.data-00001-of-00002", "model.ckpt-3.meta",
        "model.ckpt-3.manifest.json");
    assertThat(files()).contains("model.ckpt-2.index", "model.ckpt-2.meta", "model.ckpt-4.index");
  }

  @Test
  void aCrashWhileWritingThePendingDeletionsLeavesThePreviousStateIntact() throws Exception {
    FileIO io = new LocalFileIO();
    save(io, committer(io, 1), 1);
    byte[] stateBefore = Files.readAllBytes(dir.resolve("checkpoint"));
    FileIO crashing = new CrashingFileIO(to -> to.endsWith(".pending-deletions"));
    CheckpointCommitter dying = committer(crashing, 1);
    assertThatThrownBy(() -> save(crashing, dying, 2)).hasMessageContaining("simulated crash");

    assertThat(Files.readAllBytes(dir.resolve("checkpoint"))).isEqualTo(stateBefore);
    assertThat(files()).contains("model.ckpt-1.index", "model.ckpt-1.manifest.json").noneMatch(f -> f.contains("pending-deletions"));
    save(io, committer(io, 1), 2);
    assertThat(files()).noneMatch(f -> f.startsWith("model.ckpt-1."));
  }

  @Test
  void maxToKeepBelowOneIsRefused() {
    assertThatThrownBy(() -> committer(new LocalFileIO(), 0)).hasMessage("--max-to-keep must be at least 1, got 0");
  }
}
