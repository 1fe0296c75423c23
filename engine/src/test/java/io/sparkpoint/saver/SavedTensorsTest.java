package io.sparkpoint.saver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.Output;
import io.sparkpoint.graph.Variables;
import io.sparkpoint.proto.AttrValue;
import io.sparkpoint.proto.DataType;
import io.sparkpoint.proto.SaveSliceInfoDef;
import io.sparkpoint.proto.SaverDef;
import io.sparkpoint.proto.VariableDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The keys a SaverDef's SaveV2 ops write and the tensors they take, and the savers whose keys cannot be listed. */
class SavedTensorsTest {
  private final Graph graph = new Graph();

  /** A TF1 partitioned variable w [4,3] as two parts of [2,3], each registered with its slice of w. */
  private void partitionedVariable() {
    for (int part = 0; part < 2; part++) {
      String name = "w/part_" + part;
      Operation variable = graph.opBuilder("VariableV2", name).setAttr("dtype", DType.FLOAT).setAttr("shape", Shape.of(2, 3)).build();
      graph.opBuilder("Identity", name + "/read").addInput(variable.output(0)).setAttr("T", DType.FLOAT).build();
      graph.addToCollection("variables", VariableDef.newBuilder().setVariableName(name + ":0").setSnapshotName(name + "/read:0")
          .setSaveSliceInfoDef(SaveSliceInfoDef.newBuilder().setFullName("w").addFullShape(4).addFullShape(3)
              .addVarOffset(2L * part).addVarOffset(0).addVarShape(2).addVarShape(3))
          .build());
    }
  }

  @Test
  void eachKeyIsSavedFromTheTensorItsSaveV2OpTakes() {
    Variables.variable(graph, "b", Tensor.ofFloats(Shape.of(2), 0, 0));
    Variables.resourceVariable(graph, "r", Tensor.ofFloats(Shape.of(1), 0));
    SaverDef saverDef = Saver.builder(graph).build().saverDef();

    assertThat(SavedTensors.of(graph, saverDef))
        .containsExactly(new SavedTensors.Entry("b", "b:0"), new SavedTensors.Entry("r", "r/Read/ReadVariableOp:0"));
  }

  @Test
  void aSliceOfAPartitionedVariableIsRefusedNamingTheKeyTheSliceAndTheTensor() {
    Variables.variable(graph, "b", Tensor.ofFloats(Shape.of(2), 0, 0));
    partitionedVariable();
    SaverDef saverDef = Saver.builder(graph).build().saverDef();
    assertThat(graph.operation("save/SaveV2/shape_and_slices").attr("value").getTensor().getStringValList())
        .extracting(ByteString::toStringUtf8).containsExactly("", "4 3 0,2:0,3", "4 3 2,2:0,3");

    assertThatThrownBy(() -> SavedTensors.of(graph, saverDef))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot save key 'w' of save/SaveV2 from w/part_0:0: it is a slice ('4 3 0,2:0,3') of a partitioned variable, "
            + "which is not supported here yet");
  }

  @Test
  void aSaveTensorMissingFromTheGraphIsRefused() {
    Variables.variable(graph, "b", Tensor.ofFloats(Shape.of(2), 0, 0));
    SaverDef saverDef = Saver.builder(graph).build().saverDef().toBuilder().setSaveTensorName("saver/control_dependency:0").build();

    assertThatThrownBy(() -> SavedTensors.of(graph, saverDef))
        .hasMessage("Cannot find the saver's save tensor 'saver/control_dependency:0' in the graph");
  }

  @Test
  void aSaveTensorNoSaveV2OpWritesIsRefused() {
    Variables.variable(graph, "b", Tensor.ofFloats(Shape.of(2), 0, 0));
    SaverDef saverDef = Saver.builder(graph).build().saverDef().toBuilder().setSaveTensorName("b/read:0").build();

    assertThatThrownBy(() -> SavedTensors.of(graph, saverDef))
        .hasMessage("The saver's save tensor 'b/read:0' is not written by a SaveV2 op");
  }

  @Test
  void keysThatAreNotAConstantAreRefusedNamingTheInput() {
    Output b = Variables.variable(graph, "b", Tensor.ofFloats(Shape.of(2), 0, 0));
    Output prefix = graph.constant("prefix", Tensor.ofStrings(Shape.scalar(), "model.ckpt"));
    Output names = graph.opBuilder("Placeholder", "names").setAttr("dtype", DType.STRING).setAttr("shape", Shape.of(1)).build().output(0);
    Output slices = graph.constant("slices", Tensor.ofStrings(Shape.of(1), ""));
    Operation save = graph.opBuilder("SaveV2", "save").addInput(prefix).addInput(names).addInput(slices).addInput(b.op().inputs().get(0))
        .setAttr("dtypes", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addType(DataType.DT_FLOAT)).build())
        .build();
    SaverDef saverDef = SaverDef.newBuilder().setSaveTensorName(save.name()).build();

    assertThatThrownBy(() -> SavedTensors.of(graph, saverDef))
        .hasMessage("Cannot read the keys of save: input names:0 is not a constant");
  }
}
