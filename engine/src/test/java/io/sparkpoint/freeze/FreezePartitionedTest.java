package io.sparkpoint.freeze;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkpoint.TestFixtures;
import io.sparkpoint.bundle.BundleWriter;
import io.sparkpoint.fs.InMemoryFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.graph.Operation;
import io.sparkpoint.graph.OperationBuilder;
import io.sparkpoint.proto.GraphDef;
import io.sparkpoint.proto.NodeDef;
import io.sparkpoint.proto.SaveSliceInfoDef;
import io.sparkpoint.proto.VariableDef;
import io.sparkpoint.tensor.DType;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import io.sparkpoint.tensor.TensorProtos;
import io.sparkpoint.tensor.TensorSlice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TF1 partitioned variables: each part (w/part_0) freezes to its slice of the full variable (w). */
class FreezePartitionedTest {
  @Test
  void eachPartFreezesToItsSliceOfTheFullVariable() throws Exception {
    InMemoryFileIO io = TestFixtures.memory();
    Graph graph = new Graph();
    OperationBuilder out = graph.opBuilder("NoOp", "out");
    for (int part = 0; part < 2; part++) {
      String name = "w/part_" + part;
      Operation variable = graph.opBuilder("VariableV2", name).setAttr("dtype", DType.FLOAT).setAttr("shape", Shape.of(2, 3)).build();
      out.addControlInput(graph.opBuilder("Identity", name + "/read").addInput(variable.output(0)).setAttr("T", DType.FLOAT).build());
      graph.addToCollection("variables", VariableDef.newBuilder().setVariableName(name + ":0").setSnapshotName(name + "/read:0")
          .setSaveSliceInfoDef(SaveSliceInfoDef.newBuilder().setFullName("w").addFullShape(4).addFullShape(3)
              .addVarOffset(2L * part).addVarOffset(0).addVarShape(2).addVarShape(3))
          .build());
    }
    out.build();
    MetaGraphs.exportMetaGraph(io, graph, MetaGraphs.ExportOptions.defaults().withFilename("/mem/model.ckpt.meta"));
    try (BundleWriter writer = BundleWriter.create(io, "/mem/model.ckpt")) {
      writer.addSlice("w", Shape.of(4, 3), TensorSlice.parse("0,2:0,3"), Tensor.ofFloats(Shape.of(2, 3), 0, 1, 2, 3, 4, 5));
      writer.addSlice("w", Shape.of(4, 3), TensorSlice.parse("2,2:0,3"), Tensor.ofFloats(Shape.of(2, 3), 6, 7, 8, 9, 10, 11));
      writer.finish();
    }

    FreezeGraph.Result result = FreezeGraph.freeze(io, "/mem/model.ckpt", null, List.of("out"), "/mem/frozen.pb", FreezeGraph.Format.BINARY);

    assertThat(result.frozenVariables()).containsExactly("w/part_0", "w/part_1");
    GraphDef frozen = GraphDef.parseFrom(io.contents("/mem/frozen.pb"));
    NodeDef second = frozen.getNodeList().stream().filter(n -> n.getName().equals("w/part_1")).findFirst().orElseThrow();
    assertThat(second.getOp()).isEqualTo("Const");
    assertThat(TensorProtos.fromProto(second.getAttrOrThrow("value").getTensor()))
        .isEqualTo(Tensor.ofFloats(Shape.of(2, 3), 6, 7, 8, 9, 10, 11));
  }
}
