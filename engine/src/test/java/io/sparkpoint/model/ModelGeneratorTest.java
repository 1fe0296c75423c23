package io.sparkpoint.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkpoint.checkpoint.CheckpointReader;
import io.sparkpoint.exec.Session;
import io.sparkpoint.fs.FileIO;
import io.sparkpoint.fs.LocalFileIO;
import io.sparkpoint.graph.Graph;
import io.sparkpoint.graph.MetaGraphs;
import io.sparkpoint.saver.Saver;
import io.sparkpoint.tensor.Shape;
import io.sparkpoint.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated models: their names, their files, and that they run as written. */
class ModelGeneratorTest {
  @TempDir Path dir;

  private static ModelSpec spec(ModelSpec.Kind kind, List<Long> input, List<Long> hidden, ModelSpec.Optimizer optimizer) {
    return new ModelSpec(kind, input, 3, hidden, optimizer, 0.1, 7);
  }

  @Test
  void anMlpHasTheDocumentedNamesAndTf1Layers() {
    Graph graph = ModelGenerator.build(spec(ModelSpec.Kind.MLP, List.of(4L), List.of(5L, 6L), ModelSpec.Optimizer.ADAM));
    for (String name : List.of("x", "labels", "logits", "probabilities", "predictions", "loss", "train", "init", "global_step",
        "dense/kernel", "dense/bias", "dense_1/kernel", "dense_2/kernel", "dense/kernel/Initializer/random_uniform",
        "dense/kernel/Adam", "beta1_power", "Adam/update_dense/kernel/ApplyAdam")) {
      assertThat(graph.operation(name)).as(name).isNotNull();
    }
  }

  @Test
  void theInitialCheckpointHoldsEveryVariableAndRestoresThroughTheMetaGraph() throws Exception {
    FileIO io = new LocalFileIO();
    ModelGenerator.Generated generated = ModelGenerator.write(
        spec(ModelSpec.Kind.CNN, List.of(8L, 8L, 1L), List.of(2L), ModelSpec.Optimizer.MOMENTUM), io, dir.toString());

    assertThat(generated.checkpoint()).isEqualTo(dir.resolve("model.ckpt-0").toString());
    assertThat(CheckpointReader.open(io, generated.checkpoint()).variableToShapeMap()).containsKeys(
        "conv2d/kernel", "conv2d/bias", "dense/kernel", "dense/bias", "global_step", "conv2d/kernel/Momentum");
    Graph graph = new Graph();
    Saver saver = Saver.fromSaverDef(graph, MetaGraphs.importMetaGraph(graph, MetaGraphs.read(io, generated.checkpoint() + ".meta"),
        MetaGraphs.ImportOptions.defaults()));
    Session session = new Session(graph).withService(FileIO.class, io);
    saver.restore(session, generated.checkpoint());
    Tensor probabilities = session.run(Map.of(ModelGenerator.INPUT, Tensor.ofFloats(Shape.of(2, 8, 8, 1), new float[128])),
        List.of(ModelGenerator.PROBABILITIES)).get(0);
    assertThat(probabilities.shape()).isEqualTo(Shape.of(2, 3));
  }

  @Test
  void theSameSeedGivesTheSameWeights() throws Exception {
    FileIO io = new LocalFileIO();
    ModelSpec logreg = spec(ModelSpec.Kind.LOGREG, List.of(2L, 2L), List.of(), ModelSpec.Optimizer.SGD);
    String a = ModelGenerator.write(logreg, io, dir.resolve("a").toString()).checkpoint();
    String b = ModelGenerator.write(logreg, io, dir.resolve("b").toString()).checkpoint();
    assertThat(CheckpointReader.open(io, a).getTensor("dense/kernel")).isEqualTo(CheckpointReader.open(io, b).getTensor("dense/kernel"));
  }

  @Test
  void badSpecsSayWhatIsWrong() {
    assertThatThrownBy(() -> spec(ModelSpec.Kind.CNN, List.of(8L, 8L), List.of(2L), ModelSpec.Optimizer.SGD))
        .hasMessage("A cnn needs --input-shape HEIGHT,WIDTH,CHANNELS, got [8, 8]");
    assertThatThrownBy(() -> new ModelSpec(ModelSpec.Kind.MLP, List.of(4L), 1, List.of(), ModelSpec.Optimizer.SGD, 0.1, 1))
        .hasMessage("--classes needs at least 2 classes, got 1");
    assertThatThrownBy(() -> new ModelSpec(ModelSpec.Kind.MLP, List.of(4L), 3, List.of(), ModelSpec.Optimizer.SGD, 0, 1))
        .hasMessage("--lr needs a positive learning rate, got 0.0");
    assertThatThrownBy(() -> ModelGenerator.build(spec(ModelSpec.Kind.CNN, List.of(4L, 4L, 1L), List.of(2L, 2L, 2L), ModelSpec.Optimizer.SGD)))
        .hasMessageStartingWith("Too many conv layers [2, 2, 2] for input [4, 4, 1]");
  }
}
