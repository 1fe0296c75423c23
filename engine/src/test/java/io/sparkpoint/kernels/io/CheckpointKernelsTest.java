package io.sparkpoint.kernels.io;

import static io.sparkpoint.kernels.KernelRunner.bool;
import static io.sparkpoint.kernels.KernelRunner.node;
import static io.sparkpoint.kernels.KernelRunner.run;
import static io.sparkpoint.kernels.KernelRunner.runAll;
import static io.sparkpoint.kernels.KernelRunner.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint ops on real files: names, save, restore (whole and sliced), merge, and their errors. */
class CheckpointKernelsTest {
  @TempDir Path dir;

  private static Tensor str(String value) {
    return Tensor.ofStrings(Shape.scalar(), value);
  }

  private static Tensor strs(String... values) {
    return Tensor.ofStrings(Shape.of(values.length), values);
  }

  private static NodeDef.Builder restore(DType... dtypes) {
    AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
    for (DType d : dtypes) {
      list.addTypeValue(d.number());
    }
    return node("RestoreV2").putAttr("dtypes", AttrValue.newBuilder().setList(list).build());
  }

  @Test
  void shardedFilenameAndFilespec() {
    assertThat(run("ShardedFilename", str("ck/part"), Tensor.ofInts(Shape.scalar(), 1), Tensor.ofInts(Shape.scalar(), 3)))
        .isEqualTo(str("ck/part-00001-of-00003"));
    assertThat(run("ShardedFilespec", str("ck"), Tensor.ofInts(Shape.scalar(), 12))).isEqualTo(str("ck-?????-of-00012"));
    assertThatThrownBy(() -> run("ShardedFilename", strs("a", "b"), Tensor.ofInts(Shape.scalar(), 1), Tensor.ofInts(Shape.scalar(), 3)))
        .hasMessageContaining("Input basename must be a scalar string");
  }

  @Test
  void stringJoinBroadcastsScalarsAndRegexFullMatchMatchesWholeStrings() {
    assertThat(run(node("StringJoin").putAttr("separator", string("/")), str("a"), strs("x", "y")))
        .isEqualTo(strs("a/x", "a/y"));
    assertThatThrownBy(() -> run(node("StringJoin"), strs("a", "b"), strs("x", "y", "z")))
        .hasMessageContaining("Input shapes do not match: [2] vs. [3]");
    assertThat(run("RegexFullMatch", strs("s3://b/k", "hdfs://n/k"), str("^s3://.*")))
        .isEqualTo(Tensor.ofBooleans(Shape.of(2), true, false));
  }

  @Test
  void saveThenRestoreWholeTensorsAndSlices() {
    String prefix = dir.resolve("ck/model").toString();
    Tensor w = Tensor.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
    Tensor part = Tensor.ofLongs(Shape.of(2), 7, 8);
    runAll(node("SaveV2"), str(prefix), strs("w", "p"), strs("", "4 2,2"), w, part);

    List<Tensor> back = runAll(restore(DType.FLOAT, DType.FLOAT), str(prefix), strs("w", "w"), strs("", "2 3 1,1:0,2"));
    assertThat(back.get(0)).isEqualTo(w);
    assertThat(back.get(1)).isEqualTo(Tensor.ofFloats(Shape.of(1, 2), 4, 5));
    assertThat(run(restore(DType.INT64), str(prefix), strs("p"), strs("4 2,2"))).isEqualTo(part);
  }

  @Test
  void restoreErrorsNameTheTensorOrThePrefix() {
    String prefix = dir.resolve("model").toString();
    runAll(node("SaveV2"), str(prefix), strs("w"), strs(""), Tensor.ofFloats(Shape.of(2), 1, 2));

    assertThatThrownBy(() -> run(restore(DType.FLOAT), str(dir.resolve("nothing").toString()), strs("w"), strs("")))
        .hasMessageContaining("Unsuccessful TensorSliceReader constructor: Failed to find any matching files for");
    assertThatThrownBy(() -> run(restore(DType.FLOAT), str(prefix), strs("v"), strs("")))
        .hasMessageContaining("Key v not found in checkpoint");
    assertThatThrownBy(() -> run(restore(DType.DOUBLE), str(prefix), strs("w"), strs("")))
        .hasMessageContaining("tensor_name = w; expected dtype float64 does not equal original dtype float32");
    assertThatThrownBy(() -> run(restore(DType.FLOAT), str(prefix), strs("w"), strs("3 0,2")))
        .hasMessageContaining("shape in shape_and_slice spec [3] does not match the shape stored in checkpoint: [2]");
  }

  @Test
  void saveRefusesMismatchedArgumentsAndWritesNothing() {
    String prefix = dir.resolve("bad/model").toString();
    Tensor w = Tensor.ofFloats(Shape.of(2), 1, 2);

    assertThatThrownBy(() -> runAll(node("SaveV2"), str(prefix), strs("w", "v"), strs(""), w))
        .hasMessageContaining("Expected 1 tensor_names and shape_and_slices, got 2 and 1");
    assertThatThrownBy(() -> runAll(node("SaveV2"), str(prefix), strs("w"), strs("4 0,3"), w))
        .hasMessageContaining("tensor_name = w; the slice 4 0,3 has shape [3] but the tensor to save has shape [2]");
    assertThatThrownBy(() -> runAll(node("SaveV2"), str(prefix), strs("w"), strs("4 x"), w))
        .hasMessageContaining("tensor_name = w; invalid shape_and_slice spec '4 x'");
    assertThat(Files.exists(dir.resolve("bad/model.index"))).isFalse();
  }

  @Test
  void restoreNeedsOneNameAndSpecPerDtype() {
    String prefix = dir.resolve("model").toString();
    runAll(node("SaveV2"), str(prefix), strs("w"), strs(""), Tensor.ofFloats(Shape.of(2), 1, 2));

    assertThatThrownBy(() -> runAll(restore(DType.FLOAT, DType.FLOAT), str(prefix), strs("w"), strs("")))
        .hasMessageContaining("Expected 2 tensor_names and shape_and_slices (one per dtype), got 1 and 1");
    assertThatThrownBy(() -> run("ShardedFilename", str("ck"), Tensor.ofLongs(Shape.scalar(), 1), Tensor.ofInts(Shape.scalar(), 3)))
        .hasMessageContaining("Input shard must be a scalar int32, got int64 []");
    assertThatThrownBy(() -> run("RegexFullMatch", strs("a"), str("(")))
        .hasMessageContaining("Invalid pattern: (, error: ");
  }

  @Test
  void mergeCombinesShardsAndRemovesTheTemporaryDirectory() throws Exception {
    String temp = dir.resolve("model_temp_x/part").toString();
    runAll(node("SaveV2"), str(temp + "-00000-of-00002"), strs("a"), strs(""), Tensor.ofFloats(Shape.of(1), 1));
    runAll(node("SaveV2"), str(temp + "-00001-of-00002"), strs("b"), strs(""), Tensor.ofFloats(Shape.of(1), 2));
    String prefix = dir.resolve("model").toString();

    runAll(node("MergeV2Checkpoints"), strs(temp + "-00000-of-00002", temp + "-00001-of-00002"), str(prefix));

    assertThat(Files.exists(dir.resolve("model_temp_x"))).isFalse();
    assertThat(run(restore(DType.FLOAT), str(prefix), strs("b"), strs(""))).isEqualTo(Tensor.ofFloats(Shape.of(1), 2));
    assertThatThrownBy(() -> runAll(node("MergeV2Checkpoints"), strs(temp + "-00000-of-00002"), str(prefix)))
        .hasMessageContaining("allow_missing_files was set to false and " + temp + "-00000-of-00002 did not exist.");
    assertThatThrownBy(() -> runAll(node("MergeV2Checkpoints").putAttr("allow_missing_files", bool(true)), strs("nope"), str(prefix)))
        .hasMessageContaining("At least one prefix checkpoint file must exist, but none existed.");
  }
}
