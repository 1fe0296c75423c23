package io.sparkpoint.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.checkpoint.CheckpointReader;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.fs.hadoop.HadoopFileIO;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorSlice;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every V2 checkpoint TensorFlow wrote under shared/testdata/tf-real, read and checked. */
class RealCheckpointsTest {
  private static final FileIO LOCAL = HadoopFileIO.withDefaults();

  static List<String> prefixes() {
    return TestFixtures.allV2Prefixes();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("prefixes")
  void everyTensorReadsWithItsChecksumVerified(String relative) throws Exception {
    try (CheckpointReader reader = CheckpointReader.open(LOCAL, TestFixtures.prefix(relative))) {
      assertThat(reader.variableToShapeMap()).isNotEmpty();
      for (String name : reader.variableToShapeMap().keySet()) {
        Tensor tensor = reader.getTensor(name);
        assertThat(tensor.shape()).as(name).isEqualTo(reader.variableToShapeMap().get(name));
        assertThat(tensor.dtype()).as(name).isEqualTo(reader.variableToDtypeMap().get(name));
      }
    }
    assertThat(BundleValidator.validate(LOCAL, TestFixtures.prefix(relative)).problems()).isEmpty();
  }

  @Test
  void allDtypesHoldTheValuesTensorFlowWrote() throws Exception {
    try (CheckpointReader reader = CheckpointReader.open(LOCAL, TestFixtures.prefix("libtensorflow-2.18-generated/all_dtypes_v2/ckpt"))) {
      assertThat(reader.variableToShapeMap()).hasSize(24);
      Tensor floats = reader.getTensor("dt_float");
      assertThat(floats.shape()).isEqualTo(Shape.of(2, 3));
      assertThat(floats.doubleAt(3)).isEqualTo(Float.MAX_VALUE);
      assertThat(floats.doubleAt(4)).isEqualTo(Float.MIN_VALUE);
      assertThat(Double.doubleToRawLongBits(floats.doubleAt(5))).isEqualTo(Double.doubleToRawLongBits(-0.0));
      assertThat(reader.getTensor("dt_int64").longAt(3)).isEqualTo(Long.MIN_VALUE);
      assertThat(reader.getTensor("dt_uint64").longAt(1)).isEqualTo(-1L);
      assertThat(reader.getTensor("dt_half").doubleAt(1)).isEqualTo(-2.5);
      assertThat(reader.getTensor("dt_half").data().getShort(14)).isEqualTo((short) 0x7e00);
      assertThat(reader.getTensor("dt_bfloat16").doubleAt(2)).isEqualTo(0.10009765625);
      assertThat(reader.getTensor("dt_bool").bytes()).containsExactly(1, 0, 1, 1, 0);
      assertThat(reader.getTensor("dt_complex128").data().getDouble(0)).isEqualTo(1.25);
      Tensor strings = reader.getTensor("dt_string");
      assertThat(new String(strings.string(2), StandardCharsets.UTF_8)).isEqualTo("héllo wörld");
      assertThat(strings.string(3)).hasSize(200);
      assertThat(new String(strings.string(4), StandardCharsets.UTF_8)).isEqualTo("nul\0byte");
      assertThat(new String(strings.string(5), StandardCharsets.UTF_8)).isEqualTo("日本語");
      assertThat(reader.getTensor("empty_string").numElements()).isZero();
      assertThat(reader.getTensor("empty_2x0_int32").shape()).isEqualTo(Shape.of(2, 0));
      assertThat(reader.getTensor("scalar_int64").longAt(0)).isEqualTo(-1234567890123L);
      assertThat(reader.getTensor("rank4_float").doubleAt(11)).isEqualTo(11.0);
      assertThat(reader.debugString()).contains("dt_float (DT_FLOAT) [2,3]\n").contains("scalar_string (DT_STRING) []\n");
    }
  }

  @Test
  void partitionedTensorsAreReassembledFromTheirSlices() throws Exception {
    try (BundleReader reader = BundleReader.open(LOCAL, TestFixtures.prefix("libtensorflow-2.18-generated/partitioned_v2/ckpt"))) {
      assertThat(reader.tensorNames()).containsExactly("bias", "emb", "vocab", "w");
      Tensor emb = reader.lookup("emb");
      assertThat(emb.shape()).isEqualTo(Shape.of(6, 4));
      for (int i = 0; i < 24; i++) {
        assertThat(emb.doubleAt(i)).isEqualTo(i);
      }
      Tensor w = reader.lookup("w");
      for (int i = 0; i < 8; i++) {
        assertThat(w.longAt(i)).isEqualTo(100 + i);
      }
      Tensor sub = reader.lookupSlice("emb", TensorSlice.parse("1,3:1,2"));
      assertThat(sub.shape()).isEqualTo(Shape.of(3, 2));
      assertThat(new double[] {sub.doubleAt(0), sub.doubleAt(1), sub.doubleAt(2), sub.doubleAt(3), sub.doubleAt(4), sub.doubleAt(5)})
          .containsExactly(5, 6, 9, 10, 13, 14);
      Tensor vocab = reader.lookup("vocab");
      assertThat(new String(vocab.string(4), StandardCharsets.UTF_8)).isEqualTo("epsilon");
      assertThat(reader.lookupSlice("bias", TensorSlice.parse("1,1")).doubleAt(0)).isEqualTo(-0.5);
    }
  }

  @Test
  void shardedCheckpointsResolveEachEntrysShard() throws Exception {
    try (BundleReader reader = BundleReader.open(LOCAL, TestFixtures.prefix("libtensorflow-2.18-generated/sharded_v2/ckpt"))) {
      assertThat(reader.numShards()).isEqualTo(2);
      assertThat(reader.lookup("global_step").longAt(0)).isEqualTo(12345);
      assertThat(reader.lookup("b_int64").longAt(3)).isEqualTo(10);
      assertThat(new String(reader.lookup("c_string").string(1), StandardCharsets.UTF_8)).isEqualTo("zero");
    }
    try (BundleReader reader = BundleReader.open(LOCAL, TestFixtures.prefix("t2t/transformer_test_ckpt/model.ckpt-1"))) {
      assertThat(reader.tensorNames()).hasSize(250);
      assertThat(reader.lookup("global_step").longAt(0)).isEqualTo(1);
      assertThat((float) reader.lookup("training/beta1_power").doubleAt(0)).isEqualTo(0.80999994f);
    }
  }

  @Test
  void snappyCompressedIndexBlocksRead() throws Exception {
    String prefix = TestFixtures.prefix("serving/saved_model_half_plus_two_tf2_cpu/00000123/variables/variables");
    try (BundleReader reader = BundleReader.open(LOCAL, prefix)) {
      assertThat(reader.lookup("a/.ATTRIBUTES/VARIABLE_VALUE").doubleAt(0)).isEqualTo(0.5);
      assertThat(reader.lookup("_CHECKPOINTABLE_OBJECT_GRAPH").string(0)).hasSize(613);
    }
    try (BundleReader reader = BundleReader.open(LOCAL, TestFixtures.prefix("serving/saved_model_half_plus_two_cpu/00000123/variables/variables"))) {
      assertThat(reader.lookup("c2").doubleAt(0)).isEqualTo(3.0);
    }
  }

  @Test
  void manyEntriesSpanTwoDataBlocks() throws Exception {
    try (BundleReader reader = BundleReader.open(LOCAL, TestFixtures.prefix("libtensorflow-2.18-generated/many_entries_v2/ckpt"))) {
      assertThat(reader.tensorNames()).hasSize(12000);
      Tensor last = reader.lookup("model/layer_11999/dense/kernel");
      assertThat(last.doubleAt(0)).isEqualTo(11999);
      assertThat(last.doubleAt(1)).isEqualTo(-11999);
    }
  }

  @Test
  void v1CheckpointsGetAClearMessage() {
    assertThatThrownBy(() -> CheckpointReader.open(LOCAL, TestFixtures.prefix("libtensorflow-2.18-generated/v1_save/model.ckpt")))
        .isInstanceOf(UnsupportedBundleException.class)
        .hasMessageContaining("V1 format not supported");
  }

  /** Re-saving what TensorFlow saved, in its order, gives TensorFlow's exact bytes. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("generatedSingleShard")
  void rewritingAFixtureReproducesItsFilesExactly(String relative) throws Exception {
    InMemoryFileIO io = TestFixtures.memory();
    String original = TestFixtures.copyToMemory(io, relative, "original");
    String copy = "/mem/copy/ckpt";
    try (BundleReader reader = BundleReader.open(io, original); BundleWriter writer = BundleWriter.create(io, copy)) {
      FixtureReplay.replay(reader, writer);
      writer.finish();
    }
    assertThat(io.contents(copy + ".index")).isEqualTo(io.contents(original + ".index"));
    assertThat(io.contents(copy + ".data-00000-of-00001")).isEqualTo(io.contents(original + ".data-00000-of-00001"));
  }

  static List<String> generatedSingleShard() {
    return List.of(
        "libtensorflow-2.18-generated/all_dtypes_v2/ckpt",
        "libtensorflow-2.18-generated/many_entries_v2/ckpt",
        "libtensorflow-2.18-generated/partitioned_v2/ckpt",
        "tf-models-reference-data/resnet/batch_norm/model.ckpt",
        "tf2onnx/regression/checkpoint/model");
  }

  @Test
  void rewritingTheShardedFixtureThroughAMergeReproducesItsIndex() throws Exception {
    InMemoryFileIO io = TestFixtures.memory();
    String original = TestFixtures.copyToMemory(io, "libtensorflow-2.18-generated/sharded_v2/ckpt", "original");
    try (BundleReader reader = BundleReader.open(io, original);
        ShardedBundleWriter writer = ShardedBundleWriter.create(io, "/mem/copy/ckpt", 2)) {
      for (String name : List.of("a_float", "c_string")) {
        writer.shard(0).add(name, reader.lookup(name));
      }
      for (String name : List.of("b_int64", "d_bool", "global_step")) {
        writer.shard(1).add(name, reader.lookup(name));
      }
      writer.finish();
    }
    assertThat(io.contents("/mem/copy/ckpt.index")).isEqualTo(io.contents(original + ".index"));
    assertThat(io.contents("/mem/copy/ckpt.data-00001-of-00002")).isEqualTo(io.contents(original + ".data-00001-of-00002"));
    assertThat(io.allFiles()).noneMatch(f -> f.contains("_temp_"));
  }

  @Test
  void dtypeNamesAreTensorFlows() {
    assertThat(DType.HALF.pythonName()).isEqualTo("float16");
    assertThat(DType.fromNumber(101)).isEqualTo(DType.FLOAT);
  }
}
