package io.sparkpoint.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.bundle.BundleNaming;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.restore.PartialRestore.Mode;
import io.sparkpoint.restore.PartialRestore.Status;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code restore-partial}: OUT holds every DST variable, restored ones byte for byte from SRC; idempotent, all or nothing. */
class PartialRestoreTest {
  private static final String SRC = "/mem/src/ckpt";
  private static final String DST = "/mem/dst/ckpt";
  private static final String OUT = "/mem/out/ckpt";
  private static final RestoreOptions WARM_START =
      RestoreOptions.defaults().withMap("^old/(.*)$=new/$1").withMap("emb=enc/emb").withMap("emb=dec/emb");

  private final InMemoryFileIO io = TestFixtures.memory();

  @BeforeEach
  void sourceAndTarget() throws IOException {
    Map<String, Tensor> source = new LinkedHashMap<>();
    source.put("old/w", Tensor.ofFloats(Shape.of(4, 3), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
    source.put("old/b", Tensor.ofFloats(Shape.of(5), 1, 2, 3, 4, 5));
    source.put("emb", Tensor.ofFloats(Shape.of(2, 2), 7, 8, 9, 10));
    source.put("names", Tensor.ofStrings(Shape.of(3), "alpha", "", "gamma ✓"));
    source.put("extra", Tensor.ofLongs(Shape.of(1), 42));
    write(SRC, source);
    Map<String, Tensor> target = new LinkedHashMap<>();
    target.put("new/w", Tensor.ofFloats(Shape.of(4, 3), new float[12]));
    target.put("new/b", Tensor.ofFloats(Shape.of(5), new float[5]));
    target.put("enc/emb", Tensor.ofFloats(Shape.of(2, 2), new float[4]));
    target.put("dec/emb", Tensor.ofFloats(Shape.of(2, 2), new float[4]));
    target.put("names", Tensor.ofStrings(Shape.of(3), "x", "y", "z"));
    target.put("fresh/v", Tensor.ofFloats(Shape.of(2), -1, -2));
    write(DST, target);
    io.put(DST + ".meta", "the target's meta graph".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void restoredTensorsAreTheSourcesStoredBytesAndTheRestKeepTheTargetsValues() throws IOException {
    PartialRestore.Result result = PartialRestore.run(io, SRC, DST, OUT, WARM_START, Mode.CREATE);

    assertThat(result.status()).isEqualTo(Status.WRITTEN);
    assertThat(result.plan().renamed()).containsOnly(Map.entry("new/w", "old/w"), Map.entry("new/b", "old/b"),
        Map.entry("enc/emb", "emb"), Map.entry("dec/emb", "emb"));
    assertThat(result.plan().targets(RestorePlan.Outcome.MATCHED)).containsExactly("names");
    assertThat(result.plan().targets(RestorePlan.Outcome.MISSING)).containsExactly("fresh/v");
    assertThat(result.plan().unusedSources()).containsExactly("extra");
    try (BundleReader out = BundleReader.open(io, OUT)) {
      assertThat(out.tensorNames()).containsExactly("dec/emb", "enc/emb", "fresh/v", "names", "new/b", "new/w");
    }
    assertSameStoredTensor(SRC, "old/w", OUT, "new/w");
    assertSameStoredTensor(SRC, "emb", OUT, "enc/emb");
    assertSameStoredTensor(SRC, "emb", OUT, "dec/emb");
    assertSameStoredTensor(SRC, "names", OUT, "names");
    assertSameStoredTensor(DST, "fresh/v", OUT, "fresh/v");
    assertThat(io.contents(OUT + ".meta")).isEqualTo(io.contents(DST + ".meta"));
  }

  @Test
  void aRerunFindsItsOwnOutputAndWritesNothing() throws IOException {
    PartialRestore.run(io, SRC, DST, OUT, WARM_START, Mode.CREATE);
    Map<String, byte[]> before = snapshot();

    PartialRestore.Result again = PartialRestore.run(io, SRC, DST, OUT, WARM_START, Mode.CREATE);

    assertThat(again.status()).isEqualTo(Status.UNCHANGED);
    assertThat(again.plan().lines()).isEqualTo(PartialRestore.run(io, SRC, DST, "/mem/other", WARM_START, Mode.DRY_RUN).plan().lines());
    assertSameFiles(before, snapshot());
  }

  @Test
  void aRerunAfterAnInterruptedMetaCopyCompletesIt() throws IOException {
    PartialRestore.run(io, SRC, DST, OUT, WARM_START, Mode.CREATE);
    io.deleteFile(OUT + ".meta");

    assertThat(PartialRestore.run(io, SRC, DST, OUT, WARM_START, Mode.CREATE).status()).isEqualTo(Status.WRITTEN);
    assertThat(io.contents(OUT + ".meta")).isEqualTo(io.contents(DST + ".meta"));
  }

  @Test
  void otherContentAtOutIsReplacedOnlyWithOverwrite() throws IOException {
    PartialRestore.run(io, SRC, DST, OUT, RestoreOptions.defaults(), Mode.CREATE); // nothing renamed: another checkpoint
    Map<String, byte[]> before = snapshot();

    assertThatThrownBy(() -> PartialRestore.run(io, SRC, DST, OUT, WARM_START, Mode.CREATE))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessage(OUT + ".index: Cannot write " + OUT + ": a checkpoint with other content is there (tensor dec/emb differs); "
            + "pass --overwrite to replace it");
    assertSameFiles(before, snapshot());

    assertThat(PartialRestore.run(io, SRC, DST, OUT, WARM_START, Mode.OVERWRITE).status()).isEqualTo(Status.WRITTEN);
    assertSameStoredTensor(SRC, "old/w", OUT, "new/w");
  }

  @Test
  void aMismatchFailsBeforeAnythingIsWritten() throws IOException {
    write(DST, Map.of("new/w", Tensor.ofFloats(Shape.of(3, 4), new float[12]), "new/b", Tensor.ofFloats(Shape.of(5), new float[5])));
    Map<String, byte[]> before = snapshot();

    assertThatThrownBy(() -> PartialRestore.run(io, SRC, DST, OUT, WARM_START, Mode.CREATE))
        .isInstanceOf(RestoreMismatchException.class)
        .hasMessageStartingWith("Cannot restore 1 variable of " + DST + " from " + SRC + ": new/w [3,4] <- old/w [4,3] (shapes differ)");
    assertSameFiles(before, snapshot());
  }

  @Test
  void reshapeRecordsTheTargetsShapeOverTheSourcesBytes() throws IOException {
    write(DST, Map.of("new/w", Tensor.ofFloats(Shape.of(3, 4), new float[12]), "new/b", Tensor.ofFloats(Shape.of(5), new float[5])));

    PartialRestore.Result result = PartialRestore.run(io, SRC, DST, OUT, WARM_START.allowingReshape(), Mode.CREATE);

    assertThat(result.plan().reshaped()).containsExactly("new/w");
    try (BundleReader out = BundleReader.open(io, OUT); BundleReader src = BundleReader.open(io, SRC)) {
      assertThat(out.lookup("new/w")).isEqualTo(Tensor.ofFloats(Shape.of(3, 4), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
      assertThat(out.entry("new/w").getCrc32C()).isEqualTo(src.entry("old/w").getCrc32C());
    }
  }

  @Test
  void skipMismatchedKeepsTheTargetsValue() throws IOException {
    write(DST, Map.of("new/w", Tensor.ofFloats(Shape.of(3, 4), new float[12]), "new/b", Tensor.ofFloats(Shape.of(5), new float[5])));

    PartialRestore.Result result = PartialRestore.run(io, SRC, DST, OUT, WARM_START.skippingMismatched(), Mode.CREATE);

    assertThat(result.plan().skipped()).containsExactly("new/w");
    assertSameStoredTensor(DST, "new/w", OUT, "new/w");
    assertSameStoredTensor(SRC, "old/b", OUT, "new/b");
  }

  @Test
  void aDryRunWritesNothingAndReportsWhatWouldFail() throws IOException {
    write(DST, Map.of("new/w", Tensor.ofFloats(Shape.of(3, 4), new float[12])));
    Map<String, byte[]> before = snapshot();

    PartialRestore.Result result = PartialRestore.run(io, SRC, DST, OUT, WARM_START, Mode.DRY_RUN);

    assertThat(result.dryRun()).isTrue();
    assertThat(result.plan().lines()).contains("mismatch new/w [3,4] <- old/w [4,3]");
    assertThat(result.problem()).startsWith("Cannot restore 1 variable");
    assertSameFiles(before, snapshot());
  }

  @Test
  void outMayBeNeitherTheTargetNorTheSource() {
    assertThatThrownBy(() -> PartialRestore.run(io, SRC, DST, "/mem/dst/../dst/ckpt", WARM_START, Mode.CREATE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot write the restored checkpoint to /mem/dst/../dst/ckpt: it is the target checkpoint " + DST
            + ", which is never modified; choose another --out");
    assertThatThrownBy(() -> PartialRestore.run(io, SRC, DST, SRC, WARM_START, Mode.CREATE))
        .hasMessage("Cannot write the restored checkpoint to " + SRC + ": it is the source checkpoint " + SRC + "; choose another --out");
  }

  @Test
  void aMissingCheckpointIsNamedWithItsRole() {
    assertThatThrownBy(() -> PartialRestore.run(io, "/mem/nope", DST, OUT, WARM_START, Mode.CREATE))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageStartingWith("Source checkpoint: Cannot find a checkpoint at /mem/nope");
    assertThatThrownBy(() -> PartialRestore.run(io, SRC, "/mem/nope", OUT, WARM_START, Mode.CREATE))
        .hasMessageStartingWith("Target checkpoint: Cannot find a checkpoint at /mem/nope");
  }

  @Test
  void aFailedPublishLeavesNoCheckpointAndNoTemporaryFiles() {
    io.failRenamesWhen(target -> target.equals(OUT + ".index"));

    assertThatThrownBy(() -> PartialRestore.run(io, SRC, DST, OUT, WARM_START, Mode.CREATE)).isInstanceOf(IOException.class);
    assertThat(io.allFiles()).noneMatch(file -> file.startsWith("/mem/out/ckpt.index") || file.contains("tempstate"));
  }

  @Test
  void aLargeTensorIsStreamedAcrossChunksAndADamagedOneFailsNamingItWithNoCheckpointLeft() throws IOException {
    float[] big = new float[(3 << 20) / 4 + 5]; // three 1 MiB chunks and a tail
    for (int i = 0; i < big.length; i++) {
      big[i] = i;
    }
    write(SRC, Map.of("big", Tensor.ofFloats(Shape.of(big.length), big)));
    write(DST, Map.of("big", Tensor.ofFloats(Shape.of(big.length), new float[big.length])));
    PartialRestore.run(io, SRC, DST, OUT, RestoreOptions.defaults(), Mode.CREATE);
    assertSameStoredTensor(SRC, "big", OUT, "big");

    String data = BundleNaming.dataFile(SRC, 0, 1);
    byte[] damaged = io.contents(data);
    damaged[damaged.length - 1] ^= 1;
    io.put(data, damaged);
    assertThatThrownBy(() -> PartialRestore.run(io, SRC, DST, "/mem/out/again", RestoreOptions.defaults(), Mode.CREATE))
        .hasMessageStartingWith("Checksum does not match for tensor big in " + data);
    assertThat(io.allFiles()).noneMatch(file -> file.startsWith("/mem/out/again"));
  }

  /** Same entry (dtype, shape, size, checksum) and the same stored bytes. */
  private void assertSameStoredTensor(String fromPrefix, String from, String toPrefix, String to) throws IOException {
    try (BundleReader a = BundleReader.open(io, fromPrefix); BundleReader b = BundleReader.open(io, toPrefix)) {
      BundleEntryProto want = a.entry(from);
      BundleEntryProto got = b.entry(to);
      assertThat(got.getDtype()).isEqualTo(want.getDtype());
      assertThat(got.getShape()).isEqualTo(want.getShape());
      assertThat(got.getCrc32C()).isEqualTo(want.getCrc32C());
      assertThat(stored(b, got)).isEqualTo(stored(a, want));
      assertThat(b.lookup(to)).isEqualTo(a.lookup(from));
    }
  }

  private byte[] stored(BundleReader reader, BundleEntryProto entry) {
    byte[] data = io.contents(BundleNaming.dataFile(reader.prefix(), entry.getShardId(), reader.numShards()));
    return Arrays.copyOfRange(data, (int) entry.getOffset(), (int) (entry.getOffset() + entry.getSize()));
  }

  private void write(String prefix, Map<String, Tensor> tensors) throws IOException {
    try (BundleWriter writer = BundleWriter.create(io, prefix)) {
      for (Map.Entry<String, Tensor> tensor : tensors.entrySet()) {
        writer.add(tensor.getKey(), tensor.getValue());
      }
      writer.finish();
    }
  }

  private Map<String, byte[]> snapshot() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    List<String> all = io.allFiles();
    all.forEach(file -> files.put(file, io.contents(file)));
    return files;
  }

  private static void assertSameFiles(Map<String, byte[]> before, Map<String, byte[]> after) {
    assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
    before.forEach((file, bytes) -> assertThat(after.get(file)).as(file).isEqualTo(bytes));
  }
}
