package io.sparkpoint.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.bundle.BundleMerger;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.restore.PartialRestore.Copy;
import io.sparkpoint.restore.PartialRestore.Mode;
import io.sparkpoint.restore.PartialRestore.Prepared;
import io.sparkpoint.restore.PartialRestore.Side;
import io.sparkpoint.restore.PartialRestore.Status;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorSlice;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PartialRestore} in steps, as a distributed writer runs it: prepare, copy groups into bundles merged elsewhere, finish. */
class PartialRestoreStepsTest {
  private static final String SRC = "/mem/src/ckpt";
  private static final String DST = "/mem/dst/ckpt";
  private static final String OUT = "/mem/out/ckpt";
  private static final RestoreOptions OPTIONS = RestoreOptions.defaults().withMap("part=new/part");

  private final InMemoryFileIO io = TestFixtures.memory();

  @BeforeEach
  void sourceAndTarget() throws IOException {
    try (BundleWriter writer = BundleWriter.create(io, SRC)) {
      writer.add("w", Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6));
      writer.addSlice("part", Shape.of(4, 2), TensorSlice.parse("0,2:-"), Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4));
      writer.addSlice("part", Shape.of(4, 2), TensorSlice.parse("2,2:-"), Tensor.ofFloats(Shape.of(2, 2), 5, 6, 7, 8));
      writer.finish();
    }
    try (BundleWriter writer = BundleWriter.create(io, DST)) {
      writer.add("w", Tensor.ofFloats(Shape.of(2, 3), new float[6]));
      writer.add("new/part", Tensor.ofFloats(Shape.of(4, 2), new float[8]));
      writer.add("fresh", Tensor.ofLongs(Shape.of(3), 7, 8, 9));
      writer.finish();
    }
    io.put(DST + ".meta", "meta".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void preparedCopiesNameTheirCheckpointAndStoredBytesAndSurviveSerialization() throws Exception {
    Prepared prepared = PartialRestore.prepare(io, SRC, DST, OUT, OPTIONS, Mode.CREATE);

    assertThat(prepared.pending()).isTrue();
    assertThat(prepared.result().status()).isEqualTo(Status.WRITTEN);
    assertThat(prepared.copies()).containsExactly(
        new Copy(Side.TARGET, "fresh", "fresh", Shape.of(3), 24),
        new Copy(Side.SOURCE, "part", "new/part", Shape.of(4, 2), 32),
        new Copy(Side.SOURCE, "w", "w", Shape.of(2, 3), 24));
    assertThat(prepared.bytesToCopy()).isEqualTo(80);
    assertThat(roundTrip(new ArrayList<>(prepared.copies()))).isEqualTo(prepared.copies());
    assertThat(io.allFiles()).noneMatch(file -> file.startsWith("/mem/out/"));
  }

  @Test
  void groupsCopiedIntoBundlesOfTheirOwnAndMergedMakeAnOutThatARerunFindsUnchanged() throws IOException {
    Prepared prepared = PartialRestore.prepare(io, SRC, DST, OUT, OPTIONS, Mode.CREATE);
    List<String> parts = new ArrayList<>();
    try (BundleReader sources = BundleReader.open(io, SRC); BundleReader targets = BundleReader.open(io, DST)) {
      for (List<Copy> group : List.of(prepared.copies().subList(0, 2), prepared.copies().subList(2, 3))) {
        String part = "/mem/temp/part-" + parts.size();
        try (BundleWriter writer = BundleWriter.create(io, part)) {
          PartialRestore.copy(group, sources, targets, writer);
          writer.finish();
        }
        parts.add(part);
      }
    }
    BundleMerger.merge(io, parts, OUT, true);

    assertThat(PartialRestore.finish(io, prepared).status()).isEqualTo(Status.WRITTEN);
    assertThat(io.contents(OUT + ".meta")).isEqualTo(io.contents(DST + ".meta"));
    try (BundleReader out = BundleReader.open(io, OUT); BundleReader source = BundleReader.open(io, SRC)) {
      assertThat(out.numShards()).isEqualTo(2);
      assertThat(out.lookup("new/part")).isEqualTo(source.lookup("part"));
    }
    Prepared again = PartialRestore.prepare(io, SRC, DST, OUT, OPTIONS, Mode.CREATE);
    assertThat(again.pending()).isFalse();
    assertThat(again.result().status()).isEqualTo(Status.UNCHANGED);
    assertThat(PartialRestore.run(io, SRC, DST, OUT, OPTIONS, Mode.CREATE).status()).isEqualTo(Status.UNCHANGED);
  }

  @Test
  void prepareWithOverwriteRemovesTheOldOutAndWriteCompletesIt() throws IOException {
    PartialRestore.run(io, SRC, DST, OUT, RestoreOptions.defaults(), Mode.CREATE); // part not mapped: other content

    Prepared prepared = PartialRestore.prepare(io, SRC, DST, OUT, OPTIONS, Mode.OVERWRITE);

    assertThat(prepared.pending()).isTrue();
    assertThat(io.allFiles()).noneMatch(file -> file.startsWith(OUT));
    assertThat(PartialRestore.write(io, prepared).status()).isEqualTo(Status.WRITTEN);
    assertThat(PartialRestore.run(io, SRC, DST, OUT, OPTIONS, Mode.CREATE).status()).isEqualTo(Status.UNCHANGED);
  }

  @Test
  void aDryRunOrAFinishedRestoreHasNothingToWriteOrFinish() throws IOException {
    Prepared plan = PartialRestore.prepare(io, SRC, DST, OUT, OPTIONS, Mode.DRY_RUN);
    assertThat(plan.pending()).isFalse();
    assertThat(plan.copies()).isEmpty();
    assertThat(plan.result().status()).isEqualTo(Status.PLANNED);

    assertThatThrownBy(() -> PartialRestore.finish(io, plan))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot finish the restore into " + OUT + ": nothing is pending (PLANNED)");
    assertThatThrownBy(() -> PartialRestore.write(io, plan))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot write the restore into " + OUT + ": nothing is pending (PLANNED)");
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
