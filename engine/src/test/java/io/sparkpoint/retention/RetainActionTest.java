package io.sparkpoint.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.checkpoint.CheckpointState;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.DyingFileIO;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparkpoint retain}: a directory's checkpoints trimmed as a Saver would, with a dry run, and nothing else touched. */
class RetainActionTest {
  private static final double HOUR = 3600;
  private final LocalFileIO io = new LocalFileIO();
  @TempDir Path dir;
  private final List<String> prefixes = new ArrayList<>();

  /** Six checkpoints, one every 40 minutes from t = 0, listed with their times; a stranger file beside them. */
  @BeforeEach
  void sixCheckpoints() throws Exception {
    List<Double> times = new ArrayList<>();
    for (int step = 1; step <= 6; step++) {
      String prefix = dir.resolve("model.ckpt-" + step).toString();
      try (BundleWriter writer = BundleWriter.create(io, prefix)) {
        writer.add("w", Tensor.ofFloats(Shape.of(1), step));
        writer.finish();
      }
      Files.writeString(Path.of(prefix + ".meta"), "meta");
      prefixes.add(prefix);
      times.add((step - 1) * 40 * 60.0);
    }
    Files.writeString(dir.resolve("model.ckpt-1.index.bak"), "not ours");
    Checkpoints.updateCheckpointState(io, dir.toString(), new CheckpointState(prefixes.get(5), prefixes, times, 0), null,
        Checkpoints.PathStyle.RELATIVE);
  }

  @Test
  void keepsTheNewestAndOnePerWindowAndDeletesTheRest() throws Exception {
    RetainAction.Result result = RetainAction.run(io, dir.toString(), 2, 1.0, false, 5 * 40 * 60.0);

    assertThat(result.kept()).containsExactly(prefixes.get(4), prefixes.get(5));
    assertThat(result.preserved()).containsExactly(prefixes.get(2)); // t = 80 min: the first past the 1-hour window
    assertThat(result.deleted()).containsExactly(prefixes.get(0), prefixes.get(1), prefixes.get(3));
    for (int i : new int[] {0, 1, 3}) {
      assertThat(Path.of(prefixes.get(i) + ".index")).doesNotExist();
      assertThat(Path.of(prefixes.get(i) + ".meta")).doesNotExist();
    }
    assertThat(Path.of(prefixes.get(2) + ".index")).exists();
    assertThat(dir.resolve("model.ckpt-1.index.bak")).exists();
    CheckpointState state = Checkpoints.getCheckpointState(io, dir.toString(), null);
    assertThat(state.modelCheckpointPath()).isEqualTo(prefixes.get(5));
    assertThat(state.allModelCheckpointPaths()).containsExactly(prefixes.get(4), prefixes.get(5));
    assertThat(state.lastPreservedTimestamp()).isEqualTo(HOUR);

    RetainAction.Result again = RetainAction.run(io, dir.toString(), 2, 1.0, false, 5 * 40 * 60.0);
    assertThat(again.deleted()).as("idempotent").isEmpty();
    assertThat(again.kept()).isEqualTo(result.kept());
  }

  @Test
  void aDryRunDecidesTheSameAndTouchesNothing() throws Exception {
    byte[] stateBefore = Files.readAllBytes(dir.resolve("checkpoint"));
    RetainAction.Result plan = RetainAction.run(io, dir.toString(), 1, null, true, 10 * HOUR);
    assertThat(plan.dryRun()).isTrue();
    assertThat(plan.kept()).containsExactly(prefixes.get(5));
    assertThat(plan.deleted()).hasSize(5);
    assertThat(plan.deletedFiles()).isEmpty();
    assertThat(Files.readAllBytes(dir.resolve("checkpoint"))).isEqualTo(stateBefore);
    for (String prefix : prefixes) {
      assertThat(Path.of(prefix + ".index")).exists();
    }
  }

  @Test
  void aRetainThatDiedAfterTheStateFileIsReportedByADryRunAndFinishedByTheNextRun() throws Exception {
    DyingFileIO<LocalFileIO> dying = new DyingFileIO<>(new LocalFileIO(), dir.resolve("checkpoint").toString()::equals);
    assertThatThrownBy(() -> RetainAction.run(dying, dir.toString(), 2, 1.0, false, 5 * 40 * 60.0)).hasMessageContaining("simulated crash");
    assertThat(Checkpoints.getCheckpointState(io, dir.toString(), null).allModelCheckpointPaths())
        .containsExactly(prefixes.get(4), prefixes.get(5));

    RetainAction.Result plan = RetainAction.run(io, dir.toString(), 2, 1.0, true, 5 * 40 * 60.0);
    assertThat(plan.pending()).containsExactly(prefixes.get(0), prefixes.get(1), prefixes.get(3));
    assertThat(plan.deleted()).isEmpty();
    assertThat(Path.of(prefixes.get(0) + ".index")).exists();
    assertThat(dir.resolve(".checkpoint.pending-deletions")).exists();

    RetainAction.Result real = RetainAction.run(io, dir.toString(), 2, 1.0, false, 5 * 40 * 60.0);
    assertThat(real.pending()).containsExactly(prefixes.get(0), prefixes.get(1), prefixes.get(3));
    assertThat(real.deletedFiles()).hasSize(9); // index, data and meta of each
    for (int i = 0; i < 6; i++) {
      boolean kept = i == 2 || i >= 4; // step 3 preserved, 5 and 6 listed
      assertThat(Files.exists(Path.of(prefixes.get(i) + ".index"))).as(prefixes.get(i)).isEqualTo(kept);
    }
    assertThat(dir.resolve("model.ckpt-1.index.bak")).exists();
    assertThat(dir.resolve(".checkpoint.pending-deletions")).doesNotExist();
  }

  @Test
  void aPendingCheckpointTheStateFileListsIsNeverDeleted() throws Exception {
    PendingDeletions.of(io, dir.toString(), null).record(List.of(prefixes.get(5), prefixes.get(0)), List.of("meta"));

    RetainAction.Result result = RetainAction.run(io, dir.toString(), 6, null, false, 10 * HOUR);

    assertThat(result.pending()).isEmpty();
    assertThat(result.deletedFiles()).isEmpty();
    assertThat(Path.of(prefixes.get(0) + ".meta")).exists();
    assertThat(Path.of(prefixes.get(5) + ".index")).exists();
    assertThat(dir.resolve(".checkpoint.pending-deletions")).doesNotExist();
  }

  @Test
  void errorsNameTheDirectoryAndTheLimit() {
    assertThatThrownBy(() -> RetainAction.run(io, dir.resolve("empty").toString(), 2, null, false, 0))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("No checkpoint state file in " + dir.resolve("empty"));
    assertThatThrownBy(() -> RetainAction.run(io, dir.toString(), 0, null, false, 0))
        .hasMessage("--max-to-keep must be at least 1, got 0");
  }
}
