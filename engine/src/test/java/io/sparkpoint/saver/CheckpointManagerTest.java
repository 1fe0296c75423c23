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
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** TF2's CheckpointManager semantics (reference §5.2) on the shared retention code, across restarts. */
class CheckpointManagerTest {
  private final InMemoryFileIO io = new InMemoryFileIO();
  private final AtomicReference<Double> now = new AtomicReference<>(1_800_000_000.0);

  private record Job(Session session, Saver saver) {}

  private Job job() {
    return job(io);
  }

  private Job job(FileIO io) {
    Graph graph = new Graph();
    Variables.variable(graph, "w", Tensor.ofFloats(Shape.of(1), 1));
    Variables.variable(graph, "step", Tensor.ofLongs(Shape.scalar(), 0));
    Variables.globalVariablesInitializer(graph);
    Session session = new Session(graph).withService(FileIO.class, io);
    session.runTargets("init");
    return new Job(session, Saver.builder(graph).build());
  }

  private CheckpointManager.Builder manager(Job job) {
    return CheckpointManager.builder(job.saver(), io, "ck").clock(now::get);
  }

  private void setStep(Job job, long step) {
    job.session().variables().assign("step", Tensor.ofLongs(Shape.scalar(), step));
  }

  @Test
  void numbersCheckpointsKeepsMaxToKeepAndWritesRelativePathsWithTimestamps() throws Exception {
    Job job = job();
    CheckpointManager manager = manager(job).maxToKeep(2).build();
    for (int i = 0; i < 3; i++) {
      manager.save(job.session());
      now.updateAndGet(t -> t + 10);
    }

    assertThat(manager.checkpoints()).containsExactly("ck/ckpt-2", "ck/ckpt-3");
    assertThat(io.allFiles()).noneMatch(f -> f.startsWith("ck/ckpt-1."));
    assertThat(new String(io.contents("ck/checkpoint"))).contains("model_checkpoint_path: \"ckpt-3\"")
        .contains("all_model_checkpoint_timestamps: ");
  }

  @Test
  void aNewManagerOnTheDirectoryContinuesNumberingAndRetention() {
    Job first = job();
    CheckpointManager a = manager(first).maxToKeep(2).build();
    a.save(first.session());
    a.save(first.session());

    Job second = job();
    CheckpointManager b = manager(second).maxToKeep(2).build();
    assertThat(b.latestCheckpoint()).isEqualTo("ck/ckpt-2");
    assertThat(b.restoreOrInitialize(second.session(), () -> { throw new AssertionError("must restore"); })).isEqualTo("ck/ckpt-2");
    assertThat(b.save(second.session())).isEqualTo("ck/ckpt-3");
    assertThat(io.allFiles()).noneMatch(f -> f.startsWith("ck/ckpt-1."));
  }

  @Test
  void keepEveryNHoursPreservesCheckpointsAtLeastNHoursApart() throws Exception {
    Job job = job();
    CheckpointManager manager = manager(job).maxToKeep(1).keepCheckpointEveryNHours(1.0).build();
    for (int i = 0; i < 5; i++) { // every 40 minutes
      manager.save(job.session());
      now.updateAndGet(t -> t + 40 * 60);
    }

    // ckpt-1 (0 min) is within an hour of the start; ckpt-2 (40 min) too; ckpt-3 (80 min) is preserved; ckpt-4 (120 min) not yet 1h after it
    assertThat(io.allFiles().stream().filter(f -> f.endsWith(".index"))).containsExactly("ck/ckpt-3.index", "ck/ckpt-5.index");
    CheckpointState state = Checkpoints.getCheckpointState(io, "ck", null);
    assertThat(state.allModelCheckpointPaths()).containsExactly("ck/ckpt-5");
  }

  @Test
  void aNewManagerFinishesTheDeletionsOfOneThatDiedAfterItsStateFile() {
    Job first = job();
    manager(first).maxToKeep(1).build().save(first.session());
    DyingFileIO<InMemoryFileIO> dying = new DyingFileIO<>(io, "ck/checkpoint"::equals);
    Job doomed = job(dying);
    CheckpointManager dyingManager = CheckpointManager.builder(doomed.saver(), dying, "ck").clock(now::get).maxToKeep(1).build();
    assertThatThrownBy(() -> dyingManager.save(doomed.session())).hasMessageContaining("simulated crash");
    assertThat(io.allFiles()).contains("ck/ckpt-1.index", "ck/.checkpoint.pending-deletions");

    manager(job()).maxToKeep(1).build();

    assertThat(io.allFiles()).noneMatch(f -> f.startsWith("ck/ckpt-1.") || f.contains("pending-deletions")).contains("ck/ckpt-2.index");
  }

  @Test
  void aStepCounterWithAnIntervalSkipsSavesThatComeTooSoon() {
    Job job = job();
    CheckpointManager manager = manager(job).stepCounter("step:0").checkpointInterval(100L).build();

    setStep(job, 0);
    assertThat(manager.save(job.session())).isEqualTo("ck/ckpt-1");
    setStep(job, 50);
    assertThat(manager.save(job.session())).isNull();
    assertThat(manager.save(job.session(), null, false)).isEqualTo("ck/ckpt-2");
    assertThat(manager.save(job.session(), null, false)).isNull(); // same step again
    setStep(job, 150);
    assertThat(manager.save(job.session(), 150L, true)).isEqualTo("ck/ckpt-150");
  }

  @Test
  void itsArgumentsAreCheckedAsTensorFlowDoes() {
    Job job = job();
    assertThatThrownBy(() -> manager(job).maxToKeep(0).build())
        .hasMessage("Expected a positive integer or None for `max_to_keep`, got 0.");
    assertThatThrownBy(() -> manager(job).checkpointInterval(5L).build())
        .hasMessage("`step_counter` should be passed if `checkpoint_interval` is not None.");
    CheckpointManager manager = manager(job).build();
    assertThat(manager.restoreOrInitialize(job.session(), () -> {})).isNull();
    assertThat(job.session().run(Map.of(), List.of("w:0")).get(0)).isEqualTo(Tensor.ofFloats(Shape.of(1), 1));
  }
}
