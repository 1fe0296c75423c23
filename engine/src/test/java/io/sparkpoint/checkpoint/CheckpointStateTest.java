package io.sparkpoint.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The `checkpoint` state file: TensorFlow's text, its paths, and how it is replaced. */
class CheckpointStateTest {
  private static final FileIO LOCAL = HadoopFileIO.withDefaults();
  /** Format facts §4.1, as CheckpointManager writes it. */
  private static final String MANAGER_EXAMPLE =
      """
      model_checkpoint_path: "ckpt-4"
      all_model_checkpoint_paths: "ckpt-3"
      all_model_checkpoint_paths: "ckpt-4"
      all_model_checkpoint_timestamps: 1700000100.25
      all_model_checkpoint_timestamps: 1700000200.5
      last_preserved_timestamp: 1699999999.0
      """;

  private final InMemoryFileIO io = TestFixtures.memory();

  static List<Path> stateFiles() {
    try (Stream<Path> files = Files.walk(TestFixtures.tfReal())) {
      return files.filter(p -> p.getFileName().toString().equals("checkpoint") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stateFiles")
  void everyStateFileTensorFlowWroteParsesAndRendersBackByteForByte(Path file) throws Exception {
    String text = Files.readString(file);
    CheckpointState parsed = CheckpointStateParser.parse(text);
    assertThat(parsed.modelCheckpointPath()).isNotEmpty();
    assertThat(parsed.allModelCheckpointPaths()).endsWith(parsed.modelCheckpointPath());
    assertThat(CheckpointStateParser.toText(parsed)).isEqualTo(text);

    String directory = file.getParent().toString();
    CheckpointState state = Checkpoints.getCheckpointState(LOCAL, directory, null);
    assertThat(state.modelCheckpointPath()).startsWith(directory + "/");
    assertThat(state.allModelCheckpointPaths()).hasSameSizeAs(parsed.allModelCheckpointPaths()).allMatch(p -> p.startsWith(directory + "/"));
  }

  @Test
  void retainedCheckpointsAreListedOldestFirst() throws Exception {
    String directory = TestFixtures.prefix("ipo-estimator/data_model");
    CheckpointState state = Checkpoints.getCheckpointState(LOCAL, directory, null);
    assertThat(state.allModelCheckpointPaths()).containsExactly(
        directory + "/model.ckpt-3384", directory + "/model.ckpt-3385", directory + "/model.ckpt-3572",
        directory + "/model.ckpt-3573", directory + "/model.ckpt-3760");
    assertThat(state.allModelCheckpointTimestamps()).isEmpty();
    assertThat(state.lastPreservedTimestamp()).isZero();
  }

  @Test
  void writeThenParseKeepsPathsAndTimestamps() throws Exception {
    CheckpointState state = new CheckpointState("ckpt-4", List.of("ckpt-3", "ckpt-4"), List.of(1700000100.25, 1700000200.5), 1699999999.0);
    assertThat(CheckpointStateParser.parse(CheckpointStateParser.toText(state))).isEqualTo(state);
  }

  @Test
  void textMatchesTensorFlowsLayoutExactly() throws Exception {
    CheckpointState state = new CheckpointState("ckpt-4", List.of("ckpt-3", "ckpt-4"), List.of(1700000100.25, 1700000200.5), 1699999999.0);
    assertThat(CheckpointStateParser.toText(state)).isEqualTo(MANAGER_EXAMPLE);
    assertThat(CheckpointStateParser.parse(MANAGER_EXAMPLE)).isEqualTo(state);
  }

  @Test
  void latestCheckpointJoinsARelativePathOntoTheDirectory() throws Exception {
    String directory = TestFixtures.prefix("tf2onnx/regression/checkpoint");
    assertThat(Checkpoints.latestCheckpoint(LOCAL, directory, null)).isEqualTo(directory + "/model");
  }

  /** The state names /tmp/bad_half_plus_two/00000123/export; the V1 file lies next to the state file. */
  @Test
  void latestCheckpointResolvesAnAbsolutePathFromAnotherMachineIntoTheDirectory() throws Exception {
    String directory = TestFixtures.prefix("serving/bad_half_plus_two/00000123");
    assertThat(Files.exists(Path.of("/tmp/bad_half_plus_two/00000123/export"))).isFalse();
    assertThat(Checkpoints.latestCheckpoint(LOCAL, directory, null)).isEqualTo(directory + "/export");
    assertThat(Checkpoints.checkpointExists(LOCAL, directory + "/export")).as("a V1 file counts").isTrue();
  }

  @Test
  void noStateFileMeansNoState() throws Exception {
    io.createDirectories("/mem/empty");
    assertThat(Checkpoints.getCheckpointState(io, "/mem/empty", null)).isNull();
    assertThat(Checkpoints.latestCheckpoint(io, "/mem/empty", null)).isNull();
  }

  @Test
  void unparsableStateFileNamesTheFileWithLineAndColumn() {
    io.put("/mem/d/checkpoint", "model_checkpoint_path: \"ckpt-1\"\nbogus_field: 3\n".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Checkpoints.getCheckpointState(io, "/mem/d", null))
        .isInstanceOf(InvalidCheckpointStateException.class)
        .hasMessageStartingWith("Invalid checkpoint state loaded from /mem/d/checkpoint: 2:1: ")
        .hasMessageContaining("bogus_field");
  }

  @Test
  void stateWithoutAModelPathIsInvalid() {
    io.put("/mem/d/checkpoint", "all_model_checkpoint_paths: \"ckpt-1\"\n".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Checkpoints.getCheckpointState(io, "/mem/d", null))
        .isInstanceOf(InvalidCheckpointStateException.class)
        .hasMessage("Invalid checkpoint state loaded from /mem/d: model_checkpoint_path is empty");
  }

  @Test
  void failedUpdateLeavesTheOldStateFileAndNoTempFile() throws Exception {
    io.createDirectories("/mem/d");
    Checkpoints.updateCheckpointState(io, "/mem/d", CheckpointState.of("/mem/d/ckpt-1"), null, Checkpoints.PathStyle.RELATIVE);
    byte[] before = io.contents("/mem/d/checkpoint");
    io.failRenamesWhen(target -> target.equals("/mem/d/checkpoint"));
    assertThatThrownBy(() -> Checkpoints.updateCheckpointState(
            io, "/mem/d", CheckpointState.of("/mem/d/ckpt-2"), null, Checkpoints.PathStyle.RELATIVE))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("Injected failure renaming /mem/d/checkpoint.tmp");
    assertThat(io.contents("/mem/d/checkpoint")).isEqualTo(before);
    assertThat(io.allFiles()).containsExactly("/mem/d/checkpoint");
  }

  @Test
  void relativeStyleWritesPathsInsideTheDirectoryRelativeToIt() throws Exception {
    io.createDirectories("/mem/d");
    CheckpointState state = new CheckpointState("/mem/d/ckpt-2", List.of("/elsewhere/ckpt-0", "/mem/d/ckpt-1"), List.of(), 0);
    Checkpoints.updateCheckpointState(io, "/mem/d", state, null, Checkpoints.PathStyle.RELATIVE);
    assertThat(new String(io.contents("/mem/d/checkpoint"), StandardCharsets.UTF_8)).isEqualTo(
        """
        model_checkpoint_path: "ckpt-2"
        all_model_checkpoint_paths: "/elsewhere/ckpt-0"
        all_model_checkpoint_paths: "ckpt-1"
        all_model_checkpoint_paths: "ckpt-2"
        """);
    CheckpointState read = Checkpoints.getCheckpointState(io, "/mem/d", null);
    assertThat(read.modelCheckpointPath()).isEqualTo("/mem/d/ckpt-2");
    assertThat(read.allModelCheckpointPaths()).containsExactly("/elsewhere/ckpt-0", "/mem/d/ckpt-1", "/mem/d/ckpt-2");
  }

  @Test
  void asGivenStyleKeepsAbsolutePaths() throws Exception {
    io.createDirectories("/mem/d");
    Checkpoints.updateCheckpointState(io, "/mem/d", CheckpointState.of("/mem/d/ckpt-1"), "latest", Checkpoints.PathStyle.AS_GIVEN);
    assertThat(new String(io.contents("/mem/d/latest"), StandardCharsets.UTF_8))
        .isEqualTo("model_checkpoint_path: \"/mem/d/ckpt-1\"\nall_model_checkpoint_paths: \"/mem/d/ckpt-1\"\n");
  }

  @Test
  void mismatchedTimestampsAreRefusedWithTensorFlowsWording() {
    assertThatThrownBy(() -> new CheckpointState("b", List.of("a", "b"), List.of(1.0), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Checkpoint timestamps, if provided, must match checkpoint paths (got paths [a, b] and timestamps [1.0])");
    io.createDirectories("/mem/d");
    CheckpointState onePathOneTime = new CheckpointState("b", List.of("a"), List.of(1.0), 0); // "b" is appended on write
    assertThatThrownBy(() -> Checkpoints.updateCheckpointState(io, "/mem/d", onePathOneTime, null, Checkpoints.PathStyle.AS_GIVEN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Checkpoint timestamps, if provided, must match checkpoint paths (got paths [a, b] and timestamps [1.0])");
    assertThat(io.allFiles()).isEmpty();
  }

  @Test
  void savePathEqualToTheStateFileIsRefused() {
    io.createDirectories("/mem/d");
    assertThatThrownBy(() -> Checkpoints.updateCheckpointState(
            io, "/mem/d", CheckpointState.of("/mem/d/checkpoint"), null, Checkpoints.PathStyle.RELATIVE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Save path '/mem/d/checkpoint' conflicts with path used for checkpoint state.  Please use a different save path.");
  }
}
