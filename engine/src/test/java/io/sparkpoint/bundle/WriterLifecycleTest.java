package io.sparkpoint.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.UnsupportedDTypeException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Writers from start to finish or failure: what they refuse, and what they leave behind. */
class WriterLifecycleTest {
  private static final String ALL_DTYPES = "libtensorflow-2.18-generated/all_dtypes_v2/ckpt";
  private static final Tensor FLOATS = Tensor.ofFloats(Shape.of(2), 1f, 2f);

  private final InMemoryFileIO io = TestFixtures.memory();

  // --- BundleWriter

  @Test
  void duplicateKeyIsRefused() throws Exception {
    try (BundleWriter writer = BundleWriter.create(io, "/mem/p")) {
      writer.add("x", FLOATS);
      assertThatThrownBy(() -> writer.add("x", FLOATS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Adding duplicate key: x");
    }
  }

  @Test
  void emptyNameIsRefusedBecauseTheHeaderOwnsIt() throws Exception {
    try (BundleWriter writer = BundleWriter.create(io, "/mem/p")) {
      assertThatThrownBy(() -> writer.add("", FLOATS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Invalid tensor name: the empty name is reserved for the checkpoint header");
    }
  }

  @Test
  void addAfterFinishIsRefusedNamingTheState() throws Exception {
    try (BundleWriter writer = BundleWriter.create(io, "/mem/p")) {
      writer.add("x", FLOATS);
      writer.finish();
      assertThatThrownBy(() -> writer.add("y", FLOATS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Cannot write to checkpoint /mem/p: the writer is finished");
    }
  }

  @Test
  void addAfterAbandonIsRefusedNamingTheState() throws Exception {
    try (BundleWriter writer = BundleWriter.create(io, "/mem/p")) {
      writer.abandon();
      assertThatThrownBy(() -> writer.add("y", FLOATS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Cannot write to checkpoint /mem/p: the writer is abandoned");
      assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class).hasMessageEndingWith("the writer is abandoned");
    }
  }

  @Test
  void abandonLeavesNoFiles() throws Exception {
    BundleWriter writer = BundleWriter.create(io, "/mem/p");
    writer.add("x", FLOATS);
    writer.abandon();
    assertThat(io.allFiles()).isEmpty();
  }

  @Test
  void closeWithoutFinishLeavesNoFiles() throws Exception {
    try (BundleWriter writer = BundleWriter.create(io, "/mem/p")) {
      writer.add("x", FLOATS);
      writer.add("s", Tensor.ofStrings(Shape.of(2), "a", "b"));
    }
    assertThat(io.allFiles()).isEmpty();
  }

  @ParameterizedTest(name = "rename to {0} fails")
  @ValueSource(strings = {".data-00000-of-00001", ".index"})
  void renameFailureDuringFinishLeavesNoIndexNoTempFilesAndOlderCheckpointsIntact(String failing) throws Exception {
    try (BundleWriter old = BundleWriter.create(io, "/mem/d/old")) {
      old.add("x", FLOATS);
      old.finish();
    }
    Map<String, byte[]> before = Map.of(
        "/mem/d/old.index", io.contents("/mem/d/old.index"),
        "/mem/d/old.data-00000-of-00001", io.contents("/mem/d/old.data-00000-of-00001"));
    io.failRenamesWhen(target -> target.endsWith("/new" + failing));
    try (BundleWriter writer = BundleWriter.create(io, "/mem/d/new")) {
      writer.add("x", Tensor.ofFloats(Shape.of(2), 3f, 4f));
      assertThatThrownBy(writer::finish).isInstanceOf(IOException.class).hasMessageStartingWith("Injected failure renaming");
      assertThat(io.allFiles()).as("right after the failed finish").noneMatch(f -> f.startsWith("/mem/d/new.index") || f.contains("tempstate"));
    }
    assertThat(io.allFiles()).noneMatch(f -> f.startsWith("/mem/d/new.index") || f.contains("tempstate"));
    for (Map.Entry<String, byte[]> file : before.entrySet()) {
      assertThat(io.contents(file.getKey())).as(file.getKey()).isEqualTo(file.getValue());
    }
    try (BundleReader reader = BundleReader.open(io, "/mem/d/old")) {
      assertThat(reader.lookup("x")).isEqualTo(FLOATS);
    }
  }

  @Test
  void missingParentDirectoryIsNotFoundAsSaveV2SaysIt() {
    assertThatThrownBy(() -> BundleWriter.create(io, "/mem/no/such/ckpt"))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessage("/mem/no/such; No such file or directory");
    assertThat(io.allFiles()).isEmpty();
  }

  @Test
  void resourceTensorsAreRefusedBeforeAnythingIsWritten() throws Exception {
    try (BundleWriter writer = BundleWriter.create(io, "/mem/p")) {
      assertThatThrownBy(() -> writer.add("handle", Tensor.of(DType.RESOURCE, Shape.scalar(), new byte[0])))
          .isInstanceOf(UnsupportedDTypeException.class)
          .hasMessageStartingWith("Unsupported dtype resource");
      assertThatThrownBy(() -> DType.RESOURCE.checkStorable("handle"))
          .isInstanceOf(UnsupportedDTypeException.class)
          .hasMessage("Unsupported dtype resource for tensor handle: checkpoints store values, and Sparkpoint cannot store resource tensors");
      assertThat(writer.finish()).isZero();
    }
  }

  // --- ShardedBundleWriter

  @Test
  void threeShardsRoundTrip() throws Exception {
    Map<String, Tensor> tensors = TestFixtures.everyDtype(5);
    List<String> names = List.copyOf(tensors.keySet());
    try (ShardedBundleWriter writer = ShardedBundleWriter.create(io, "/mem/s/ckpt", 3)) {
      for (int i = 0; i < names.size(); i++) {
        writer.shard(i % 3).add(names.get(i), tensors.get(names.get(i)));
      }
      BundleMerger.Result result = writer.finish();
      assertThat(result.numShards()).isEqualTo(3);
      assertThat(result.entries()).isEqualTo(names.size());
    }
    try (BundleReader reader = BundleReader.open(io, "/mem/s/ckpt")) {
      assertThat(reader.numShards()).isEqualTo(3);
      for (int i = 0; i < names.size(); i++) {
        assertThat(reader.lookup(names.get(i))).as(names.get(i)).isEqualTo(tensors.get(names.get(i)));
        assertThat(reader.entry(names.get(i)).getShardId()).isEqualTo(i % 3);
      }
    }
    assertThat(io.allFiles()).containsExactlyInAnyOrder(
        "/mem/s/ckpt.index", "/mem/s/ckpt.data-00000-of-00003", "/mem/s/ckpt.data-00001-of-00003", "/mem/s/ckpt.data-00002-of-00003");
  }

  @Test
  void failureInTheMergeLeavesNoIndex() throws Exception {
    io.failRenamesWhen(target -> target.equals("/mem/s/ckpt.index"));
    try (ShardedBundleWriter writer = ShardedBundleWriter.create(io, "/mem/s/ckpt", 3)) {
      for (int i = 0; i < 3; i++) {
        writer.shard(i).add("t" + i, FLOATS);
      }
      assertThatThrownBy(writer::finish).isInstanceOf(IOException.class).hasMessageContaining("/mem/s/ckpt.index");
    }
    assertThat(io.allFiles()).doesNotContain("/mem/s/ckpt.index").noneMatch(f -> f.contains("_temp_") || f.contains("tempstate"));
  }

  // --- Resharder

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {ALL_DTYPES, "libtensorflow-2.18-generated/partitioned_v2/ckpt", "libtensorflow-2.18-generated/sharded_v2/ckpt"})
  void reshardingToThreeShardsAndBackKeepsEveryTensor(String fixture) throws Exception {
    String source = TestFixtures.copyToMemory(io, fixture, "source");
    Resharder.Result three = Resharder.reshard(io, source, "/mem/three/ckpt", 3);
    assertThat(three.numShards()).isEqualTo(3);
    assertThat(Arrays.stream(three.shardBytes()).allMatch(bytes -> bytes >= 0)).isTrue();
    Resharder.reshard(io, "/mem/three/ckpt", "/mem/one/ckpt", 1);
    try (BundleReader original = BundleReader.open(io, source);
        BundleReader sharded = BundleReader.open(io, "/mem/three/ckpt");
        BundleReader single = BundleReader.open(io, "/mem/one/ckpt")) {
      assertThat(sharded.numShards()).isEqualTo(3);
      assertThat(single.numShards()).isEqualTo(1);
      assertThat(sharded.tensorNames()).isEqualTo(original.tensorNames());
      assertThat(single.tensorNames()).isEqualTo(original.tensorNames());
      for (String name : original.tensorNames()) {
        Tensor expected = original.lookup(name);
        assertThat(sharded.lookup(name)).as(name).isEqualTo(expected);
        assertThat(single.lookup(name)).as(name).isEqualTo(expected);
      }
    }
    assertThat(BundleValidator.validate(io, "/mem/three/ckpt").problems()).isEmpty();
    assertThat(BundleValidator.validate(io, "/mem/one/ckpt").problems()).isEmpty();
  }

  @Test
  void reshardingIntoMoreShardsThanTensorsIsRefused() {
    String source = TestFixtures.copyToMemory(io, ALL_DTYPES, "source");
    assertThatThrownBy(() -> Resharder.reshard(io, source, "/mem/many/ckpt", 25))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot reshard " + source + " into 25 shards: it holds only 24 stored tensors");
    assertThat(io.allFiles()).noneMatch(f -> f.startsWith("/mem/many"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dt_float", "dt_string"})
  void corruptedSourceTensorFailsTheReshardAndLeavesNoIndex(String tensor) throws Exception {
    String source = TestFixtures.copyToMemory(io, ALL_DTYPES, "source");
    flipDataByte(source, tensor);
    assertThatThrownBy(() -> Resharder.reshard(io, source, "/mem/out/ckpt", 2))
        .isInstanceOf(CorruptBundleException.class)
        .hasMessageContaining("Checksum does not match for tensor " + tensor + " in " + source + ".data-00000-of-00001");
    assertThat(io.allFiles()).doesNotContain("/mem/out/ckpt.index").noneMatch(f -> f.contains("_temp_"));
  }

  // --- BundleValidator

  @Test
  void cleanCheckpointIsValid() {
    String prefix = TestFixtures.copyToMemory(io, ALL_DTYPES, "clean");
    BundleValidator.Report report = BundleValidator.validate(io, prefix);
    assertThat(report.isValid()).isTrue();
    assertThat(report.tensorsChecked()).isEqualTo(24);
    assertThat(report.bytesChecked()).isPositive();
  }

  @Test
  void flippedDataByteIsReportedWithFileAndTensor() throws Exception {
    String prefix = TestFixtures.copyToMemory(io, ALL_DTYPES, "flip");
    flipDataByte(prefix, "dt_float");
    BundleValidator.Report report = BundleValidator.validate(io, prefix);
    assertThat(report.isValid()).isFalse();
    assertThat(report.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.file()).isEqualTo(prefix + ".data-00000-of-00001");
      assertThat(problem.tensor()).isEqualTo("dt_float");
      assertThat(problem.message()).startsWith("Checksum does not match for tensor dt_float");
    });
    assertThat(report.tensorsChecked()).isEqualTo(23);
  }

  @Test
  void missingShardIsReportedWithFileAndEveryTensorInIt() {
    String prefix = TestFixtures.copyToMemory(io, "libtensorflow-2.18-generated/sharded_v2/ckpt", "sharded");
    String missing = prefix + ".data-00001-of-00002";
    io.deleteFile(missing);
    BundleValidator.Report report = BundleValidator.validate(io, prefix);
    assertThat(report.problems()).extracting(BundleValidator.Problem::toString).containsExactly(
        missing + ": missing data shard 1 of 2",
        missing + ": b_int64: cannot be read: its data shard is missing",
        missing + ": d_bool: cannot be read: its data shard is missing",
        missing + ": global_step: cannot be read: its data shard is missing");
    assertThat(report.tensorsChecked()).isEqualTo(2);
  }

  @Test
  void everyProblemIsReportedNotOnlyTheFirst() throws Exception {
    String prefix = TestFixtures.copyToMemory(io, ALL_DTYPES, "many");
    for (String tensor : List.of("dt_float", "dt_int64", "dt_string")) {
      flipDataByte(prefix, tensor);
    }
    BundleValidator.Report report = BundleValidator.validate(io, prefix);
    assertThat(report.problems()).extracting(BundleValidator.Problem::tensor).containsExactly("dt_float", "dt_int64", "dt_string");
    assertThat(report.problems()).allSatisfy(problem -> assertThat(problem.file()).isEqualTo(prefix + ".data-00000-of-00001"));
    assertThat(report.tensorsChecked()).isEqualTo(21);
  }

  private void flipDataByte(String prefix, String tensor) throws IOException {
    long offset;
    try (BundleReader reader = BundleReader.open(io, prefix)) {
      offset = reader.entry(tensor).getOffset() + reader.entry(tensor).getSize() - 1;
    }
    String data = prefix + ".data-00000-of-00001";
    byte[] bytes = io.contents(data);
    bytes[(int) offset] ^= 0x40;
    io.put(data, bytes);
  }
}
