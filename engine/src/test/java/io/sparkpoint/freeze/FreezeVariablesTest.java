package io.sparkpoint.freeze;

import static io.sparkpoint.freeze.GraphDefs.colocation;
import static io.sparkpoint.freeze.GraphDefs.find;
import static io.sparkpoint.freeze.GraphDefs.graph;
import static io.sparkpoint.freeze.GraphDefs.names;
import static io.sparkpoint.freeze.GraphDefs.node;
import static io.sparkpoint.freeze.GraphDefs.resourceVariable;
import static io.sparkpoint.freeze.GraphDefs.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.proto.DataType;
import io.sparkpoint.proto.FunctionDef;
import io.sparkpoint.proto.FunctionDefLibrary;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.OpDef;
import io.sparkpoint.proto.VersionDef;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorProtos;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** convert_variables_to_constants over a checkpoint: ref and resource variables, lists, misses and the size limit. */
class FreezeVariablesTest {
  private static final String PREFIX = "/mem/ckpt/model.ckpt-5";

  private final InMemoryFileIO io = TestFixtures.memory();
  private CheckpointValueSource values;

  @BeforeEach
  void writeCheckpoint() throws IOException {
    GraphDefs.writeCheckpoint(io, PREFIX, Map.of(
        "v1", Tensor.ofFloats(Shape.of(1), 1.0f),
        "v2", Tensor.ofFloats(Shape.of(1), 2.0f),
        "dense/kernel", Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4),
        "wide", Tensor.ofDoubles(Shape.of(1), 1.0)));
    values = CheckpointValueSource.open(io, PREFIX);
  }

  @AfterEach
  void close() throws IOException {
    values.close();
  }

  private VariableFreezer.Result freeze(GraphDef graph, String... outputs) throws IOException {
    return VariableFreezer.convertVariablesToConstants(values, graph, List.of(outputs), null, null);
  }

  @Test
  void refVariablesBecomeConstsHoldingOnlyDtypeAndTheCheckpointValue() throws IOException {
    NodeDef v1 = find(freeze(GraphDefs.noteExample(), "add").graphDef(), "v1");
    assertThat(v1.getOp()).isEqualTo("Const");
    assertThat(v1.getInputList()).isEmpty();
    assertThat(v1.getDevice()).isEmpty();
    assertThat(v1.getAttrMap()).containsOnlyKeys("dtype", "value");
    assertThat(v1.getAttrMap().get("dtype").getType()).isEqualTo(DataType.DT_FLOAT);
    assertThat(TensorProtos.fromProto(v1.getAttrMap().get("value").getTensor())).isEqualTo(Tensor.ofFloats(Shape.of(1), 1.0f));
  }

  @Test
  void assignInitializerAndSaveNodesGoWhileReadsAndOutputsStay() throws IOException {
    VariableFreezer.Result result = freeze(GraphDefs.noteExample(), "add");
    assertThat(names(result.graphDef())).containsExactly("v1", "v1/read", "v2", "v2/read", "add");
    assertThat(find(result.graphDef(), "v1/read")).isEqualTo(find(GraphDefs.noteExample(), "v1/read"));
    assertThat(result.frozenVariables()).containsExactly("v1", "v2");
    assertThat(result.nodesKept()).isEqualTo(5);
  }

  @Test
  void valuesAreEncodedAsPythonsMakeTensorProtoEncodesThem() throws IOException {
    GraphDef graph = graph(GraphDefs.refVariable("dense/kernel", 2, 2), GraphDefs.refVariable("v1", 1));
    GraphDef frozen = freeze(graph, "dense/kernel", "v1").graphDef();
    assertThat(find(frozen, "dense/kernel").getAttrMap().get("value").getTensor().getTensorContent().size()).isEqualTo(16);
    assertThat(find(frozen, "v1").getAttrMap().get("value").getTensor().getFloatValList()).containsExactly(1.0f);
  }

  @Test
  void resourceVariableBecomesConstAndItsReadBecomesIdentityKeepingColocation() throws IOException {
    GraphDef graph = graph(
        resourceVariable("v1", 1),
        node("v1/Read/ReadVariableOp", "ReadVariableOp", "v1").putAttr("dtype", type(DataType.DT_FLOAT))
            .putAttr("_class", colocation("v1")).setDevice("/device:CPU:0"),
        node("out", "Identity", "v1/Read/ReadVariableOp").putAttr("T", type(DataType.DT_FLOAT)));
    GraphDef frozen = freeze(graph, "out").graphDef();
    assertThat(find(frozen, "v1").getOp()).isEqualTo("Const");
    assertThat(find(frozen, "v1").getAttrMap()).containsOnlyKeys("dtype", "value");
    assertThat(find(frozen, "v1/Read/ReadVariableOp")).isEqualTo(
        node("v1/Read/ReadVariableOp", "Identity", "v1").putAttr("T", type(DataType.DT_FLOAT))
            .putAttr("_class", colocation("v1")).build());
  }

  @Test
  void identityBetweenHandleAndReadGetsTheValueDtype() throws IOException {
    GraphDef graph = graph(
        resourceVariable("v2", 1),
        node("v2/handle", "Identity", "v2").putAttr("T", type(DataType.DT_RESOURCE)),
        node("read", "ReadVariableOp", "v2/handle").putAttr("dtype", type(DataType.DT_FLOAT)));
    GraphDef frozen = freeze(graph, "read").graphDef();
    assertThat(find(frozen, "v2/handle").getAttrMap().get("T").getType()).isEqualTo(DataType.DT_FLOAT);
    assertThat(find(frozen, "read").getOp()).isEqualTo("Identity");
    assertThat(find(frozen, "read").getInputList()).containsExactly("v2/handle");
  }

  @Test
  void resourceVariableIsFoundByItsSharedNameWhenItsNodeNameIsNotInTheCheckpoint() throws IOException {
    GraphDef graph = graph(resourceVariable("Variable", 2, 2).putAttr("shared_name", GraphDefs.string("dense/kernel")));
    NodeDef frozen = find(freeze(graph, "Variable").graphDef(), "Variable");
    assertThat(TensorProtos.fromProto(frozen.getAttrMap().get("value").getTensor()))
        .isEqualTo(Tensor.ofFloats(Shape.of(2, 2), 1, 2, 3, 4));
  }

  @Test
  void allowlistFreezesOnlyTheVariablesItNames() throws IOException {
    VariableFreezer.Result result =
        VariableFreezer.convertVariablesToConstants(values, GraphDefs.noteExample(), List.of("add"), Set.of("v1"), null);
    assertThat(result.frozenVariables()).containsExactly("v1");
    assertThat(find(result.graphDef(), "v2").getOp()).isEqualTo("VariableV2");
  }

  @Test
  void denylistKeepsTheVariablesItNames() throws IOException {
    VariableFreezer.Result result =
        VariableFreezer.convertVariablesToConstants(values, GraphDefs.noteExample(), List.of("add"), null, Set.of("v1"));
    assertThat(result.frozenVariables()).containsExactly("v2");
    assertThat(find(result.graphDef(), "v1")).isEqualTo(find(GraphDefs.noteExample(), "v1"));
  }

  @Test
  void libraryIsCopiedAndVersionsAreClearedAsTensorFlowDoes() throws IOException {
    FunctionDefLibrary library = FunctionDefLibrary.newBuilder()
        .addFunction(FunctionDef.newBuilder().setSignature(OpDef.newBuilder().setName("f"))).build();
    GraphDef graph = GraphDefs.noteExample().toBuilder().setLibrary(library).setVersions(VersionDef.newBuilder().setProducer(27)).build();
    GraphDef frozen = freeze(graph, "add").graphDef();
    assertThat(frozen.getLibrary()).isEqualTo(library);
    assertThat(frozen.hasVersions()).isFalse();
  }

  @Test
  void anUnknownOutputIsNotInGraph() {
    assertThatThrownBy(() -> freeze(GraphDefs.noteExample(), "add:0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("add:0 is not in graph");
  }

  @Test
  void aVariableMissingFromTheCheckpointNamesTheVariableAndTheCheckpoint() {
    GraphDef graph = graph(GraphDefs.refVariable("dense/bias", 2));
    assertThatThrownBy(() -> freeze(graph, "dense/bias"))
        .isInstanceOf(FreezeException.class)
        .hasMessage("Cannot freeze variable dense/bias: Key dense/bias not found in checkpoint " + PREFIX);
  }

  @Test
  void aResourceVariableMissingUnderBothNamesIsReportedUnderItsNodeName() {
    GraphDef graph = graph(resourceVariable("h", 1).putAttr("shared_name", GraphDefs.string("dense/bias")));
    assertThatThrownBy(() -> freeze(graph, "h"))
        .isInstanceOf(FreezeException.class)
        .hasMessage("Cannot freeze variable h: Key h not found in checkpoint " + PREFIX);
  }

  @Test
  void aValueOfAnotherDtypeThanTheVariableIsRefused() {
    GraphDef graph = graph(GraphDefs.refVariable("wide", 1));
    assertThatThrownBy(() -> freeze(graph, "wide"))
        .isInstanceOf(FreezeException.class)
        .hasMessage("Cannot freeze variable wide: its value is float64 but the variable is float32");
  }

  @Test
  void theSizeLimitIsCheckedBeforeAValueIsRead() throws IOException {
    List<String> reads = new ArrayList<>();
    ValueSource counting = new ValueSource() {
      @Override
      public Tensor value(String name) throws IOException {
        reads.add(name);
        return values.value(name);
      }

      @Override
      public long byteSizeHint(String name) throws IOException {
        return values.byteSizeHint(name);
      }
    };
    GraphDef graph = graph(GraphDefs.refVariable("v1", 1), GraphDefs.refVariable("dense/kernel", 2, 2), node("out", "Add", "v1", "dense/kernel"));
    long v1Bytes = freeze(graph(GraphDefs.refVariable("v1", 1)), "v1").graphDef().getSerializedSize();
    long limit = v1Bytes + 10; // the kernel's 16 bytes cannot fit
    assertThatThrownBy(() -> VariableFreezer.convert(counting, graph, List.of("out"), null, null, limit))
        .isInstanceOf(FreezeException.class)
        .hasMessage("Cannot freeze the graph: with node dense/kernel the frozen GraphDef would reach at least " + (v1Bytes + 16)
            + " bytes, over the limit of " + limit + " bytes; protobuf's 2 GiB message limit makes a larger frozen graph impossible");
    assertThat(reads).containsExactly("v1");
  }

  @Test
  void theSizeLimitCountsEverySerializedByteOfTheFrozenGraph() throws IOException {
    GraphDef graph = GraphDefs.noteExample();
    int size = freeze(graph, "add").graphDef().getSerializedSize();
    assertThat(VariableFreezer.convert(values, graph, List.of("add"), null, null, size).nodesKept()).isEqualTo(5);
    assertThatThrownBy(() -> VariableFreezer.convert(values, graph, List.of("add"), null, null, size - 1))
        .isInstanceOf(FreezeException.class)
        .hasMessageContaining("with node add the frozen GraphDef would reach at least " + size + " bytes, over the limit of " + (size - 1));
  }
}
