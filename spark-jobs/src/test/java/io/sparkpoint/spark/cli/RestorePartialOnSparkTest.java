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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparkpoint restore-partial} as Spark tasks, one byte-balanced group of tensors each: OUT
 * holds the tensors the one-JVM run writes, entry for entry and byte for byte, in one data file per
 * task; reruns, {@code --overwrite} and failures behave as in one JVM.
 */
class RestorePartialOnSparkTest extends LocalSparkCommandTest {
  private static final LocalFileIO IO = new LocalFileIO();
  /** Every dtype restored by name, int8 excluded, {@code part} (partitioned in SRC) renamed, {@code fresh} missing. */
  private static final String[] WARM_START = {"--exclude", "^int8/", "--map", "part=renamed/part"};

  @TempDir Path dir;
  private String src;
  private String dst;

  @BeforeEach
  void sourceAndTarget() throws IOException {
    src = at("src/ckpt");
    try (BundleWriter writer = BundleWriter.create(IO, src)) {
      for (Map.Entry<String, Tensor> tensor : TestFixtures.everyDtype(5).entrySet()) {
        writer.add(tensor.getKey(), tensor.getValue());
      }
      writer.addSlice("part", Shape.of(4, 2), TensorSlice.parse("0,2:-"), Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4));
      writer.addSlice("part", Shape.of(4, 2), TensorSlice.parse("2,2:-"), Tensor.ofFloats(Shape.of(2, 2), 5, 6, 7, 8));
      writer.finish();
    }
    Map<String, Tensor> target = new TreeMap<>(TestFixtures.everyDtype(6));
    target.put("renamed/part", Tensor.ofFloats(Shape.of(4, 2), new float[8]));
    target.put("fresh", Tensor.ofFloats(Shape.of(3), -1, -2, -3));
    dst = writeCheckpoint(at("dst/ckpt"), target);
    Files.writeString(Path.of(dst + ".meta"), "the target's meta graph");
  }

  @Test
  void onTwoTasksOutHoldsTheOneJvmTensorsByteForByteInTwoDataFiles() throws IOException {
    SparkRun spark = restore("spark/ckpt", "--master", "local[2]");
    CliRun local = restore("local/ckpt", "--local").cli();

    assertThat(spark.cli().code()).as(spark.cli().err()).isZero();
    assertThat(spark.tasks()).isEqualTo(2);
    assertThat(spark.cli().out().replace("/spark/", "/local/")).isEqualTo(local.out()).contains("\"renamed\": {\"renamed/part\": \"part\"}");
    assertSameTensors(at("local/ckpt"), at("spark/ckpt"));
    try (BundleReader out = BundleReader.open(IO, at("spark/ckpt")); BundleReader source = BundleReader.open(IO, src)) {
      assertThat(out.numShards()).isEqualTo(2);
      assertThat(out.entry("renamed/part").getSlicesCount()).isEqualTo(2);
      assertThat(out.lookup("renamed/part")).isEqualTo(source.lookup("part"));
    }
    assertThat(Files.readString(Path.of(at("spark/ckpt.meta")))).isEqualTo("the target's meta graph");
    assertThat(CliRun.of("validate", at("spark/ckpt"), "--local").code()).isZero();
    assertNoTemporaryFiles(dir);
  }

  @Test
  void tensorFlowsPartitionedCheckpointFeedsARenamedAndAReshapedVariableOnSpark() throws IOException {
    String tf = TestFixtures.prefix("libtensorflow-2.18-generated/partitioned_v2/ckpt");
    Map<String, Tensor> target = new TreeMap<>();
    target.put("emb", Tensor.ofFloats(Shape.of(6, 4), new float[24]));
    target.put("model/embedding", Tensor.ofFloats(Shape.of(6, 4), new float[24]));
    target.put("w_t", Tensor.ofLongs(Shape.of(2, 4), new long[8]));
    target.put("vocab", Tensor.ofStrings(Shape.of(5), "", "", "", "", ""));
    target.put("bias", Tensor.ofFloats(Shape.of(2), 9, 9));
    String model = writeCheckpoint(at("model/ckpt"), target);
    String[] flags = {"--map", "emb=model/embedding", "--map", "w=w_t", "--reshape"};

    SparkRun spark = onSpark(concat(List.of("restore-partial", tf, model, "--out", at("spark/ckpt"), "--master", "local[2]"), flags));
    CliRun local = CliRun.of(concat(List.of("restore-partial", tf, model, "--out", at("local/ckpt"), "--local"), flags));

    assertThat(spark.cli().code()).as(spark.cli().err()).isZero();
    assertThat(spark.tasks()).isEqualTo(2);
    assertThat(spark.cli().out().replace("/spark/", "/local/")).isEqualTo(local.out());
    assertSameTensors(at("local/ckpt"), at("spark/ckpt"));
    try (BundleReader out = BundleReader.open(IO, at("spark/ckpt"))) {
      assertThat(out.lookup("vocab")).isEqualTo(Tensor.ofStrings(Shape.of(5), "alpha", "beta", "gamma", "delta", "epsilon"));
      assertThat(out.lookup("w_t")).isEqualTo(Tensor.ofLongs(Shape.of(2, 4), 100, 101, 102, 103, 104, 105, 106, 107));
    }
  }

  @Test
  void aRerunOnSparkOrInOneJvmFindsOutWrittenAndWritesNothing() throws IOException {
    CliRun first = restore("out/ckpt", "--master", "local[2]").cli();
    assertThat(first.code()).as(first.err()).isZero();
    Map<String, ByteBuffer> written = files(at("out/ckpt"));
    long indexTime = Files.getLastModifiedTime(Path.of(at("out/ckpt.index"))).toMillis();

    SparkRun again = restore("out/ckpt", "--master", "local[2]");
    CliRun local = restore("out/ckpt", "--local").cli();

    assertThat(again.tasks()).isZero();
    assertThat(again.cli().out()).isEqualTo(first.out());
    assertThat(again.cli().err()).isEqualTo("sparkpoint restore-partial: " + at("out/ckpt") + " already holds this restore; nothing written"
        + System.lineSeparator());
    assertThat(local).isEqualTo(again.cli());
    assertThat(files(at("out/ckpt"))).isEqualTo(written);
    assertThat(Files.getLastModifiedTime(Path.of(at("out/ckpt.index"))).toMillis()).isEqualTo(indexTime);
  }

  @Test
  void otherContentAtOutIsRefusedAsInOneJvmAndReplacedOnSparkWithOverwrite() throws IOException {
    assertThat(restore("out/ckpt", "--local").cli().code()).isZero();

    CliRun refused = restore("out/ckpt", "--master", "local[2]", "--exclude", "^float32/").cli();
    assertThat(refused).isEqualTo(restore("out/ckpt", "--local", "--exclude", "^float32/").cli());
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("a checkpoint with other content is there (tensor float32/r1 differs); pass --overwrite to replace it");

    SparkRun replaced = restore("out/ckpt", "--master", "local[2]", "--exclude", "^float32/", "--overwrite");
    assertThat(replaced.cli().code()).as(replaced.cli().err()).isZero();
    assertThat(replaced.tasks()).isEqualTo(2);
    assertThat(restore("local/ckpt", "--local", "--exclude", "^float32/").cli().code()).isZero();
    assertSameTensors(at("local/ckpt"), at("out/ckpt"));
    assertThat(Path.of(at("out/ckpt.data-00000-of-00001"))).doesNotExist();
    assertNoTemporaryFiles(dir);
  }

  @Test
  void aCorruptSourceTensorFailsItsTaskWithTheOneJvmMessageAndLeavesNoCheckpoint() throws IOException {
    String data = corruptTensor(src, "float64/r3", 0, 1);

    SparkRun spark = restore("spark/ckpt", "--master", "local[2]");

    assertThat(spark.tasks()).isEqualTo(2);
    assertThat(spark.cli().code()).isEqualTo(1);
    assertThat(spark.cli().err()).isEqualTo(restore("local/ckpt", "--local").cli().err())
        .startsWith("sparkpoint restore-partial: error: Checksum does not match for tensor float64/r3 in " + data);
    assertThat(Path.of(at("spark/ckpt.index"))).doesNotExist();
    assertThat(Path.of(at("spark/ckpt.meta"))).doesNotExist();
    assertNoTemporaryFiles(dir);
  }

  @Test
  void aSmallRestoreWithoutMasterOrLocalStaysInThisJvm() throws IOException {
    SparkRun run = restore("out/ckpt");

    assertThat(run.cli().code()).as(run.cli().err()).isZero();
    assertThat(run.tasks()).isZero();
    try (BundleReader out = BundleReader.open(IO, at("out/ckpt"))) {
      assertThat(out.numShards()).isEqualTo(1);
    }
  }

  @Test
  void aDryRunNeverStartsSparkTasks() {
    SparkRun plan = restore("out/ckpt", "--master", "local[2]", "--dry-run");

    assertThat(plan.cli().code()).isZero();
    assertThat(plan.tasks()).isZero();
    assertThat(plan.cli().out()).contains("renamed  renamed/part <- part\n", "missing  fresh\n", "excluded int8/r1\n", "\"dry_run\": true");
    assertThat(Path.of(at("out"))).doesNotExist();
  }

  @Test
  void localAndMasterExcludeEachOther() {
    CliRun run = restore("out/ckpt", "--local", "--master", "local[2]").cli();

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).startsWith("--local and --master exclude each other: choose one");
  }

  /** restore-partial SRC DST --out {@code out} with the warm-start flags and {@code flags}. */
  private SparkRun restore(String out, String... flags) {
    List<String> args = new ArrayList<>(List.of("restore-partial", src, dst, "--out", at(out)));
    args.addAll(List.of(WARM_START));
    return onSpark(concat(args, flags));
  }

  private static String[] concat(List<String> first, String... rest) {
    List<String> all = new ArrayList<>(first);
    all.addAll(List.of(rest));
    return all.toArray(new String[0]);
  }

  private String at(String relative) {
    return dir.resolve(relative).toString();
  }

  /**
   * {@code actual} holds the same index entries as {@code expected} (dtype, shape, size, checksum and
   * slices; the shard may differ), the same values, and the same meta graph.
   */
  private static void assertSameTensors(String expected, String actual) throws IOException {
    try (BundleReader want = BundleReader.open(IO, expected); BundleReader got = BundleReader.open(IO, actual)) {
      assertThat(got.rawEntries().keySet()).containsExactlyElementsOf(want.rawEntries().keySet());
      for (Map.Entry<byte[], BundleEntryProto> entry : want.rawEntries().entrySet()) {
        BundleEntryProto gotEntry = got.rawEntries().get(entry.getKey());
        String key = new String(entry.getKey(), StandardCharsets.UTF_8);
        assertThat(gotEntry.toBuilder().clearShardId().clearOffset().build()).as(key)
            .isEqualTo(entry.getValue().toBuilder().clearShardId().clearOffset().build());
      }
      for (String name : want.tensorNames()) {
        assertThat(got.lookup(name)).as(name).isEqualTo(want.lookup(name));
      }
    }
    Path wantMeta = Path.of(expected + ".meta");
    if (Files.exists(wantMeta)) {
      assertThat(Files.readAllBytes(Path.of(actual + ".meta"))).isEqualTo(Files.readAllBytes(wantMeta));
    } else {
      assertThat(Path.of(actual + ".meta")).doesNotExist();
    }
  }
}
