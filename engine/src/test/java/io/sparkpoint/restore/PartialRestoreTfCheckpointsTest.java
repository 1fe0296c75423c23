package io.sparkpoint.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.bundle.BundleReader;
import io.sparkpoint.bundle.BundleValidator;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.restore.PartialRestore.Mode;
import io.sparkpoint.restore.PartialRestore.Status;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Partial restores from and into checkpoints TensorFlow wrote (shared/testdata/tf-real). */
class PartialRestoreTfCheckpointsTest {
  private final InMemoryFileIO io = TestFixtures.memory();

  /** TF's partitioned_v2: emb float [6,4] in 3 row slices, w int64 [4,2] in 2 column slices, vocab string [5] in 2 slices, bias. */
  @Test
  void partitionedSourceTensorsKeepTheirSlicesUnderNewNamesOrAreReassembledToReshape() throws IOException {
    String src = TestFixtures.copyToMemory(io, "libtensorflow-2.18-generated/partitioned_v2/ckpt", "src");
    String dst = "/mem/dst/ckpt";
    try (BundleWriter writer = BundleWriter.create(io, dst)) {
      writer.add("emb", Tensor.ofFloats(Shape.of(6, 4), new float[24]));
      writer.add("model/embedding", Tensor.ofFloats(Shape.of(6, 4), new float[24]));
      writer.add("w_t", Tensor.ofLongs(Shape.of(2, 4), new long[8]));
      writer.add("vocab", Tensor.ofStrings(Shape.of(5), "", "", "", "", ""));
      writer.add("bias", Tensor.ofFloats(Shape.of(2), 9, 9));
      writer.add("fresh", Tensor.ofFloats(Shape.of(1), 3));
      writer.finish();
    }
    RestoreOptions options = RestoreOptions.defaults().withMap("emb=model/embedding").withMap("w=w_t").allowingReshape();

    PartialRestore.Result result = PartialRestore.run(io, src, dst, "/mem/out/ckpt", options, Mode.CREATE);

    assertThat(result.plan().lines()).containsExactly(
        "matched  bias", "matched  emb", "missing  fresh", "renamed  model/embedding <- emb", "matched  vocab", "reshape  w_t [2,4] <- w [4,2]");
    assertThat(BundleValidator.validate(io, "/mem/out/ckpt").isValid()).isTrue();
    try (BundleReader out = BundleReader.open(io, "/mem/out/ckpt"); BundleReader tf = BundleReader.open(io, src)) {
      assertThat(out.entry("model/embedding").getSlicesCount()).isEqualTo(3);
      assertThat(out.lookup("model/embedding")).isEqualTo(tf.lookup("emb"));
      assertThat(out.lookup("emb")).isEqualTo(tf.lookup("emb"));
      assertThat(out.lookup("vocab")).isEqualTo(Tensor.ofStrings(Shape.of(5), "alpha", "beta", "gamma", "delta", "epsilon"));
      assertThat(out.lookup("w_t")).isEqualTo(Tensor.ofLongs(Shape.of(2, 4), 100, 101, 102, 103, 104, 105, 106, 107));
      assertThat(out.lookup("bias")).isEqualTo(Tensor.ofFloats(Shape.of(2), 0.5f, -0.5f));
      assertThat(out.lookup("fresh")).isEqualTo(Tensor.ofFloats(Shape.of(1), 3));
    }
    assertThat(PartialRestore.run(io, src, dst, "/mem/out/ckpt", options, Mode.CREATE).status()).isEqualTo(Status.UNCHANGED);
  }

  /** tf2onnx's regression checkpoint (W and b, float scalars, with its .meta) as the target of a warm start. */
  @Test
  void aTfWrittenTargetKeepsItsMetaGraphAndTheVariablesNotRestored() throws IOException {
    String dst = TestFixtures.copyToMemory(io, "tf2onnx/regression/checkpoint/model", "dst");
    String src = "/mem/src/ckpt";
    try (BundleWriter writer = BundleWriter.create(io, src)) {
      writer.add("linear/W", Tensor.ofFloats(Shape.scalar(), 2.5f));
      writer.add("linear/b", Tensor.ofFloats(Shape.of(1), 7f)); // another shape: skipped
      writer.finish();
    }
    RestoreOptions options = RestoreOptions.defaults().withMap("^linear/(.*)$=$1").skippingMismatched();

    PartialRestore.Result result = PartialRestore.run(io, src, dst, "/mem/out/model", options, Mode.CREATE);

    assertThat(result.plan().renamed()).containsExactly(Map.entry("W", "linear/W"));
    assertThat(result.plan().skipped()).containsExactly("b");
    try (BundleReader out = BundleReader.open(io, "/mem/out/model"); BundleReader tf = BundleReader.open(io, dst)) {
      assertThat(out.lookup("W")).isEqualTo(Tensor.ofFloats(Shape.scalar(), 2.5f));
      assertThat(out.lookup("b")).isEqualTo(tf.lookup("b"));
      assertThat(out.entry("b").getCrc32C()).isEqualTo(tf.entry("b").getCrc32C());
    }
    assertThat(io.contents("/mem/out/model.meta")).isEqualTo(io.contents(dst + ".meta"));
  }

  /** TF's sharded_v2: two data shards, a string tensor on shard 0; OUT is one shard. */
  @Test
  void aShardedSourceFeedsASingleShardOutput() throws IOException {
    String src = TestFixtures.copyToMemory(io, "libtensorflow-2.18-generated/sharded_v2/ckpt", "src");
    String dst = "/mem/dst/ckpt";
    try (BundleWriter writer = BundleWriter.create(io, dst)) {
      writer.add("c_string", Tensor.ofStrings(Shape.of(2), "", ""));
      writer.add("step", Tensor.ofLongs(Shape.scalar(), 0));
      writer.finish();
    }

    PartialRestore.run(io, src, dst, "/mem/out/ckpt", RestoreOptions.defaults().withMap("global_step=step"), Mode.CREATE);

    try (BundleReader out = BundleReader.open(io, "/mem/out/ckpt")) {
      assertThat(out.numShards()).isEqualTo(1);
      assertThat(out.lookup("c_string")).isEqualTo(Tensor.ofStrings(Shape.of(2), "shard", "zero"));
      assertThat(out.lookup("step")).isEqualTo(Tensor.ofLongs(Shape.scalar(), 12345));
    }
  }
}
