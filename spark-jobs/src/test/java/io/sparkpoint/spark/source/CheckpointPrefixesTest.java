package io.sparkpoint.spark.source;

import io.sparkpoint.checkpoint.Checkpoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.bundle.UnsupportedBundleException;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.tensor.Tensor;
import java.io.FileNotFoundException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointPrefixesTest {
  private final InMemoryFileIO io = TestFixtures.memory();

  private String save(String prefix) {
    return TestCheckpoints.write(io, prefix, Map.of("w", Tensor.scalar(1f)));
  }

  @Test
  void theStepIsTheDashNumberSuffixOfThePrefix() {
    assertThat(Checkpoints.stepOf("hdfs://nn/run/model.ckpt-100")).isEqualTo(100L);
    assertThat(Checkpoints.stepOf("/run/ckpt-7")).isEqualTo(7L);
    assertThat(Checkpoints.stepOf("/run-5/model")).isNull();
    assertThat(Checkpoints.stepOf("/run/model.ckpt-99999999999999999999")).isNull();
  }

  @Test
  void aPrefixIsItselfAndADirectoryItsLatestOrAllListedCheckpoints() throws Exception {
    String one = save("/mem/run/model.ckpt-1");
    String two = save("/mem/run/model.ckpt-2");
    TestCheckpoints.state(io, "/mem/run", one, two);
    assertThat(CheckpointPrefixes.resolve(io, List.of(one), false)).containsExactly(one);
    assertThat(CheckpointPrefixes.resolve(io, List.of(one), true)).containsExactly(one);
    assertThat(CheckpointPrefixes.resolve(io, List.of("/mem/run"), false)).containsExactly(two);
    assertThat(CheckpointPrefixes.resolve(io, List.of("/mem/run"), true)).containsExactly(one, two);
    assertThat(CheckpointPrefixes.resolve(io, List.of("/mem/run", two, one), true)).containsExactly(one, two);
  }

  @Test
  void listedCheckpointsThatRetentionDeletedAreSkipped() throws Exception {
    String one = save("/mem/run/model.ckpt-1");
    String two = save("/mem/run/model.ckpt-2");
    TestCheckpoints.state(io, "/mem/run", one, two);
    io.deleteFile(one + ".index");
    assertThat(CheckpointPrefixes.resolve(io, List.of("/mem/run"), true)).containsExactly(two);
  }

  @Test
  void aPathThatIsNoCheckpointFailsNamingItAndWhatWasExpected() {
    assertThatThrownBy(() -> CheckpointPrefixes.resolve(io, List.of("/mem/nothing/model.ckpt-5"), false))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessage("Cannot find a checkpoint at /mem/nothing/model.ckpt-5: expected /mem/nothing/model.ckpt-5.index "
            + "or a directory with a 'checkpoint' state file");
    io.createDirectories("/mem/empty");
    assertThatThrownBy(() -> CheckpointPrefixes.resolve(io, List.of("/mem/empty"), true))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessage("Couldn't find 'checkpoint' file or checkpoints in given directory /mem/empty");
  }

  @Test
  void aV1CheckpointFailsSayingSo() {
    io.put("/mem/v1/model.ckpt", new byte[] {1});
    assertThatThrownBy(() -> CheckpointPrefixes.resolve(io, List.of("/mem/v1/model.ckpt"), false))
        .isInstanceOf(UnsupportedBundleException.class)
        .hasMessageStartingWith("V1 format not supported: /mem/v1/model.ckpt is a V1 checkpoint");
  }
}
