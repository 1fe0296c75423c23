package io.sparkpoint.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.proto.BundleEntryProto;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorSlice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sparkpoint reshard} as Spark tasks, one per new shard, writes exactly the files it writes in one JVM. */
class ReshardOnSparkTest extends LocalSparkCommandTest {
  private static final LocalFileIO IO = new LocalFileIO();

  @TempDir Path dir;

  @Test
  void oneToThreeAndThreeToOneWriteTheSingleJvmFilesWithEveryTensorByteIdentical() throws IOException {
    String source = writeOneShard();
    SparkRun three = onSpark("reshard", source, at("spark/three"), "--shards", "3", "--master", "local[2]");
    CliRun local = CliRun.of("reshard", source, at("local/three"), "--shards", "3", "--local");
    assertThat(three.cli().code()).as(three.cli().err()).isZero();
    assertThat(three.tasks()).isEqualTo(3);
    assertThat(three.cli().out().replace("/spark/", "/local/")).isEqualTo(local.out());
    assertThat(files(at("spark/three"))).isEqualTo(files(at("local/three"))).containsKeys(".data-00002-of-00003", ".index");

    SparkRun one = onSpark("reshard", at("spark/three"), at("spark/one"), "--shards", "1", "--master", "local[2]");
    assertThat(one.cli().code()).as(one.cli().err()).isZero();
    assertThat(CliRun.of("reshard", at("local/three"), at("local/one"), "--shards", "1", "--local").code()).isZero();
    assertThat(files(at("spark/one"))).isEqualTo(files(at("local/one")));
    assertSameTensors(source, at("spark/three"));
    assertSameTensors(source, at("spark/one"));
    assertThat(CliRun.of("validate", at("spark/three")).code()).isZero();
    assertNoTemporaryFiles(dir);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"libtensorflow-2.18-generated/sharded_v2/ckpt", "libtensorflow-2.18-generated/partitioned_v2/ckpt"})
  void tensorFlowCheckpointsReshardTheSameOnSpark(String fixture) throws IOException {
    String source = TestFixtures.prefix(fixture);
    assertThat(onSpark("reshard", source, at("spark/ckpt"), "--shards", "3", "--master", "local[2]").cli().code()).isZero();
    assertThat(CliRun.of("reshard", source, at("local/ckpt"), "--shards", "3", "--local").code()).isZero();
    assertThat(files(at("spark/ckpt"))).isEqualTo(files(at("local/ckpt")));
    assertSameTensors(source, at("spark/ckpt"));
  }

  @Test
  void relativePathsAreResolvedHereForTheTasks() throws IOException {
    Path relative = Files.createTempDirectory(Path.of("target"), "relative-");
    try {
      String source = writeCheckpoint(relative.resolve("source/ckpt").toString(), TestFixtures.everyDtype(9));
      CliRun spark = onSpark("reshard", source, relative.resolve("spark/ckpt").toString(), "--shards", "2", "--master", "local[2]").cli();
      assertThat(spark.code()).as(spark.err()).isZero();
      assertThat(spark.out()).startsWith("{\"prefix\": \"" + relative.resolve("spark/ckpt") + "\"");
      assertThat(CliRun.of("reshard", source, relative.resolve("local/ckpt").toString(), "--shards", "2", "--local").code()).isZero();
      assertThat(files(relative.resolve("spark/ckpt").toString())).isEqualTo(files(relative.resolve("local/ckpt").toString()));
      try (Stream<Path> all = Files.walk(relative)) {
        assertThat(all.map(Path::toString)).noneMatch(p -> p.contains("_temp_"));
      }
    } finally {
      IO.deleteDirectory(relative.toString());
    }
  }

  @Test
  void aRerunFindsTheOutputWrittenAndWritesNothing() throws IOException {
    String source = writeOneShard();
    String[] args = {"reshard", source, at("out/ckpt"), "--shards", "2", "--master", "local[2]"};
    CliRun first = onSpark(args).cli();
    assertThat(first.code()).isZero();
    Map<String, ByteBuffer> written = files(at("out/ckpt"));
    long indexTime = Files.getLastModifiedTime(Path.of(at("out/ckpt.index"))).toMillis();

    SparkRun again = onSpark(args);
    assertThat(again.cli()).isEqualTo(first);
    assertThat(again.tasks()).isZero();
    assertThat(files(at("out/ckpt"))).isEqualTo(written);
    assertThat(Files.getLastModifiedTime(Path.of(at("out/ckpt.index"))).toMillis()).isEqualTo(indexTime);
    assertNoTemporaryFiles(dir);
  }

  @Test
  void aDestinationWithOtherContentIsRefusedAsInOneJvm() throws IOException {
    String source = writeOneShard();
    assertThat(CliRun.of("reshard", source, at("out/ckpt"), "--shards", "1", "--local").code()).isZero();
    CliRun spark = onSpark("reshard", source, at("out/ckpt"), "--shards", "2", "--master", "local[2]").cli();
    assertThat(spark).isEqualTo(CliRun.of("reshard", source, at("out/ckpt"), "--shards", "2", "--local"));
    assertThat(spark.code()).isEqualTo(1);
    assertThat(spark.err()).isEqualTo("sparkpoint reshard: error: Cannot reshard into " + at("out/ckpt") + ": a checkpoint with other content is"
        + " there (it has 1 data shards, this reshard writes 2); remove it or choose another destination" + System.lineSeparator());
  }

  @Test
  void aCorruptSourceTensorFailsItsTaskAndLeavesNoCheckpoint() throws IOException {
    String source = writeOneShard();
    String data = corruptTensor(source, "float32/r3", 0, 1);

    CliRun spark = onSpark("reshard", source, at("out/ckpt"), "--shards", "3", "--master", "local[2]").cli();
    assertThat(spark.code()).isEqualTo(1);
    assertThat(spark.err()).isEqualTo(CliRun.of("reshard", source, at("local/ckpt"), "--shards", "3", "--local").err())
        .startsWith("sparkpoint reshard: error: Checksum does not match for tensor float32/r3 in " + data);
    assertThat(Path.of(at("out/ckpt.index"))).doesNotExist();
    assertNoTemporaryFiles(dir);
  }

  /** A single-shard checkpoint of every dtype and a partitioned tensor. */
  private String writeOneShard() throws IOException {
    String prefix = at("source/ckpt");
    try (BundleWriter writer = BundleWriter.create(IO, prefix)) {
      for (Map.Entry<String, Tensor> tensor : TestFixtures.everyDtype(5).entrySet()) {
        writer.add(tensor.getKey(), tensor.getValue());
      }
      writer.addSlice("part", Shape.of(4, 2), TensorSlice.parse("0,2:-"), Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4));
      writer.addSlice("part", Shape.of(4, 2), TensorSlice.parse("2,2:-"), Tensor.ofFloats(Shape.of(2, 2), 5, 6, 7, 8));
      writer.finish();
    }
    return prefix;
  }

  private String at(String relative) {
    return dir.resolve(relative).toString();
  }

  /** Every tensor of {@code copy} holds the source's stored bytes: same entries, same checksums, same values. */
  private static void assertSameTensors(String source, String copy) throws IOException {
    try (BundleReader original = BundleReader.open(IO, source); BundleReader resharded = BundleReader.open(IO, copy)) {
      assertThat(resharded.tensorNames()).isEqualTo(original.tensorNames());
      assertThat(resharded.rawEntries().keySet()).containsExactlyElementsOf(original.rawEntries().keySet());
      for (Map.Entry<byte[], BundleEntryProto> entry : original.rawEntries().entrySet()) {
        BundleEntryProto got = resharded.rawEntries().get(entry.getKey());
        assertThat(got.getCrc32C()).isEqualTo(entry.getValue().getCrc32C());
        assertThat(got.getSize()).isEqualTo(entry.getValue().getSize());
      }
      for (String name : original.tensorNames()) {
        assertThat(resharded.lookup(name)).as(name).isEqualTo(original.lookup(name));
      }
    }
  }
}
