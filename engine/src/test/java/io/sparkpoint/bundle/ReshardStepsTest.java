package io.sparkpoint.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A reshard in steps (plan, prepare, one bundle per shard, merge) writes what {@link Resharder#reshard} writes; a rerun writes nothing. */
class ReshardStepsTest {
  private static final String PARTITIONED = "libtensorflow-2.18-generated/partitioned_v2/ckpt";

  private final InMemoryFileIO io = TestFixtures.memory();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"libtensorflow-2.18-generated/all_dtypes_v2/ckpt", PARTITIONED, "libtensorflow-2.18-generated/sharded_v2/ckpt"})
  void shardsWrittenApartAndMergedGiveTheSameFilesAsReshard(String fixture) throws IOException {
    String source = TestFixtures.copyToMemory(io, fixture, "source");
    Resharder.Result whole = Resharder.reshard(io, source, "/mem/whole/ckpt", 3);
    Resharder.Result steps = inSteps(source, "/mem/steps/ckpt", 3);
    assertThat(steps.shardBytes()).containsExactly(whole.shardBytes());
    assertThat(steps.entries()).isEqualTo(whole.entries());
    assertThat(files("/mem/steps/ckpt")).isEqualTo(files("/mem/whole/ckpt"));
    assertThat(io.allFiles()).noneMatch(f -> f.contains("_temp_") || f.contains("tempstate"));
  }

  @Test
  void aRerunFindsTheOutputAndWritesNothing() throws IOException {
    String source = TestFixtures.copyToMemory(io, PARTITIONED, "source");
    Resharder.Result first = Resharder.reshard(io, source, "/mem/out/ckpt", 2);
    Map<String, ByteBuffer> written = files("/mem/out/ckpt");
    io.setLastModified("/mem/out/ckpt.index", 1234);
    Resharder.Result again = Resharder.reshard(io, source, "/mem/out/ckpt", 2);
    assertThat(again.shardBytes()).containsExactly(first.shardBytes());
    assertThat(files("/mem/out/ckpt")).isEqualTo(written);
    assertThat(io.newInputFile("/mem/out/ckpt.index").lastModifiedMillis()).isEqualTo(1234);
  }

  @Test
  void aDestinationWithOtherContentIsRefusedNamingTheDifference() throws IOException {
    String source = TestFixtures.copyToMemory(io, PARTITIONED, "source");
    Resharder.reshard(io, source, "/mem/out/ckpt", 1);
    assertThatThrownBy(() -> Resharder.reshard(io, source, "/mem/out/ckpt", 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot reshard into /mem/out/ckpt: a checkpoint with other content is there (it has 1 data shards, this reshard writes 2);"
            + " remove it or choose another destination");
    io.put("/mem/out/ckpt.data-00000-of-00001", new byte[3]);
    assertThatThrownBy(() -> Resharder.reshard(io, source, "/mem/out/ckpt", 1))
        .hasMessageContaining("its data file /mem/out/ckpt.data-00000-of-00001 holds 3 bytes, this reshard writes ");
  }

  @Test
  void aDestinationHoldingOtherTensorsIsRefused() throws IOException {
    String source = TestFixtures.copyToMemory(io, PARTITIONED, "source");
    try (BundleWriter writer = BundleWriter.create(io, "/mem/other/ckpt")) {
      writer.add("x", Tensor.ofFloats(Shape.of(1), 1));
      writer.finish();
    }
    assertThatThrownBy(() -> Resharder.reshard(io, source, "/mem/other/ckpt", 1))
        .hasMessageStartingWith("Cannot reshard into /mem/other/ckpt: a checkpoint with other content is there (it holds 1 entries, this reshard writes ");
  }

  /** What a distributed reshard does, here: each shard a bundle of its own under a temporary directory, then one merge. */
  private Resharder.Result inSteps(String source, String destination, int shards) throws IOException {
    try (BundleReader reader = BundleReader.open(io, source)) {
      Resharder.Plan plan = Resharder.plan(reader, destination, shards);
      assertThat(Resharder.prepare(io, reader, plan)).isTrue();
      io.createDirectories(destination + "_temp_x");
      List<String> prefixes = new ArrayList<>();
      for (int shard = shards - 1; shard >= 0; shard--) { // in any order
        String prefix = BundleNaming.shardedFilename(destination + "_temp_x/attempt-" + shard + "/part", shard, shards);
        try (BundleReader own = BundleReader.open(io, source); BundleWriter writer = BundleWriter.create(io, prefix)) {
          Resharder.copyShard(own, plan, shard, writer);
          writer.finish();
        }
        prefixes.add(0, prefix);
      }
      BundleMerger.merge(io, prefixes, destination, true);
      io.deleteDirectory(destination + "_temp_x");
      return plan.result();
    }
  }

  /** The checkpoint's files by their name after the prefix, with their bytes (compared by content). */
  private Map<String, ByteBuffer> files(String prefix) {
    Map<String, ByteBuffer> files = new TreeMap<>();
    for (String file : io.allFiles()) {
      if (file.startsWith(prefix + ".")) {
        files.put(file.substring(prefix.length()), ByteBuffer.wrap(io.contents(file)));
      }
    }
    return files;
  }
}
