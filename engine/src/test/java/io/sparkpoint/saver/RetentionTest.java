package io.sparkpoint.saver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.checkpoint.CheckpointState;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.exec.Session;
import io.sparkpoint.fs.DyingFileIO;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Retention as TensorFlow's Saver does it (reference §5.1), and across restarts, which TensorFlow's
 * does not manage: the scenarios of TF issues #16025 and #16215 (a restarted job never deletes the
 * previous run's checkpoints), PR #18249 (a lowered max_to_keep) and #34234 (the hourly clock restarts).
 * Each "process" is a new Graph, Session and Saver on the same in-memory directory.
 */
class RetentionTest {
  private static final double HOUR = 3600;
  private final InMemoryFileIO io = new InMemoryFileIO();
  private final AtomicReference<Double> now = new AtomicReference<>(1_700_000_000.0);

  /** A fresh process: graph, session (initialized) and Saver. */
  private record Process(Session session, Saver saver) {
    String save(long step) {
      return saver.save(session, "run/model.ckpt", step);
    }
  }

  private Process start(Integer maxToKeep, Double hours) {
    return start(io, maxToKeep, hours);
  }

  private Process start(FileIO io, Integer maxToKeep, Double hours) {
    Graph graph = new Graph();
    Variables.variable(graph, "w", Tensor.ofFloats(Shape.of(2), 1, 2));
    Variables.globalVariablesInitializer(graph);
    Session session = new Session(graph).withService(FileIO.class, io);
    session.runTargets("init");
    Saver.Builder builder = Saver.builder(graph).maxToKeep(maxToKeep).clock(now::get);
    if (hours != null) {
      builder.keepCheckpointEveryNHours(hours);
    }
    return new Process(session, builder.build());
  }

  private void tick(double seconds) {
    now.updateAndGet(t -> t + seconds);
  }

  private List<Long> stepsOnDisk() {
    return io.allFiles().stream().filter(f -> f.matches("run/model\\.ckpt-\\d+\\.index"))
        .map(f -> Long.parseLong(f.replaceAll("\\D*-(\\d+)\\.index", "$1"))).sorted().toList();
  }

  private CheckpointState state() throws Exception {
    return Checkpoints.getCheckpointState(io, "run", null);
  }

  @Test
  void maxToKeepDeletesTheOldestWithAllTheirFiles() throws Exception {
    Process p = start(2, null);
    for (long step = 1; step <= 4; step++) {
      p.save(step);
      tick(60);
    }

    assertThat(stepsOnDisk()).containsExactly(3L, 4L);
    assertThat(io.allFiles()).noneMatch(f -> f.startsWith("run/model.ckpt-1.") || f.startsWith("run/model.ckpt-2."));
    assertThat(state().allModelCheckpointPaths()).containsExactly("run/model.ckpt-3", "run/model.ckpt-4");
    assertThat(state().allModelCheckpointTimestamps()).hasSize(2);
    assertThat(p.saver().lastCheckpoints()).containsExactly("run/model.ckpt-3", "run/model.ckpt-4");
  }

  @Test
  void tf16025_aRestartedJobKeepsDeletingThePreviousRunsCheckpoints() throws Exception {
    Process first = start(2, null);
    for (long step = 1; step <= 3; step++) {
      first.save(step);
      tick(60);
    }
    Process second = start(2, null); // TensorFlow's new Saver starts with an empty list and leaks 2 and 3
    second.save(4);
    second.save(5);

    assertThat(stepsOnDisk()).containsExactly(4L, 5L);
    assertThat(state().allModelCheckpointPaths()).containsExactly("run/model.ckpt-4", "run/model.ckpt-5");
  }

  @Test
  void pr18249_aLoweredMaxToKeepTakesEffectAtTheNextSave() throws Exception {
    Process first = start(5, null);
    for (long step = 1; step <= 5; step++) {
      first.save(step);
    }
    start(2, null).save(6);

    assertThat(stepsOnDisk()).containsExactly(5L, 6L);
  }

  @Test
  void keepEveryNHoursPreservesOneCheckpointPerWindowAndDropsItFromTheStateFile() throws Exception {
    Process p = start(1, 1.0);
    for (long step = 1; step <= 6; step++) { // every 25 minutes
      tick(25 * 60);
      p.save(step);
    }

    // windows open at t0+1h and t0+2h: steps 3 (75 min) and 5 (125 min) are the first past each
    assertThat(stepsOnDisk()).containsExactly(3L, 5L, 6L);
    assertThat(state().allModelCheckpointPaths()).containsExactly("run/model.ckpt-6");
  }

  @Test
  void tf34234_theHourlyClockContinuesAcrossRestarts() throws Exception {
    Process first = start(1, 1.0);
    first.save(1);
    tick(50 * 60);
    first.save(2); // 50 min: not yet preserved, 1 deleted
    tick(5 * 60);
    Process second = start(1, 1.0); // TensorFlow would restart the clock here and keep nothing for another hour
    tick(20 * 60);
    second.save(3); // 75 min since the first start: step 2 is deleted (saved at 50 min, before the window)
    tick(5);
    second.save(4); // step 3 (75 min) is past the window that opened at 60 min: preserved

    assertThat(stepsOnDisk()).containsExactly(3L, 4L);
    assertThat(state().lastPreservedTimestamp()).isEqualTo(1_700_000_000.0 + HOUR);
  }

  @Test
  void maxToKeepZeroListsOnlyTheNewestAndDeletesNothing() throws Exception {
    Process p = start(0, null);
    for (long step = 1; step <= 3; step++) {
      p.save(step);
    }

    assertThat(stepsOnDisk()).containsExactly(1L, 2L, 3L);
    assertThat(state().allModelCheckpointPaths()).containsExactly("run/model.ckpt-3");
    assertThat(p.saver().lastCheckpoints()).isEmpty();
  }

  @Test
  void filesItDoesNotManageAreNeverDeleted() throws Exception {
    io.put("run/model.ckpt-1.index.bak", new byte[] {1});
    io.put("run/notes.txt", new byte[] {1});
    Process other = start(5, null);
    other.saver().save(other.session(), "run/best", 1); // another save path in the same state file
    Process p = start(1, null);
    p.save(1);
    p.save(2);
    p.save(3);

    assertThat(io.allFiles()).contains("run/model.ckpt-1.index.bak", "run/notes.txt", "run/best-1.index", "run/best-1.meta");
    assertThat(stepsOnDisk()).containsExactly(3L);
  }

  @Test
  void anExplicitlyEmptyListIsNotReplacedByTheStateFile() throws Exception {
    Process first = start(5, null);
    first.save(1);
    first.save(2);
    Process second = start(1, null);
    second.saver().setLastCheckpoints(List.of()); // as in TensorFlow: manage nothing from before
    second.save(3);

    assertThat(stepsOnDisk()).containsExactly(1L, 2L, 3L);
    assertThat(state().allModelCheckpointPaths()).containsExactly("run/model.ckpt-3");
  }

  @Test
  void theNewestCheckpointSurvivesAFailedSave() throws Exception {
    Process p = start(1, null);
    p.save(1);
    io.failRenamesWhen(target -> target.endsWith(".index"));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.save(2)).isNotNull();

    io.failRenamesWhen(target -> false);
    assertThat(stepsOnDisk()).containsExactly(1L);
    assertThat(state().modelCheckpointPath()).isEqualTo("run/model.ckpt-1");
    Process restarted = start(1, null);
    restarted.saver().restore(restarted.session(), state().modelCheckpointPath());
  }

  @Test
  void aCrashBetweenTheStateFileAndTheDeletionsIsFinishedByTheNextSaveAndOnlyThat() throws Exception {
    Process p = start(1, 1.0);
    for (long step = 1; step <= 4; step++) { // every 25 minutes: step 3 (75 min) is preserved, the first past the 1-hour window
      tick(25 * 60);
      p.save(step);
    }
    DyingFileIO<InMemoryFileIO> dying = new DyingFileIO<>(io, "run/checkpoint"::equals);
    tick(25 * 60);
    start(dying, 1, 1.0).save(5); // sweeps step 4, then dies at its first delete

    assertThat(dying.dead()).isTrue();
    assertThat(state().allModelCheckpointPaths()).containsExactly("run/model.ckpt-5");
    assertThat(stepsOnDisk()).containsExactly(3L, 4L, 5L);
    assertThat(io.allFiles()).contains("run/.checkpoint.pending-deletions");

    List<String> before = io.allFiles();
    tick(60);
    start(1, 1.0).save(6); // step 5 (125 min) is preserved: past the window that opened at 120 min
    List<String> removed = before.stream().filter(f -> !io.allFiles().contains(f)).toList();
    assertThat(removed).containsExactlyInAnyOrder("run/.checkpoint.pending-deletions", "run/model.ckpt-4.index",
        "run/model.ckpt-4.data-00000-of-00001", "run/model.ckpt-4.meta");
    assertThat(stepsOnDisk()).containsExactly(3L, 5L, 6L);
  }

  @Test
  void aCrashBeforeTheStateFileKeepsTheRecordedCheckpointsItStillLists() throws Exception {
    Process p = start(2, null);
    p.save(1);
    p.save(2);
    io.failRenamesWhen("run/checkpoint"::equals);
    assertThatThrownBy(() -> p.save(3)).isInstanceOf(SaverException.class);
    io.failRenamesWhen(target -> false);
    assertThat(io.allFiles()).contains("run/.checkpoint.pending-deletions"); // names step 1, still listed

    start(5, null).save(4);

    assertThat(stepsOnDisk()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(io.allFiles()).doesNotContain("run/.checkpoint.pending-deletions");
  }

  @Test
  void aCrashWhileWritingTheRecordLeavesThePreviousStateIntact() throws Exception {
    Process p = start(1, null);
    p.save(1);
    byte[] stateBefore = io.contents("run/checkpoint");
    io.failRenamesWhen(target -> target.endsWith(".pending-deletions"));

    assertThatThrownBy(() -> p.save(2)).isInstanceOf(SaverException.class).hasMessageContaining("run/.checkpoint.pending-deletions");

    io.failRenamesWhen(target -> false);
    assertThat(io.contents("run/checkpoint")).isEqualTo(stateBefore);
    assertThat(io.allFiles()).noneMatch(f -> f.contains("pending-deletions"));
    assertThat(stepsOnDisk()).containsExactly(1L, 2L); // step 2 was never committed: the next save of step 2 replaces it
  }

  @Test
  void setAndRecoverLastCheckpoints() {
    Process p = start(1, null);
    p.saver().save(p.session(), "run/model.ckpt", 1);
    p.saver().save(p.session(), "run/model.ckpt", SaveOptions.defaults().withGlobalStep(2).withWriteState(false));

    Process q = start(1, null);
    q.saver().setLastCheckpoints(List.of("run/model.ckpt-1"));
    q.save(3); // step 1 leaves the list but was set without a time: preserved, as in TensorFlow
    assertThat(stepsOnDisk()).containsExactly(1L, 2L, 3L);

    Process r = start(1, null);
    io.setLastModified("run/model.ckpt-2.index", (long) (now.get() * 1000)); // on this test's clock
    r.saver().recoverLastCheckpoints(io, List.of("run/model.ckpt-2", "run/model.ckpt-9"));
    assertThat(r.saver().lastCheckpoints()).containsExactly("run/model.ckpt-2");
    r.save(4);
    assertThat(stepsOnDisk()).containsExactly(1L, 3L, 4L);
  }
}
