package io.sparkpoint.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.checkpoint.CheckpointState;
import io.sparkpoint.checkpoint.Checkpoints;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pending-deletions record: its format, and finishing it deletes unlisted recorded checkpoints only, once, and never on doubt. */
class PendingDeletionsTest {
  private final InMemoryFileIO io = new InMemoryFileIO();
  private final PendingDeletions pending = PendingDeletions.of(io, "run", null);

  /** Checkpoints 1 to 3 on disk with their meta graphs; the state file lists only 3. */
  @BeforeEach
  void threeCheckpointsOneListed() throws Exception {
    for (int step = 1; step <= 3; step++) {
      try (BundleWriter writer = BundleWriter.create(io, "run/model.ckpt-" + step)) {
        writer.add("w", Tensor.ofFloats(Shape.of(1), step));
        writer.finish();
      }
      io.put("run/model.ckpt-" + step + ".meta", new byte[] {1});
    }
    Checkpoints.updateCheckpointState(io, "run", new CheckpointState("run/model.ckpt-3", List.of("run/model.ckpt-3"), List.of(), 0), null,
        Checkpoints.PathStyle.RELATIVE);
  }

  private String record() {
    return new String(io.contents(pending.location()), StandardCharsets.UTF_8);
  }

  @Test
  void theRecordIsDocumentedTextBesideItsStateFile() throws Exception {
    pending.record(List.of("run/model.ckpt-1", "run/model.ckpt-2"), List.of("meta", "manifest.json"));

    assertThat(pending.location()).isEqualTo("run/.checkpoint.pending-deletions");
    assertThat(PendingDeletions.of(io, "run/", "latest").location()).isEqualTo("run/.latest.pending-deletions");
    assertThat(record()).isEqualTo("sparkpoint pending-deletions v1\nalso meta manifest.json\n"
        + "delete run/model.ckpt-1\ndelete run/model.ckpt-2\nend\n");
    assertThat(pending.read()).isEqualTo(new PendingDeletions.Contents(List.of("run/model.ckpt-1", "run/model.ckpt-2"),
        List.of("meta", "manifest.json")));
  }

  @Test
  void anEmptySweepWritesNoRecordAndANewSweepKeepsWhatTheOldRecordHolds() throws Exception {
    pending.record(List.of(), List.of("meta"));
    assertThat(io.allFiles()).doesNotContain(pending.location());

    pending.record(List.of("run/model.ckpt-1"), List.of());
    pending.record(List.of("run/model.ckpt-2", "run/model.ckpt-1"), List.of("meta"));

    assertThat(pending.read().prefixes()).containsExactly("run/model.ckpt-1", "run/model.ckpt-2");
    assertThat(pending.read().alsoSuffixes()).containsExactly("meta");
  }

  @Test
  void finishDeletesTheUnlistedRecordedCheckpointsKeepsListedOnesThenRemovesTheRecord() throws Exception {
    pending.record(List.of("run/model.ckpt-1", "run/model.ckpt-3"), List.of("meta"));
    assertThat(pending.leftovers()).containsExactly("run/model.ckpt-1");

    PendingDeletions.Finished finished = pending.finish();

    assertThat(finished.prefixes()).containsExactly("run/model.ckpt-1");
    assertThat(finished.files()).containsExactly("run/model.ckpt-1.index", "run/model.ckpt-1.data-00000-of-00001", "run/model.ckpt-1.meta");
    assertThat(finished.failures()).isEmpty();
    assertThat(io.allFiles()).noneMatch(f -> f.startsWith("run/model.ckpt-1.")).doesNotContain(pending.location())
        .contains("run/model.ckpt-2.index", "run/model.ckpt-3.index", "run/model.ckpt-3.meta");
  }

  @Test
  void finishingIsIdempotentAndTakesDataFilesWhoseIndexIsAlreadyGone() throws Exception {
    pending.record(List.of("run/model.ckpt-1", "run/model.ckpt-9"), List.of("meta"));
    io.deleteFile("run/model.ckpt-1.index"); // a crash in the middle of an earlier finish

    assertThat(pending.finish().files()).containsExactly("run/model.ckpt-1.data-00000-of-00001", "run/model.ckpt-1.meta");
    assertThat(pending.finish()).isEqualTo(new PendingDeletions.Finished(List.of(), List.of(), List.of()));
    assertThat(io.allFiles()).noneMatch(f -> f.startsWith("run/model.ckpt-1."));
  }

  @Test
  void anInvalidRecordFailsNamingTheFileAndDeletesNothing() {
    io.put(pending.location(), "sparkpoint pending-deletions v1\nalso meta\ndelete run/model.ckpt-1\n".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(pending::finish).hasMessage("Invalid pending-deletions record run/.checkpoint.pending-deletions: the last line is "
        + "'delete run/model.ckpt-1', expected 'end', so it may be cut short. Nothing was deleted; check the checkpoints it names against "
        + "the state file, then remove it by hand");
    assertThat(io.allFiles()).contains("run/model.ckpt-1.index", pending.location());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage\n", "sparkpoint pending-deletions v2\nalso\nend\n", "sparkpoint pending-deletions v1\nend\n",
      "sparkpoint pending-deletions v1\nalso\nremove run/model.ckpt-1\nend\n", "sparkpoint pending-deletions v1\nalso\ndelete run/model.ckpt-1\nend"})
  void everyMalformedRecordIsRefused(String text) {
    io.put(pending.location(), text.getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(pending::read).hasMessageStartingWith("Invalid pending-deletions record run/.checkpoint.pending-deletions: ");
  }

  @Test
  void anUnreadableStateFileStopsTheFinishNamingTheRecord() throws Exception {
    pending.record(List.of("run/model.ckpt-1"), List.of());
    io.put("run/checkpoint", "not a state file {".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(pending::finish)
        .hasMessageStartingWith("Cannot finish the pending deletions of run/.checkpoint.pending-deletions: which checkpoints the state file lists is unknown: Invalid checkpoint state");
    assertThat(io.allFiles()).contains("run/model.ckpt-1.index");
  }

  @Test
  void aPrefixThatCannotBeWrittenOnOneLineIsRefused() {
    assertThatThrownBy(() -> pending.record(List.of("run/a\nb"), List.of()))
        .hasMessage("Cannot record checkpoint prefix 'run/a\nb' for deletion: it is empty or has a line break");
  }
}
